"""The stage order, top to bottom: documents in, event records out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

from eventcoder.records import Document, Event


def code_documents(
    documents: Iterable[Document], batch_size: int = 16
) -> Iterator[tuple[Document, list[Event]]]:
    """Code each document and yield it with its events, in input order."""
    raise NotImplementedError


def extract(text: str, published: dt.date | None = None, doc_id: str = "-") -> list[Event]:
    """Code one text and return its events."""
    document = Document(id=doc_id, text=text, published=published)
    return next(code_documents([document]))[1]
