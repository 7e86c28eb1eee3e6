"""The stage order, top to bottom: documents in, event records out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from itertools import tee
from typing import TypeVar

from spacy.tokens import Doc

from eventcoder.classify.decide import Classifier, classify_mentions, load_classifier, report_candidates
from eventcoder.classify.model import LearnedModel
from eventcoder.errors import BadDocument
from eventcoder.extract.mentions import document_mentions
from eventcoder.extract.signals import document_signals
from eventcoder.ingest.clean import clean_text
from eventcoder.ingest.read import EMPTY, published_problem
from eventcoder.merge import within_document
from eventcoder.nlp import load_model, parse
from eventcoder.records import Document, DocumentSignals, Event, Mention
from eventcoder.resolve.actor_types import load_actor_model, named_place_countries, type_actors
from eventcoder.resolve.actors import ActorMemory, capitals
from eventcoder.resolve.gazetteer import Gazetteer
from eventcoder.resolve.mentions import DocumentContext, resolve_mentions
from eventcoder.resolve.places import document_countries, document_focus

T = TypeVar("T")


def candidates(
    parsed: Doc, document: Document, gazetteer: Gazetteer, countries: list[str]
) -> tuple[list[Mention], DocumentSignals]:
    """Return the rules' candidate events of one parsed document and the document-wide signals."""
    context = DocumentContext(
        doc_id=document.id,
        published=document.published,
        gazetteer=gazetteer,
        countries=countries,
        memory=ActorMemory(capitals=capitals()),
    )
    raw = document_mentions(parsed)  # extract/: the words of each candidate event
    return resolve_mentions(raw, context), document_signals(parsed)  # resolve/: who, where, when


def code_document(
    parsed: Doc,
    document: Document,
    gazetteer: Gazetteer,
    classifier: Classifier,
    actors: LearnedModel | None = None,
) -> list[Event]:
    """Code one parsed document: candidates (extract, then resolve), the classifier's decisions,
    one event per real event, then the ACLED type and name of each event's actors."""
    countries = document_countries(parsed, gazetteer)
    mentions, signals = candidates(parsed, document, gazetteer, countries)  # extract/, resolve/
    if not any(m.standalone for m in mentions):
        mentions = [*mentions, *report_candidates(document.id, document.text, signals)]
    decided = classify_mentions(mentions, signals, classifier)  # classify/
    events = within_document(decided, document.text, document_focus(parsed, countries, gazetteer))  # merge
    places = named_place_countries(((e.text, e.label_) for e in parsed.ents), gazetteer)
    return type_actors(events, actors, countries, places, document.text)  # resolve/: ACLED actor types


def raise_bad(bad: BadDocument) -> None:
    """Raise a rejected document: the library's default; the CLI reports and goes on instead."""
    raise bad


def guarded(code: Callable[[Doc, Document], T], parsed: Doc, document: Document) -> T | BadDocument:
    """Run one parsed document through `code`, or say why it could not be coded."""
    try:
        return code(parsed, document)
    except Exception as error:  # one document the rules cannot handle must not stop a batch
        return BadDocument(
            document.id, f"the coder failed ({type(error).__name__}: {error}); report it with this document"
        )


def parsed_documents(
    documents: Iterable[Document], batch_size: int, on_error: Callable[[BadDocument], None]
) -> Iterator[tuple[Document, Doc]]:
    """Parse each document in input order; one longer than the model accepts goes to `on_error`."""
    limit = int(load_model().max_length)
    for_text, for_result = tee(documents)
    texts = (d.text if len(d.text) <= limit else "" for d in for_text)  # "" keeps the two in step
    for document, parsed in zip(for_result, parse(texts, batch_size=batch_size), strict=True):
        if len(document.text) > limit:
            too_long = f"{len(document.text)} characters, more than the model's {limit}; split the document"
            on_error(BadDocument(document.id, too_long))
            continue
        yield document, parsed


def code_documents(
    documents: Iterable[Document],
    batch_size: int = 16,
    on_error: Callable[[BadDocument], None] = raise_bad,
    model: str | None = None,
    actor_model: str | None = None,
) -> Iterator[tuple[Document, list[Event]]]:
    """Code each document and yield it with its events, in input order.

    A document that cannot be coded (longer than the model accepts, or one the rules fail on) goes
    to `on_error`; by default that raises BadDocument, and a handler that returns skips the document.
    `model` is an event model directory, "default" or "rules" (None: $EVENTCODER_MODEL, else default);
    `actor_model` an actor-type model directory, "default" or "rules" (no ACLED actor types; None:
    $EVENTCODER_ACTOR_MODEL, else default).
    """
    gazetteer = Gazetteer.load()
    classifier = load_classifier(model)
    actors = load_actor_model(actor_model)
    for document, parsed in parsed_documents(documents, batch_size, on_error):
        result = guarded(lambda p, d: code_document(p, d, gazetteer, classifier, actors), parsed, document)
        if isinstance(result, BadDocument):
            on_error(result)
            continue
        yield document, result


def document_candidates(
    documents: Iterable[Document], on_error: Callable[[BadDocument], None] = raise_bad
) -> Iterator[tuple[Document, list[Mention], DocumentSignals]]:
    """Yield each document with the rules' candidate events and signals (what training sees)."""
    gazetteer = Gazetteer.load()
    for document, parsed in parsed_documents(documents, 16, on_error):
        result = guarded(
            lambda p, d: candidates(p, d, gazetteer, document_countries(p, gazetteer)), parsed, document
        )
        if isinstance(result, BadDocument):
            on_error(result)
            continue
        yield document, *result


def published_date(published: dt.date | str | None) -> dt.date | None:
    """Return `extract`'s publication date from a date or an ISO string.

    Raises:
        TypeError: anything else, or a string that is not an ISO date.
        ValueError: a date outside the range eventcoder resolves against (see ingest.read).
    """
    if published is None:
        return None
    if isinstance(published, str):
        try:
            day = dt.date.fromisoformat(published.strip())
        except ValueError:
            raise TypeError(
                f"published={published!r} is not an ISO date; give YYYY-MM-DD or a date"
            ) from None
    elif isinstance(published, dt.date):
        day = published.date() if isinstance(published, dt.datetime) else published
    else:
        raise TypeError(
            f"published must be a datetime.date or an ISO string YYYY-MM-DD, not {type(published).__name__}"
        )
    problem = published_problem(day)
    if problem:
        raise ValueError(problem)
    return day


def extract(
    text: str, published: dt.date | str | None = None, doc_id: str = "-", model: str | None = None
) -> list[Event]:
    """Code one text and return its event records.

    Args:
        text: the article's text; it is cleaned first and offsets refer to the cleaned text.
        published: the date (or ISO string) relative dates are resolved against; None leaves them
            unresolved.
        doc_id: the id the records carry.
        model: an event model directory, "default" or "rules"; None: $EVENTCODER_MODEL, else default.

    Returns:
        One Event per real-world event the text states.

    Raises:
        BadDocument: the text is empty after cleaning, or cannot be coded.
        TypeError: `published` is neither a date nor an ISO date string.
        ValueError: `published` lies outside the dates eventcoder resolves against (1800..2199).
        ModelNotFound: `model` names no model.
    """
    document = Document(id=doc_id, text=clean_text(text), published=published_date(published))
    if not document.text:
        raise BadDocument(doc_id, EMPTY)
    return next(code_documents([document], model=model))[1]
