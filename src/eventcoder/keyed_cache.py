"""JSON-lines caches keyed by a hash of what was coded: the training rules' and actor contexts' caches.

One line per entry, {"key": ..., FIELD: ...}, appended as entries are computed, so a killed run
keeps what it did; a line it cut short is skipped on reading (and computed again).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


def read_cache(path: Path | None, field: str) -> dict[str, Any]:
    """Return key -> entry[field] of a cache file; nothing when there is no file."""
    known: dict[str, Any] = {}
    if path is None or not path.exists():
        return known
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            entry = json.loads(line)
        except json.JSONDecodeError:
            continue  # a line cut short by a killed run: that entry is computed again
        known[entry["key"]] = entry[field]
    return known


@contextmanager
def cache_writer(path: Path | None, field: str, needed: bool) -> Iterator[Callable[[str, Any], None]]:
    """Yield a function that appends one entry to the cache file (nothing without a file or need)."""
    if path is None or not needed:
        yield lambda key, value: None
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as sink:

        def write(key: str, value: Any) -> None:
            sink.write(json.dumps({"key": key, field: value}) + "\n")

        yield write
