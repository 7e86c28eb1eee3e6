"""Load the ontology's data files: PLOVER types, trigger lexicon, ACLED mapping, word lists.

Everything a coder may want to edit lives in this folder as CSV or JSON; this module only
reads it (once per process) into typed tables.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Any

from eventcoder.records import Acled


@dataclass(frozen=True, slots=True)
class Condition:
    """One requirement a trigger row places on its context."""

    kind: str  # child | head | patient | ctx
    values: frozenset[str]


@dataclass(frozen=True, slots=True)
class TriggerRow:
    """One row of triggers.csv."""

    lemma: str
    pos: str  # VERB | NOUN
    type: str
    mode: str | None
    cameo: str | None
    needs: tuple[Condition, ...]


@dataclass(frozen=True, slots=True)
class AcledRule:
    """One row of acled.csv: when a PLOVER event maps to an ACLED type."""

    type: str
    mode: str
    cameo: str
    source_class: str  # armed | civilian | crowd | *
    target_class: str
    acled: Acled


@dataclass(frozen=True, slots=True)
class NamedActor:
    """A named actor (armed group, institution) that resolves to one identity whatever alias is used."""

    name: str
    aliases: tuple[str, ...]
    country: str | None
    sector: str
    code: str


def _read_text(name: str) -> str:
    return resources.files("eventcoder.ontology").joinpath(name).read_text(encoding="utf-8")


def _csv_rows(name: str) -> list[dict[str, str]]:
    lines = [line for line in _read_text(name).splitlines() if line and not line.startswith("#")]
    return list(csv.DictReader(lines))


def _parse_needs(text: str) -> tuple[Condition, ...]:
    conditions = []
    for part in filter(None, (p.strip() for p in text.split(";"))):
        kind, _, values = part.partition(":")
        conditions.append(Condition(kind, frozenset(values.split("|"))))
    return tuple(conditions)


@lru_cache(maxsize=1)
def plover() -> dict[str, Any]:
    """Return the PLOVER types with their quad and modes."""
    data: dict[str, Any] = json.loads(_read_text("plover.json"))["types"]
    return data


@lru_cache(maxsize=1)
def triggers() -> dict[tuple[str, str], tuple[TriggerRow, ...]]:
    """Return trigger rows keyed by (lemma, pos), in file order."""
    table: dict[tuple[str, str], list[TriggerRow]] = {}
    for row in _csv_rows("triggers.csv"):
        entry = TriggerRow(
            lemma=row["lemma"],
            pos=row["pos"],
            type=row["type"],
            mode=row["mode"] or None,
            cameo=row["cameo"] or None,
            needs=_parse_needs(row["needs"] or ""),
        )
        table.setdefault((entry.lemma, entry.pos), []).append(entry)
    return {key: tuple(rows) for key, rows in table.items()}


@lru_cache(maxsize=1)
def acled_rules() -> tuple[AcledRule, ...]:
    """Return the ACLED mapping rules in file order; '*' matches anything."""
    return tuple(
        AcledRule(
            row["type"],
            row["mode"],
            row["cameo"],
            row["source_class"],
            row["target_class"],
            Acled(row["event_type"], row["sub_event_type"] or None),
        )
        for row in _csv_rows("acled.csv")
    )


@lru_cache(maxsize=1)
def sectors() -> dict[str, str]:
    """Return word or phrase (lower case) -> PLOVER actor sector."""
    return {row["word"]: row["sector"] for row in _csv_rows("sectors.csv")}


@lru_cache(maxsize=1)
def weapons() -> dict[str, str]:
    """Return weapon word or phrase (lower case) -> PLOVER ASSAULT mode."""
    return {row["word"]: row["mode"] for row in _csv_rows("weapons.csv")}


@lru_cache(maxsize=1)
def named_actors() -> dict[str, NamedActor]:
    """Return alias (lower case) -> named actor."""
    table: dict[str, NamedActor] = {}
    for row in _csv_rows("named_actors.csv"):
        aliases = tuple(a.strip() for a in row["aliases"].split("|") if a.strip())
        group = NamedActor(row["name"], aliases, row["country"] or None, row["sector"], row["code"])
        for alias in (*aliases, group.name):
            table[alias.lower()] = group
    return table


@lru_cache(maxsize=1)
def words() -> dict[str, Any]:
    """Return the closed word lists of words.json."""
    data: dict[str, Any] = json.loads(_read_text("words.json"))
    return data


@cache
def word_set(name: str) -> frozenset[str]:
    """Return one list of words.json as a set."""
    return frozenset(words()[name])
