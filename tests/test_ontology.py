"""The ontology's data files agree with PLOVER, with each other and with the contract's schema.

The files are read as written (CSV and JSON), not through the loaders, so these tests hold
whatever shape the loaders give them.
"""

from __future__ import annotations

import csv
import json
import re
from importlib import resources
from pathlib import Path
from typing import Any

from eventcoder import ontology

SCHEMA = Path(__file__).resolve().parent / "data" / "contract" / "event.schema.json"
PLOVER_TYPES = frozenset(
    {
        *("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST"),
        *("ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"),
    }
)
CONDITION_KINDS = frozenset({"child", "head", "patient", "ctx", "unless", "bare"})
CAMEO = re.compile(r"^[0-9]{2,4}$")
# acled.csv columns that are outcomes, not conditions
ACLED_OUTCOMES = frozenset({"type", "event_type", "sub_event_type"})


def data_text(name: str) -> str:
    """Return one ontology data file as text."""
    return resources.files("eventcoder.ontology").joinpath(name).read_text(encoding="utf-8")


def csv_rows(name: str) -> list[dict[str, str]]:
    """Return the rows of an ontology CSV, without comment lines."""
    lines = [line for line in data_text(name).splitlines() if line and not line.startswith("#")]
    return list(csv.DictReader(lines))


def plover_modes() -> dict[str, list[str]]:
    """Return PLOVER type -> its modes, from plover.json."""
    types: dict[str, Any] = json.loads(data_text("plover.json"))["types"]
    return {name: list(entry["modes"]) for name, entry in types.items()}


def schema_enum(key: str) -> set[Any]:
    """Return the enum of one key of the contract's acled object."""
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    return set(schema["properties"]["acled"]["properties"][key]["enum"])


def test_ontology_plover_has_the_sixteen_types():
    assert set(plover_modes()) == PLOVER_TYPES


def test_ontology_loader_agrees_with_plover_json():
    assert set(ontology.plover()) == PLOVER_TYPES


def test_ontology_trigger_types_are_plover():
    assert {row["type"] for row in csv_rows("triggers.csv")} - PLOVER_TYPES == set()


def test_ontology_acled_types_are_plover():
    assert {row["type"] for row in csv_rows("acled.csv")} - PLOVER_TYPES == set()


def test_ontology_trigger_modes_belong_to_their_type():
    modes = plover_modes()
    stray = [
        (row["lemma"], row["type"], row["mode"])
        for row in csv_rows("triggers.csv")
        if row["mode"] and row["mode"] not in modes[row["type"]]
    ]
    assert stray == []


def test_ontology_acled_modes_belong_to_their_type():
    modes = plover_modes()
    stray = [
        (row["type"], row["mode"])
        for row in csv_rows("acled.csv")
        if row["mode"] != "*" and row["mode"] not in modes[row["type"]]
    ]
    assert stray == []


def test_ontology_weapon_modes_are_assault_modes():
    modes = set(plover_modes()["ASSAULT"])
    assert {row["mode"] for row in csv_rows("weapons.csv")} - modes == set()


def test_ontology_acled_types_are_in_the_contract():
    rows = csv_rows("acled.csv")
    assert {row["event_type"] for row in rows} - schema_enum("event_type") == set()
    assert {row["sub_event_type"] or None for row in rows} - schema_enum("sub_event_type") == set()


def test_ontology_trigger_cameo_codes_are_digits():
    bad = [(row["lemma"], row["cameo"]) for row in csv_rows("triggers.csv") if not CAMEO.match(row["cameo"])]
    assert bad == []


def test_ontology_acled_cameo_conditions_are_digits():
    rows = csv_rows("acled.csv")
    if "cameo" in rows[0]:
        assert [row["cameo"] for row in rows if row["cameo"] != "*" and not CAMEO.match(row["cameo"])] == []


def test_ontology_trigger_rows_are_well_formed():
    for row in csv_rows("triggers.csv"):
        assert row["pos"] in ("VERB", "NOUN"), row
        assert row["lemma"] == row["lemma"].lower(), row
        for part in filter(None, (p.strip() for p in (row["needs"] or "").split(";"))):
            kind, _, values = part.partition(":")
            assert kind in CONDITION_KINDS, row
            assert values, row
            assert "" not in values.split("|"), row


def test_ontology_every_ctx_condition_has_a_word_list():
    used = set()
    for row in csv_rows("triggers.csv"):
        for part in filter(None, (p.strip() for p in (row["needs"] or "").split(";"))):
            kind, _, values = part.partition(":")
            if kind == "ctx":
                used |= set(values.split("|"))
    assert used, "triggers.csv uses ctx conditions"
    assert {v for v in used if f"{v}_context" not in ontology.words()} == set()


def test_ontology_no_acled_rule_is_unreachable():
    # the first matching rule wins: a rule after its type's all-"*" rule can never match
    caught: set[str] = set()
    unreachable = []
    for row in csv_rows("acled.csv"):
        if row["type"] in caught:
            unreachable.append(row)
        if all(value == "*" for key, value in row.items() if key not in ACLED_OUTCOMES):
            caught.add(row["type"])
    assert unreachable == []


def test_ontology_named_actor_codes_match_country_and_sector():
    for row in csv_rows("named_actors.csv"):
        if row["country"]:
            assert row["code"] == row["country"] + row["sector"], row
