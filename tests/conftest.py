"""Fixtures for every test: each test starts with the model choices of the environment it was given."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

# `eventcoder extract --model X` sets these for its process (batch workers and the API read them);
# a CLI test run in-process must not hand its choice to the tests after it
MODEL_VARIABLES = ("EVENTCODER_MODEL", "EVENTCODER_ACTOR_MODEL")


@pytest.fixture(autouse=True)
def model_choice_restored() -> Iterator[None]:
    """Restore the model variables after each test, as they were before it."""
    saved = {name: os.environ.get(name) for name in MODEL_VARIABLES}
    yield
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
