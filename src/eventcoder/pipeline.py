"""The stage order, top to bottom: documents in, event records out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from itertools import tee

from eventcoder import ontology
from eventcoder.extract.mentions import DocumentContext, sentence_mentions
from eventcoder.extract.triggers import sentence_has
from eventcoder.ingest.clean import clean_text, strip_furniture
from eventcoder.merge import within_document
from eventcoder.nlp import parse
from eventcoder.records import Document, Event, Place
from eventcoder.resolve.actors import ActorMemory, capitals
from eventcoder.resolve.gazetteer import Gazetteer
from eventcoder.resolve.places import document_countries


def document_focus(countries: list[str], gazetteer: Gazetteer) -> Place | None:
    """Decide Event.location when no sentence of an event names a place: the one country named."""
    if len(countries) != 1:
        return None  # several countries named: none of them is safely where things happened
    return gazetteer.country_place(countries[0], reason="the country the document is about")


def code_document(parsed: object, document: Document, gazetteer: Gazetteer) -> list[Event]:
    """Code one parsed document: mentions per sentence, then one event per real-world event."""
    context = DocumentContext(
        doc_id=document.id,
        published=document.published,
        gazetteer=gazetteer,
        countries=document_countries(parsed, gazetteer),
        memory=ActorMemory(capitals=capitals()),
    )
    mentions = [m for sentence in parsed.sents for m in sentence_mentions(sentence, context)]  # type: ignore[attr-defined]
    rioting = any(sentence_has(s, "riot_context") for s in parsed.sents)  # type: ignore[attr-defined]
    lowered = document.text.lower()
    fighting_back = any(words in lowered for words in ontology.word_set("fighting_back"))
    focus = document_focus(context.countries, gazetteer)
    return within_document(mentions, document.text, focus, rioting, fighting_back)


def code_documents(
    documents: Iterable[Document], batch_size: int = 16
) -> Iterator[tuple[Document, list[Event]]]:
    """Code each document and yield it with its events, in input order."""
    gazetteer = Gazetteer.load()
    for_text, for_result = tee(documents)
    texts = (d.text for d in for_text)
    for document, parsed in zip(for_result, parse(texts, batch_size=batch_size), strict=True):
        yield document, code_document(parsed, document, gazetteer)


def extract(text: str, published: dt.date | None = None, doc_id: str = "-") -> list[Event]:
    """Code one text and return its event records.

    Args:
        text: the article's text; it is cleaned first and offsets refer to the cleaned text.
        published: the date relative dates are resolved against; None leaves them unresolved.
        doc_id: the id the records carry.

    Returns:
        One Event per real-world event the text states.
    """
    document = Document(id=doc_id, text=strip_furniture(clean_text(text)), published=published)
    return next(code_documents([document]))[1]
