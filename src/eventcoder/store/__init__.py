"""The event store: SQLite by default, PostgreSQL through the same schema, cross-report merge."""

from eventcoder.store.db import Store, content_hash
from eventcoder.store.filters import EventFilter

__all__ = ["EventFilter", "Store", "content_hash"]
