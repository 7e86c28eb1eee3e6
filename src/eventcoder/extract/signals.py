"""What the rules find about a whole document that bears on each event's type."""

from __future__ import annotations

import re

from spacy.tokens import Doc

from eventcoder import ontology
from eventcoder.extract.triggers import sentence_has
from eventcoder.records import DocumentSignals


def told_fighting_back(text: str) -> bool:
    """Say whether a report tells that the attacked side fought back ("returned fire", "repelled")."""
    phrases = "|".join(sorted(map(re.escape, ontology.word_set("fighting_back")), key=len, reverse=True))
    for match in re.finditer(rf"\b(?:{phrases})\b", text.lower()):
        before = text.lower()[max(0, match.start() - 20) : match.start()].split()[-2:]
        if not set(before) & {"no", "not", "without", "little"}:
            return True
    return False


SHORT_REPORT_SENTENCES = 3  # an ACLED note, a wire brief, a snippet: one report, read whole


def document_signals(parsed: Doc) -> DocumentSignals:
    """Return the document-wide findings: a crowd's violence told anywhere, the attacked firing back."""
    sentences = list(parsed.sents)
    return DocumentSignals(
        rioting=any(sentence_has(s, "riot_context") for s in sentences),
        fighting_back=told_fighting_back(parsed.text),
        report=parsed.text if len(sentences) <= SHORT_REPORT_SENTENCES else None,
    )
