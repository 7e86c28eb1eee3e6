"""Every Event field is named in the docstring of the stage that decides it ("Event.<field>")."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from dataclasses import fields
from types import ModuleType

import pytest

from eventcoder.records import Event

PACKAGES = ("eventcoder.extract", "eventcoder.classify", "eventcoder.resolve")
MODULES = ("eventcoder.merge", "eventcoder.pipeline")
# extra is free-form debugging data; doc_id is copied from the document, nothing decides it
UNDECIDED = frozenset({"extra", "doc_id"})


def stage_modules() -> list[ModuleType]:
    """Import every module of the extract, classify and resolve packages, merge and pipeline."""
    found = [importlib.import_module(name) for name in MODULES]
    for name in PACKAGES:
        package = importlib.import_module(name)
        for info in pkgutil.iter_modules(package.__path__):
            found.append(importlib.import_module(f"{name}.{info.name}"))
    return found


def stage_docstrings() -> str:
    """Return the docstrings of every function defined in the stage modules (cached ones too)."""
    docs = []
    for module in stage_modules():
        for _, member in inspect.getmembers(module, callable):
            function = inspect.unwrap(member)  # an lru_cache keeps the function it caches
            if inspect.isfunction(function) and function.__module__ == module.__name__ and function.__doc__:
                docs.append(function.__doc__)
    return "\n".join(docs)


DECIDED = [f.name for f in fields(Event) if f.name not in UNDECIDED]


def test_fields_documented_finds_stages():
    assert len(stage_modules()) >= 8
    assert "Decide" in stage_docstrings()


# known gaps, each reported as an xfail so that documenting the field turns it into a failure to remove
UNDOCUMENTED: dict[str, str] = {}


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(name, marks=pytest.mark.xfail(reason=UNDOCUMENTED[name], strict=True))
        if name in UNDOCUMENTED
        else name
        for name in DECIDED
    ],
)
def test_fields_documented(name):
    assert re.search(rf"\bEvent\.{name}\b", stage_docstrings()), (
        f"no function docstring in extract/, resolve/, merge or pipeline names Event.{name}; "
        "name it in the first line of the function that decides it"
    )
