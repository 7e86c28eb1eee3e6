"""The events and export commands, run for real on a store filled with hand-built events."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from eventcoder.cli import main
from eventcoder.store import Store
from eventcoder.store.export import ACLED_COLUMNS
from tests.store.builders import document, event


@pytest.fixture
def db(tmp_path: Path) -> str:
    """Return the path of a store holding a merged Kharkiv strike and an Odesa strike."""
    path = str(tmp_path / "events.sqlite")
    with Store.open(path) as store:
        for doc_id, deaths in (("a", 12), ("b", 14), ("c", 14)):
            doc = document(doc_id, f"Russian forces struck Kharkiv, {deaths} killed ({doc_id}).")
            store.add_document(doc, [event(doc, fatalities=deaths)])
        odesa = document("d", "A drone hit the port of Odesa.")
        store.add_document(
            odesa, [event(odesa, day="2024-03-08", place=("Odesa", 46.48, 30.73, "UKR", "Odesa"))]
        )
        talks = document("e", "Ukraine and Poland held talks.")
        store.add_document(talks, [event(talks, type_="CONSULT", place=None)])
    return path


def run(*args: str) -> tuple[int, str, str]:
    """Run the eventcoder command; return exit code, stdout and stderr."""
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_cli_events_jsonl_prints_merged_events(db: str) -> None:
    code, out, err = run("events", "--db", db, "--type", "ASSAULT")
    assert code == 0
    records = [json.loads(line) for line in out.splitlines()]
    assert [r["n_sources"] for r in records] == [1, 3]
    assert records[1]["fatalities_best"] == 14
    assert err.strip() == "2 of 2 matching events"


def test_cli_events_near_and_table(db: str) -> None:
    code, out, _ = run("events", "--db", db, "--near", "50.0,36.2,25", "--format", "table")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["id", "date", "type"]
    assert len(lines) == 2
    assert "Kharkiv" in lines[1]
    assert "14 (12-14)" in lines[1]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--near", "50,36"], "not LAT,LON,KM"),
        (["--near", "95,36,10"], "latitude must be"),
        (["--since", "March 4"], "does not match the format"),
    ],
)
def test_cli_events_bad_options_exit_2(db: str, args: list[str], message: str) -> None:
    code, _, err = run("events", "--db", db, *args)
    assert code == 2
    assert message in err


def test_cli_export_acled_csv(db: str) -> None:
    code, out, err = run("export", "--db", db, "--format", "acled-csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert tuple(rows[0]) == ACLED_COLUMNS
    kharkiv = next(r for r in rows if r["location"] == "Kharkiv")
    assert kharkiv["event_date"] == "2024-03-04"
    assert kharkiv["event_type"] == "Explosions/Remote violence"
    assert kharkiv["country"] == "Ukraine"
    assert kharkiv["actor1"] == "Russian military"
    assert kharkiv["fatalities"] == "14"
    assert kharkiv["notes"].count(" | ") == 2
    assert kharkiv["source"] == "news.example"  # the outlet (site), once, not the headlines
    assert len(rows) == 2
    assert err.strip() == "exported 2 events, left out 1 with no ACLED counterpart"


def test_cli_export_geojson_to_file(db: str, tmp_path: Path) -> None:
    target = tmp_path / "events.geojson"
    code, _, err = run("export", "--db", db, "--format", "geojson", "-o", str(target))
    assert code == 0
    collection = json.loads(target.read_text())
    assert collection["type"] == "FeatureCollection"
    coords = sorted(f["geometry"]["coordinates"] for f in collection["features"])
    assert coords == [[30.73, 46.48], [36.25, 49.98]]
    assert "left out 1 with no place" in err


def test_cli_export_jsonl_with_filter(db: str) -> None:
    code, out, _ = run("export", "--db", db, "--format", "jsonl", "--actor", "ukrainian")
    assert code == 0
    assert out == ""
    code, out, _ = run("export", "--db", db, "--format", "jsonl", "--type", "consult")
    assert [json.loads(x)["type"] for x in out.splitlines()] == ["CONSULT"]


def test_cli_export_parquet(db: str, tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    target = tmp_path / "events.parquet"
    code, _, _ = run("export", "--db", db, "--format", "parquet", "-o", str(target))
    assert code == 0
    table = pq.read_table(target).to_pylist()
    assert len(table) == 3
    merged = next(r for r in table if r["n_sources"] == 3)
    assert (merged["fatalities_low"], merged["fatalities"], merged["fatalities_high"]) == (
        12,
        14,
        14,
    )
    assert json.loads(merged["record"])["id"] == merged["id"]


def test_cli_export_parquet_needs_output(db: str) -> None:
    code, _, err = run("export", "--db", db, "--format", "parquet")
    assert code == 2
    assert "-o FILE" in err


def test_cli_store_commands_have_help() -> None:
    for name in ("ingest", "events", "export"):
        code, out, _ = run(name, "--help")
        assert code == 0
        assert "--db" in out
