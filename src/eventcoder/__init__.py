"""eventcoder: news text to event records a careful human coder would sign."""

from eventcoder.geoparse import geoparse
from eventcoder.pipeline import code_documents, extract
from eventcoder.records import Document, Event

__all__ = ["Document", "Event", "code_documents", "extract", "geoparse"]
__version__ = "0.1.0"
