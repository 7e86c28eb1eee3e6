"""Session fixtures for resolve tests: the real spaCy model and the real gazetteer."""

from __future__ import annotations

from typing import Any

import pytest

from eventcoder.nlp import load_model
from eventcoder.resolve.gazetteer import Gazetteer


@pytest.fixture(scope="session")
def nlp() -> Any:
    return load_model()


@pytest.fixture(scope="session")
def gazetteer() -> Gazetteer:
    return Gazetteer.load()
