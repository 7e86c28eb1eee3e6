"""The ACLED CSV export: ACLED's columns and conventions, read back by the evaluation's own reader."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from eventcoder.evaluate.gold import read_gold
from eventcoder.evaluate.score import score_document, summarize
from eventcoder.pipeline import code_documents
from eventcoder.records import Document
from eventcoder.store import Store
from eventcoder.store.export import (
    ACLED_COLUMNS,
    acled_row,
    civilian_targeting,
    event_day,
    interaction,
    outlet,
    write_acled_csv,
)
from eventcoder.store.filters import EventFilter

NOTES = Path(__file__).parents[1] / "data" / "actors" / "notes.csv"


@pytest.mark.parametrize(
    ("inter1", "inter2", "code"),
    [(1, 7, 17), (7, 1, 17), (1, 2, 12), (6, None, 60), (5, 5, 55), (None, 7, None)],
)
def test_export_interaction_lower_code_first(
    inter1: int | None, inter2: int | None, code: int | None
) -> None:
    assert interaction(inter1, inter2) == code


@pytest.mark.parametrize(
    ("event_type", "inter2", "flag"),
    [
        ("Violence against civilians", 7, "Civilians targeted"),
        ("Battles", 2, ""),
        ("Protests", 7, ""),
    ],
)
def test_export_civilian_targeting(event_type: str, inter2: int, flag: str) -> None:
    assert civilian_targeting(event_type, inter2) == flag


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        ({"value": "2024-03-04", "precision": "day"}, ("2024-03-04", 1)),
        ({"value": "2024-03", "precision": "month"}, ("2024-03-01", 3)),
        (None, (None, None)),
    ],
)
def test_export_event_date_at_day_precision(date: dict | None, expected: tuple) -> None:
    assert event_day(date) == expected


def test_export_source_is_the_outlet() -> None:
    assert (
        outlet({"url": "https://www.nation.example/news/1", "title": "Police fire tear gas"})
        == "nation.example"
    )


def test_export_row_writes_acled_names_not_raw_words() -> None:
    record = {
        "id": "e1",
        "acled": {"event_type": "Violence against civilians", "sub_event_type": "Attack"},
        "source": {
            "text": "NAIROBI - Kenyan police",
            "name": None,
            "inter": 1,
            "acled_name": "Police Forces of Kenya",
        },
        "target": {"text": "12 people", "name": None, "inter": 7, "acled_name": "Civilians (Kenya)"},
        "location": {"name": "Istanbul", "country": "TUR", "precision": "city", "lat": 41.0, "lon": 29.0},
        "date": {"value": "2024-03-04", "precision": "day"},
        "evidence": [],
        "sources": [{"doc_id": "d1", "url": "https://example.org/a"}],
    }
    row = acled_row(record)
    assert (row["actor1"], row["actor2"], row["interaction"]) == (
        "Police Forces of Kenya",
        "Civilians (Kenya)",
        17,
    )
    assert (row["country"], row["iso"], row["civilian_targeting"]) == ("Turkey", 792, "Civilians targeted")
    assert row["source"] == "example.org"


def test_export_round_trip_reads_back_and_scores(tmp_path: Path) -> None:
    gold = list(read_gold(NOTES, "acled"))
    store = Store.open(str(tmp_path / "events.sqlite"))
    documents = [Document(r.id, r.text, None, None, f"https://wire.example/{r.id}") for r in gold]
    try:
        for document, events in code_documents(documents):
            store.add_document(document, events)
        out = tmp_path / "export.csv"
        with out.open("w", encoding="utf-8", newline="") as handle:
            written, _ = write_acled_csv(store.iter_events(EventFilter()), handle)
    finally:
        store.close()
    assert written >= len(gold) - 2
    with out.open(encoding="utf-8") as handle:
        assert tuple(csv.DictReader(handle).fieldnames or ()) == ACLED_COLUMNS
    exported = list(read_gold(out, "acled"))
    assert all(r.actor1 and r.inter1 for r in exported)
    by_note = {r.text.split(" | ")[0]: r for r in exported}
    # score the export's actor columns against the gold, as benchmarks/accuracy.py does
    countries = [by_note[g.text].actor1_country == g.actor1_country for g in gold if g.text in by_note]
    inters = [by_note[g.text].inter1 == g.inter1 for g in gold if g.text in by_note]
    assert sum(countries) / len(countries) >= 0.75
    assert sum(inters) / len(inters) >= 0.6
    assert summarize([score_document(g, []) for g in gold]).scored["actor1_inter"] == len(gold)
