"""Cross-report clusters on real ingests: real pipeline, real SQLite store (issue 9)."""

from __future__ import annotations

import datetime as dt
import json
import random
import sqlite3
import warnings
from collections.abc import Iterable
from pathlib import Path

import pytest
from click.testing import CliRunner

from eventcoder.cli import main
from eventcoder.pipeline import code_documents
from eventcoder.records import Document, Event
from eventcoder.store import EventFilter, Store
from tests.store import corpus

with warnings.catch_warnings():
    # starlette 1.x warns that its TestClient wants httpx2; httpx is what the project installs
    warnings.filterwarnings("ignore", message=".*starlette.testclient.*httpx2", category=UserWarning)
    from fastapi.testclient import TestClient

PAIRS = Path(__file__).resolve().parent.parent / "data" / "pairs" / "pairs.jsonl"
ALL = EventFilter()
Coded = list[tuple[Document, list[Event]]]


def pairs() -> list[dict[str, object]]:
    """Return the hand-written pairs: two outlets' reports of one event each."""
    return [json.loads(line) for line in PAIRS.read_text("utf-8").splitlines() if line.strip()]


def documents(reports: Iterable[dict[str, str]]) -> list[Document]:
    """Return Documents of report dicts."""
    return [
        Document(r["id"], r["text"], r.get("title"), dt.date.fromisoformat(r["published"]), r.get("url"))
        for r in reports
    ]


@pytest.fixture(scope="module")
def coded_corpus() -> Coded:
    """Code the pairs and the six-event corpus once with the real pipeline."""
    reports = [r for p in pairs() for r in p["reports"]]  # type: ignore[attr-defined]
    return list(code_documents(documents([*reports, *corpus.reports()])))


def code(*texts: tuple[str, str, str]) -> Coded:
    """Code (id, published, text) documents with the real pipeline."""
    return list(code_documents([Document(i, t, None, dt.date.fromisoformat(p)) for i, p, t in texts]))


def stored(path: Path, items: Iterable[tuple[Document, list[Event]]]) -> Store:
    """Return a fresh store at path holding the coded documents, in the order given."""
    store = Store.open(str(path))
    for doc, events in items:
        store.add_document(doc, events)
    return store


def partition(store: Store) -> set[tuple[str, frozenset[str], tuple[object, ...]]]:
    """Return every event as (id, its documents, its tolls and date): what must not depend on order."""
    return {
        (
            r["id"],
            frozenset(s["doc_id"] for s in r["sources"]),
            (r["fatalities_low"], r["fatalities_best"], r["fatalities_high"], (r["date"] or {}).get("value")),
        )
        for r in store.iter_events(ALL)
    }


def events_of(store: Store) -> dict[str, set[str]]:
    """Return, per document id, the ids of the events holding its reports."""
    where: dict[str, set[str]] = {}
    for record in store.iter_events(ALL):
        for source in record["sources"]:
            where.setdefault(source["doc_id"], set()).add(record["id"])
    return where


def together(store: Store, a: str, b: str) -> bool:
    """Tell whether two documents report one stored event."""
    where = events_of(store)
    return bool(where.get(a, set()) & where.get(b, set()))


def test_clusters_any_order_gives_the_same_events(coded_corpus: Coded, tmp_path: Path) -> None:
    first = stored(tmp_path / "in-order.sqlite", coded_corpus)
    expected = partition(first)
    first.close()
    assert sum(len(docs) > 1 for _, docs, _ in expected) >= 55  # the property is not vacuous
    half = len(coded_corpus) // 2
    orders = {
        "reversed": coded_corpus[::-1],
        "halves swapped": coded_corpus[half:] + coded_corpus[:half],
    }
    for seed in (1, 2, 3):
        shuffled = coded_corpus[:]
        random.Random(seed).shuffle(shuffled)
        orders[f"shuffled {seed}"] = shuffled
    for name, items in orders.items():
        store = stored(tmp_path / f"{name}.sqlite", items)
        assert partition(store) == expected, name
        store.close()


def test_clusters_every_pair_inside_an_event_is_compatible(coded_corpus: Coded, tmp_path: Path) -> None:
    store = stored(tmp_path / "all.sqlite", coded_corpus)
    merged = [r for r in store.iter_events(ALL) if r["n_sources"] > 1]
    assert merged
    for record in merged:
        explained = store.explain(record["id"])
        assert explained is not None
        relations = {p["relation"] for p in explained["pairs"]}
        assert "conflict" not in relations, (record["id"], explained["pairs"])
        # every source says why it is there
        assert all(s["merge_reason"] for s in record["sources"]), record["sources"]
    alone = [r for r in store.iter_events(ALL) if r["n_sources"] == 1]
    assert alone
    assert all(s["merge_reason"] is None for r in alone for s in r["sources"])
    store.close()


def test_clusters_pairs_merge_and_never_mix(coded_corpus: Coded, tmp_path: Path) -> None:
    store = stored(tmp_path / "pairs.sqlite", coded_corpus)
    hand = pairs()
    pair_of = {r["id"]: p["pair"] for p in hand for r in p["reports"]}  # type: ignore[attr-defined]
    merged = sum(together(store, *(r["id"] for r in p["reports"])) for p in hand)  # type: ignore[attr-defined]
    assert merged >= 0.9 * len(hand)
    for record in store.iter_events(ALL):
        told = {pair_of.get(s["doc_id"], "corpus") for s in record["sources"]}
        assert len(told) == 1, record["id"]
    store.close()


def test_clusters_undated_report_never_bridges_two_dated_events(tmp_path: Path) -> None:
    items = code(
        (
            "first",
            "2024-03-04",
            "Russian troops shelled the market in Kharkiv on Monday, killing 12 civilians.",
        ),
        (
            "second",
            "2024-03-21",
            "Russian troops shelled the market in Kharkiv on Thursday, killing 12 civilians.",
        ),
        ("undated", "2024-03-22", "Russian troops shelled the market in Kharkiv, killing 12 civilians."),
    )
    for order in (items, items[::-1], [items[2], items[0], items[1]]):
        store = stored(tmp_path / f"bridge-{len(list(tmp_path.iterdir()))}.sqlite", order)
        assert not together(store, "first", "second")
        # the undated report was published a day after the second: it may join that one only
        assert together(store, "undated", "second")
        assert not together(store, "undated", "first")
        store.close()


@pytest.mark.parametrize(
    ("a", "b", "why"),
    [
        (
            (
                "a",
                "2024-03-05",
                "Protesters marched through Kharkiv on Monday against the mayor's market plan.",
            ),
            (
                "b",
                "2024-03-05",
                "A Russian airstrike hit the market in Kharkiv on Monday, killing 12 people.",
            ),
            "a protest and an airstrike",
        ),
        (
            (
                "a",
                "2024-03-05",
                "Soldiers clashed with rebels in Kharkiv on Monday, leaving 9 fighters dead.",
            ),
            ("b", "2024-03-05", "Soldiers clashed with rebels in Dnipro on Monday, leaving 9 fighters dead."),
            "two towns 200 km apart",
        ),
        (
            (
                "a",
                "2024-03-05",
                "Russian forces shelled a market in Kharkiv on Monday, killing 12 civilians.",
            ),
            (
                "b",
                "2024-03-27",
                "Russian forces shelled a market in Kharkiv on Tuesday, killing 12 civilians.",
            ),
            "three weeks apart",
        ),
        (
            ("a", "2024-03-05", "Russian forces shelled a market in Kharkiv on Monday, killing 3 civilians."),
            (
                "b",
                "2024-03-05",
                "Russian forces shelled a market in Kharkiv on Monday, killing 90 civilians.",
            ),
            "tolls of 3 and 90",
        ),
        (
            ("a", "2024-03-05", "Police arrested 20 protesters in Kharkiv on Monday."),
            (
                "b",
                "2024-03-05",
                "Russian forces shelled a market in Kharkiv on Monday, killing 20 civilians.",
            ),
            "an arrest and a shelling",
        ),
    ],
)
def test_clusters_incompatible_reports_stay_two_events(a, b, why, tmp_path: Path) -> None:
    store = stored(tmp_path / "two.sqlite", code(a, b))
    assert events_of(store)["a"], "the pipeline coded no event"
    assert events_of(store)["b"], "the pipeline coded no event"
    assert not together(store, "a", "b"), why
    store.close()


def test_clusters_compatible_reports_of_one_event_merge(tmp_path: Path) -> None:
    # the control for the test above: the same wording with agreeing facts is one event
    store = stored(
        tmp_path / "one.sqlite",
        code(
            (
                "a",
                "2024-03-05",
                "Russian forces shelled a market in Kharkiv on Monday, killing 12 civilians.",
            ),
            (
                "b",
                "2024-03-06",
                "Russian shelling of a Kharkiv market on 4 March killed 15 civilians, officials said.",
            ),
        ),
    )
    assert together(store, "a", "b")
    (record,) = [r for r in store.iter_events(ALL) if r["n_sources"] == 2]
    assert (record["fatalities_low"], record["fatalities_best"], record["fatalities_high"]) == (12, 12, 15)
    store.close()


def run(*args: str) -> tuple[int, str, str]:
    """Run the eventcoder command; return exit code, stdout and stderr."""
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


SPLIT_DOCS = (
    (
        "wire",
        "2024-10-05",
        "An Israeli airstrike killed seven people in Tyre on Friday, Lebanese officials said.",
    ),
    (
        "daily",
        "2024-10-06",
        "Israeli warplanes struck a building in Tyre on 4 October, killing seven people.",
    ),
    ("later", "2024-10-07", "Seven people died when Israeli jets bombed a building in Tyre on 4 October."),
)


def test_clusters_split_detaches_for_good(tmp_path: Path) -> None:
    items = code(*SPLIT_DOCS)
    path = tmp_path / "split.sqlite"
    store = stored(path, items[:2])
    (event_id,) = events_of(store)["wire"]
    assert together(store, "wire", "daily")
    store.close()
    code_, out, err = run("split", event_id, "daily", "--db", str(path))
    assert code_ == 0, err
    (now_in,) = out.split()
    store = Store.open(str(path))
    assert events_of(store)["daily"] == {now_in}
    assert not together(store, "wire", "daily")
    # a re-ingest of the split document and a third report agreeing with both change nothing
    store.add_document(*items[1])
    store.add_document(*items[2])
    assert not together(store, "wire", "daily")
    assert together(store, "later", "wire") or together(store, "later", "daily")
    store.close()
    code_, out, _ = run("events", "--db", str(path), "--id", event_id, "--explain", "--format", "table")
    assert code_ == 0
    assert "daily" in out
    assert "split apart by a user" in out


def test_clusters_split_cli_errors_exit_1(tmp_path: Path) -> None:
    path = tmp_path / "split.sqlite"
    store = stored(path, code(*SPLIT_DOCS[:2]))
    (event_id,) = events_of(store)["wire"]
    store.close()
    code_, _, err = run("split", event_id, "nobody", "--db", str(path))
    assert code_ == 1
    assert "is not a source of event" in err
    code_, _, err = run("split", "no-such-event", "wire", "--db", str(path))
    assert code_ == 1
    assert "no event 'no-such-event'" in err


def test_clusters_explain_shows_each_pair(tmp_path: Path) -> None:
    path = tmp_path / "explain.sqlite"
    store = stored(path, code(*SPLIT_DOCS))
    (event_id,) = events_of(store)["wire"]
    store.close()
    code_, out, _ = run("events", "--db", str(path), "--id", event_id, "--explain")
    assert code_ == 0
    explained = json.loads(out)
    assert len(explained["reports"]) == 3
    assert len(explained["pairs"]) == 3
    assert all(p["relation"] == "link" for p in explained["pairs"])
    assert any("Tyre" in p["reason"] for p in explained["pairs"])
    code_, _, err = run("events", "--db", str(path), "--explain")
    assert code_ == 2
    assert "--explain needs the event" in err


def test_clusters_api_split_needs_the_token(tmp_path: Path) -> None:
    from eventcoder.api.app import Settings, create_app

    store = stored(tmp_path / "api.sqlite", code(*SPLIT_DOCS[:2]))
    (event_id,) = events_of(store)["wire"]
    with TestClient(create_app(store, Settings(token="s3cret"))) as client:
        assert client.post(f"/events/{event_id}/split", json={"doc_id": "daily"}).status_code == 403
        wrong = {"Authorization": "Bearer nope"}
        assert (
            client.post(f"/events/{event_id}/split", json={"doc_id": "daily"}, headers=wrong).status_code
            == 403
        )
        good = {"Authorization": "Bearer s3cret"}
        assert client.post(f"/events/{event_id}/split", json={"doc_id": "x"}, headers=good).status_code == 422
        assert client.post("/events/none/split", json={"doc_id": "daily"}, headers=good).status_code == 404
        explained = client.get(f"/events/{event_id}/explain").json()
        assert explained["pairs"][0]["relation"] == "link"
        record = client.get(f"/events/{event_id}").json()
        assert all(s["merge_reason"] for s in record["sources"])
        done = client.post(f"/events/{event_id}/split", json={"doc_id": "daily"}, headers=good)
        assert done.status_code == 200
        assert len(done.json()["now_in"]) == 1
    assert not together(store, "wire", "daily")
    store.close()


def test_clusters_old_store_migrates_without_losing_data(coded_corpus: Coded, tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    store = stored(path, coded_corpus)
    expected = partition(store)
    counts = {k: store.stats()[k] for k in ("documents", "reports", "events")}
    store.close()
    # make it a store of the first release: no links, splits or new report columns
    with sqlite3.connect(path) as db:
        db.execute("DROP TABLE links")
        db.execute("DROP TABLE splits")
        for index in ("ix_reports_component", "ix_reports_family_date", "ix_reports_family_lat"):
            db.execute(f"DROP INDEX {index}")
        for column in ("published", "component", "merge_reason", "place_name", "family", "terms"):
            db.execute(f"ALTER TABLE reports DROP COLUMN {column}")
    reopened = Store.open(str(path))
    assert {k: reopened.stats()[k] for k in ("documents", "reports", "events")} == counts
    assert partition(reopened) == expected
    reopened.close()
