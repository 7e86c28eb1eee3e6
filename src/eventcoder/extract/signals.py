"""What the rules find about a whole document that bears on each event's type."""

from __future__ import annotations

import re
from functools import lru_cache

from spacy.tokens import Doc

from eventcoder import ontology
from eventcoder.extract.triggers import sentence_has
from eventcoder.nlp import doc_text
from eventcoder.records import DocumentSignals


@lru_cache(maxsize=1)
def _fighting_back() -> re.Pattern[str]:
    """Return the pattern of the fighting-back phrases, longest first."""
    phrases = "|".join(sorted(map(re.escape, ontology.word_set("fighting_back")), key=len, reverse=True))
    return re.compile(rf"\b(?:{phrases})\b")


def told_fighting_back(text: str) -> bool:
    """Say whether a report tells that the attacked side fought back ("returned fire", "repelled")."""
    lowered = text.lower()
    for match in _fighting_back().finditer(lowered):
        before = lowered[max(0, match.start() - 20) : match.start()].split()[-2:]
        if not set(before) & {"no", "not", "without", "little"}:
            return True
    return False


SHORT_REPORT_SENTENCES = 3  # an ACLED note, a wire brief, a snippet: one report, read whole


def document_signals(parsed: Doc) -> DocumentSignals:
    """Return the document-wide findings: a crowd's violence told anywhere, the attacked firing back."""
    sentences, text = list(parsed.sents), doc_text(parsed)
    return DocumentSignals(
        rioting=any(sentence_has(s, "riot_context") for s in sentences),
        fighting_back=told_fighting_back(text),
        report=text if len(sentences) <= SHORT_REPORT_SENTENCES else None,
    )
