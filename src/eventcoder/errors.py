"""Errors eventcoder raises.

EventcoderError                 base class: catch this to catch everything of ours
├── BadDocument(doc_id, reason)  one document cannot be coded; the batch goes on
├── ModelNotFound                no English spaCy model installed, or no event model at --model
├── GoldFormatError              an evaluation file is not in the format asked for
└── StoreError                   the database cannot be opened or written
"""

from __future__ import annotations


class EventcoderError(Exception):
    """Base class of every eventcoder error."""


class BadDocument(EventcoderError):
    """A document that cannot be read or coded; carries its id and the reason."""

    def __init__(self, doc_id: str, reason: str) -> None:
        super().__init__(f"{doc_id}: {reason}")
        self.doc_id = doc_id
        self.reason = reason


class ModelNotFound(EventcoderError):
    """No English spaCy model, or no event model where --model points, could be loaded."""


class GoldFormatError(EventcoderError):
    """A gold-standard file cannot be read in the format asked for."""


class StoreError(EventcoderError):
    """The event store cannot be opened or written."""
