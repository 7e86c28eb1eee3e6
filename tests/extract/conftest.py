"""Session fixtures for extract tests: the real spaCy model, the real gazetteer, a sentence coder."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from eventcoder.extract.mentions import document_mentions
from eventcoder.nlp import load_model
from eventcoder.records import Mention
from eventcoder.resolve.actors import ActorMemory, capitals
from eventcoder.resolve.gazetteer import Gazetteer
from eventcoder.resolve.mentions import DocumentContext, resolve_mentions


@pytest.fixture(scope="session")
def nlp() -> Any:
    """Return the real English spaCy model, loaded once."""
    return load_model()


@pytest.fixture(scope="session")
def gazetteer() -> Gazetteer:
    """Return the real gazetteer, loaded once."""
    return Gazetteer.load()


@pytest.fixture(scope="session")
def code_mentions(nlp: Any, gazetteer: Gazetteer) -> Callable[..., list[Mention]]:
    """Return a function that codes a text into the mentions of all its sentences."""

    def code(text: str, countries: tuple[str, ...] = (), published: dt.date | None = None) -> list[Mention]:
        doc = nlp(text)
        context = DocumentContext(
            doc_id="test",
            published=published,
            gazetteer=gazetteer,
            countries=list(countries),
            memory=ActorMemory(capitals=capitals()),
        )
        return resolve_mentions(document_mentions(doc), context)

    return code
