"""The stage order, top to bottom: documents in, event records out."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator
from itertools import tee

from eventcoder import ontology
from eventcoder.errors import BadDocument
from eventcoder.extract.mentions import DocumentContext, sentence_mentions
from eventcoder.extract.triggers import sentence_has
from eventcoder.ingest.clean import clean_text
from eventcoder.ingest.read import EMPTY
from eventcoder.merge import within_document
from eventcoder.nlp import load_model, parse
from eventcoder.records import Document, Event, Place
from eventcoder.resolve.actors import ActorMemory, capitals
from eventcoder.resolve.gazetteer import Gazetteer
from eventcoder.resolve.places import document_countries


def told_fighting_back(text: str) -> bool:
    """Say whether a report tells that the attacked side fought back ("returned fire", "repelled")."""
    phrases = "|".join(sorted(map(re.escape, ontology.word_set("fighting_back")), key=len, reverse=True))
    for match in re.finditer(rf"\b(?:{phrases})\b", text.lower()):
        before = text.lower()[max(0, match.start() - 20) : match.start()].split()[-2:]
        if not set(before) & {"no", "not", "without", "little"}:
            return True
    return False


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
    fighting_back = told_fighting_back(document.text)
    focus = document_focus(context.countries, gazetteer)
    return within_document(mentions, document.text, focus, rioting, fighting_back)


def raise_bad(bad: BadDocument) -> None:
    """Raise a rejected document: the library's default; the CLI reports and goes on instead."""
    raise bad


def coded_or_bad(parsed: object, document: Document, gazetteer: Gazetteer) -> list[Event] | BadDocument:
    """Code one parsed document, or say why it could not be coded."""
    try:
        return code_document(parsed, document, gazetteer)
    except Exception as error:  # one document the rules cannot handle must not stop a batch
        return BadDocument(
            document.id, f"the coder failed ({type(error).__name__}: {error}); report it with this document"
        )


def code_documents(
    documents: Iterable[Document],
    batch_size: int = 16,
    on_error: Callable[[BadDocument], None] = raise_bad,
) -> Iterator[tuple[Document, list[Event]]]:
    """Code each document and yield it with its events, in input order.

    A document that cannot be coded (longer than the model accepts, or one the rules fail on) goes
    to `on_error`; by default that raises BadDocument, and a handler that returns skips the document.
    """
    gazetteer = Gazetteer.load()
    limit = int(load_model().max_length)
    for_text, for_result = tee(documents)
    texts = (d.text if len(d.text) <= limit else "" for d in for_text)  # "" keeps the two in step
    for document, parsed in zip(for_result, parse(texts, batch_size=batch_size), strict=True):
        if len(document.text) > limit:
            too_long = f"{len(document.text)} characters, more than the model's {limit}; split the document"
            on_error(BadDocument(document.id, too_long))
            continue
        result = coded_or_bad(parsed, document, gazetteer)
        if isinstance(result, BadDocument):
            on_error(result)
            continue
        yield document, result


def extract(text: str, published: dt.date | None = None, doc_id: str = "-") -> list[Event]:
    """Code one text and return its event records.

    Args:
        text: the article's text; it is cleaned first and offsets refer to the cleaned text.
        published: the date relative dates are resolved against; None leaves them unresolved.
        doc_id: the id the records carry.

    Returns:
        One Event per real-world event the text states.

    Raises:
        BadDocument: the text is empty after cleaning, or cannot be coded.
    """
    cleaned = clean_text(text)
    if not cleaned:
        raise BadDocument(doc_id, EMPTY)
    document = Document(id=doc_id, text=cleaned, published=published)
    return next(code_documents([document]))[1]
