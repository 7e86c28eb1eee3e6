"""The store on a real SQLite file and a real PostgreSQL server, with hand-built events."""

from __future__ import annotations

import datetime as dt

import pytest

from eventcoder.records import Actor, Document, Event, Flags, Place, Span, When
from eventcoder.store import EventFilter, Store
from tests.store import corpus
from tests.store.builders import document, event

ALL = EventFilter()


def test_db_add_document_is_idempotent(store: Store) -> None:
    doc = document("a", "Russian forces struck Kharkiv, killing 12.", "2024-03-04")
    assert store.add_document(doc, [event(doc, fatalities=12)]) is True
    assert store.add_document(doc, [event(doc, fatalities=12)]) is False
    renamed = document("copy-of-a", doc.text, "2024-03-04")
    assert store.add_document(renamed, [event(renamed, fatalities=12)]) is False
    stats = store.stats()
    assert (stats["documents"], stats["reports"], stats["events"]) == (1, 1, 1)


def test_db_reports_of_one_event_merge_with_sources_and_range(store: Store) -> None:
    tolls = {"a": 12, "b": 15, "c": 15, "d": 20}
    for doc_id, deaths in tolls.items():
        doc = document(doc_id, f"Report {doc_id}: strike on Kharkiv, {deaths} dead.", "2024-03-05")
        store.add_document(doc, [event(doc, fatalities=deaths)])
    assert store.count_events(ALL) == 1
    (merged,) = store.query_events(ALL)
    assert merged["n_sources"] == 4
    assert (merged["fatalities_low"], merged["fatalities_best"], merged["fatalities_high"]) == (
        12,
        15,
        20,
    )
    assert merged["fatalities"] == 15
    assert sorted(s["doc_id"] for s in merged["sources"]) == ["a", "b", "c", "d"]
    assert {s["fatalities"] for s in merged["sources"]} == {12, 15, 20}
    assert {e["doc_id"] for e in merged["evidence"]} == set(tolls)


def test_db_undated_report_never_bridges_two_events(store: Store) -> None:
    # a (no date) and b (no place) cannot be compared; c agrees with both but joins only one:
    # an undated report joins only an event it matches on everything else (issue 9)
    a = document("a", "A strike hit Kharkiv and killed 12 people.")
    b = document("b", "Russian forces killed 12 civilians on March 4.")
    c = document("c", "Russian forces hit Kharkiv on March 4, killing 12 civilians.")
    store.add_document(a, [event(a, day=None, fatalities=12)])
    store.add_document(b, [event(b, place=None, fatalities=12)])
    assert store.count_events(ALL) == 2
    store.add_document(c, [event(c, fatalities=12)])
    assert store.count_events(ALL) == 2
    assert sorted(e["n_sources"] for e in store.query_events(ALL)) == [1, 2]


def test_db_one_documents_two_events_stay_apart(store: Store) -> None:
    a = document("a", "Two strikes on Kharkiv: one on Monday, another on Tuesday.")
    b = document("b", "A strike on Kharkiv on Monday.")
    store.add_document(a, [event(a, day="2024-03-04", n=0), event(a, day="2024-03-05", n=1)])
    store.add_document(b, [event(b, day="2024-03-04")])
    assert store.count_events(ALL) == 2
    sizes = sorted(e["n_sources"] for e in store.query_events(ALL))
    assert sizes == [1, 2]


def test_db_distinct_events_stay_apart(store: Store) -> None:
    a = document("a", "Strike on Kharkiv.")
    b = document("b", "Strike on Odesa.")
    c = document("c", "Protest in Kharkiv.")
    store.add_document(a, [event(a)])
    store.add_document(b, [event(b, place=("Odesa", 46.48, 30.73, "UKR", "Odesa"))])
    store.add_document(c, [event(c, type_="PROTEST", source="UKRCVL", target=None)])
    assert store.count_events(ALL) == 3


def seed_filters(store: Store) -> None:
    """Store three events in two countries on three days."""
    a = document("kharkiv", "Russian forces struck Kharkiv on March 4, killing 12.")
    b = document("odesa", "A drone hit the port of Odesa on March 8.")
    c = document("darfur", "The Rapid Support Forces attacked villagers near El Fasher.")
    store.add_document(a, [event(a, fatalities=12)])
    store.add_document(b, [event(b, day="2024-03-08", place=("Odesa", 46.48, 30.73, "UKR", "Odesa"))])
    store.add_document(
        c,
        [
            event(
                c,
                source="SDNREB",
                target="SDNCVL",
                day="2024-05-10",
                place=("El Fasher", 13.63, 25.35, "SDN", "North Darfur"),
            )
        ],
    )


@pytest.mark.parametrize(
    ("f", "docs"),
    [
        (EventFilter(), ["darfur", "odesa", "kharkiv"]),
        (EventFilter(type="assault"), ["darfur", "odesa", "kharkiv"]),
        (EventFilter(type="PROTEST"), []),
        (EventFilter(country="sdn"), ["darfur"]),
        (EventFilter(actor="rapid support"), ["darfur"]),
        (EventFilter(actor="RUSMIL"), ["odesa", "kharkiv"]),
        (EventFilter(near=(50.0, 36.2, 30.0)), ["kharkiv"]),
        (EventFilter(near=(50.0, 36.2, 600.0)), ["odesa", "kharkiv"]),
        (EventFilter(since=dt.date(2024, 3, 5)), ["darfur", "odesa"]),
        (EventFilter(until=dt.date(2024, 3, 8)), ["odesa", "kharkiv"]),
        (EventFilter(text="port of odesa"), ["odesa"]),
        (EventFilter(text="100%"), []),
        (EventFilter(actor="x' OR '1'='1"), []),
        (EventFilter(text="'; DROP TABLE events; --"), []),
    ],
)
def test_db_query_events_filters(store: Store, f: EventFilter, docs: list[str]) -> None:
    seed_filters(store)
    found = store.query_events(f)
    assert [e["doc_id"] for e in found] == docs
    assert store.count_events(f) == len(docs)
    assert store.count_events(ALL) == 3


def test_db_query_events_limit_and_offset(store: Store) -> None:
    seed_filters(store)
    assert [e["doc_id"] for e in store.query_events(ALL, limit=1, offset=1)] == ["odesa"]
    assert store.query_events(ALL, limit=0) == []


def test_db_get_event_by_id_and_by_report_id(store: Store) -> None:
    a = document("a", "Strike on Kharkiv, 12 dead.", "2024-03-04")
    b = document("b", "Kharkiv strike kills 14.", "2024-03-05")
    ea, eb = event(a, fatalities=12), event(b, fatalities=14)
    store.add_document(a, [ea])
    store.add_document(b, [eb])
    merged = store.get_event(ea.id)
    assert merged is not None
    assert merged["id"] == ea.id
    assert [r["doc_id"] for r in merged["reports"]] == ["a", "b"]
    assert [r["evidence"][0]["text"] for r in merged["reports"]] == [a.text, b.text]
    by_report = store.get_event(eb.id)
    assert by_report is not None
    assert by_report["id"] == ea.id
    assert store.get_event("no-such-event") is None


def test_db_get_document_lists_its_events(store: Store) -> None:
    a = document("a", "Strike on Kharkiv.", "2024-03-04")
    ev = event(a)
    store.add_document(a, [ev])
    doc = store.get_document("a")
    assert doc is not None
    assert doc["text"] == a.text
    assert doc["published"] == "2024-03-04"
    assert doc["events"] == [ev.id]
    assert store.get_document(doc["content_hash"]) == doc
    assert store.get_document("b") is None


def test_db_bad_documents_recorded_once(store: Store) -> None:
    store.add_bad_document("x.txt", "empty document")
    store.add_bad_document("x.txt", "empty document")
    store.add_bad_document("y.bin", "binary file")
    assert store.bad_documents() == [
        {"doc_id": "x.txt", "reason": "empty document"},
        {"doc_id": "y.bin", "reason": "binary file"},
    ]
    assert store.stats()["bad_documents"] == 2


def test_db_reopen_keeps_everything(store_url: str) -> None:
    with Store.open(store_url) as first:
        a = document("a", "Strike on Kharkiv.")
        first.add_document(a, [event(a)])
    with Store.open(store_url) as second:
        assert second.stats()["documents"] == 1
        assert second.count_events(ALL) == 1


def test_db_open_unwritable_path_says_what_to_do(tmp_path) -> None:
    from eventcoder.errors import StoreError

    with pytest.raises(StoreError, match="writable"):
        Store.open(str(tmp_path / "missing-dir" / "x.sqlite"))


def gold_event(doc_id: str, text: str, coding: dict) -> Event:
    """Return the report-level event a careful coder reads in one corpus report."""

    def actor(pair: list | None) -> Actor | None:
        if pair is None:
            return None
        country, sector = pair
        return Actor("x", None, country, sector, f"{country or ''}{sector}")

    name, lat, lon, country, admin1 = coding["place"]
    return Event(
        id=f"gold-{doc_id}",
        doc_id=doc_id,
        type=coding["type"],
        mode=None,
        cameo=None,
        acled=None,
        source=actor(coding["source"]),
        target=actor(coding["target"]),
        location=Place(name, name, lat, lon, country, admin1, None, "city"),
        date=When(coding["date"], coding["date"], "day"),
        fatalities=coding["fatalities"],
        injuries=None,
        flags=Flags(),
        attributed_to=(),
        evidence=(Span(0, len(text), text),),
        confidence=0.9,
    )


def test_db_corpus_gold_codings_merge_into_six_events(store: Store) -> None:
    truth = corpus.truth()
    for report in corpus.reports():
        doc = Document(report["id"], report["text"], report["title"], None, report["url"])
        store.add_document(doc, [gold_event(doc.id, doc.text, truth["gold"][doc.id])])
    merged = store.query_events(ALL)
    assert len(merged) == 6
    for record in merged:
        told = {truth["reports"][s["doc_id"]] for s in record["sources"]}
        assert len(told) == 1, f"{record['id']} mixes {told}"
        (name,) = told
        assert record["n_sources"] == list(truth["reports"].values()).count(name)
        expected = truth["events"][name].get("fatalities")
        if expected:
            got = [record["fatalities_low"], record["fatalities_best"], record["fatalities_high"]]
            assert got == expected
    kharkiv = next(r for r in merged if r["location"]["name"] == "Kharkiv")
    # the digest's wrong date (March 9) is outvoted by three reports of March 4
    assert kharkiv["date"]["value"] == "2024-03-04"
    assert "2024-03-09" in {s["date"]["value"] for s in store.get_event(kharkiv["id"])["reports"]}


def _open_and_count(path: str) -> int:
    """Open the store in a fresh process and count its documents."""
    from eventcoder.store import Store

    store = Store.open(path)
    try:
        return int(store.stats()["documents"])
    finally:
        store.close()


def test_db_new_store_opened_by_many_processes_at_once(tmp_path):
    import multiprocessing

    path = str(tmp_path / "raced.sqlite")
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        results = pool.map(_open_and_count, [path] * 8)
    assert results == [0] * 8


@pytest.mark.postgres
def test_db_postgresql_stores_nul_in_title_url_and_text_as_replacement(pg_schema_url):
    with Store.open(pg_schema_url) as store:
        doc = Document(id="pg-1", text="Police arrested 3 men.\x00", title="T\x00", url="http://x/\x00")
        assert store.add_document(doc, []) is True
        kept = store.get_document("pg-1")
        assert kept is not None
        assert "\x00" not in kept["title"] + kept["url"] + kept["text"]
