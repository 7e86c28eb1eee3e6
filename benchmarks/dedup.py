"""Cross-report merging: fused distinct events, merged reports of one event, and speed.

    python benchmarks/dedup.py                     # every figure
    python benchmarks/dedup.py --notes 1000 --seed 2024 --prefill 1000,20000

1. Fused: distinct ACLED development notes (each a separate human-coded event, read at run time
   from ../shared/data, never copied), ingested as separate reports, published on their event
   date; the share of notes that end up in one event with another note (target <= 0.5%).
   Printed again with no publication dates.
2. Merged: the hand-written pairs of tests/data/pairs/pairs.jsonl (two outlets, one event each);
   the share of pairs merged into one event (target >= 90%), the share with the low/best/high
   tolls expected, and any event mixing two pairs.
3. Speed: documents per second stored into a store already holding N events (synthetic events
   built from the ACLED rows' coded fields), to show candidate search stays indexed.

Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import random
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from eventcoder.pipeline import code_documents  # noqa: E402 - after the path set-up above
from eventcoder.records import Actor, Document, Event, Flags, Place, Span, When  # noqa: E402
from eventcoder.store import EventFilter, Store  # noqa: E402

PAIRS = ROOT / "tests" / "data" / "pairs" / "pairs.jsonl"
ACLED_SETS = (
    "acled-africa-2016/acled_africa_2016-01-01_to_2016-05-28.csv",
    "acled-asia-2015/acled_asia_2015-04_to_2015-10.csv",
)
# pre-2019 ACLED event types -> the PLOVER type a synthetic prefill event gets
PREFILL_TYPES = {"Riots/Protests": "PROTEST", "Strategic development": "COERCE"}


def default_data_folder() -> Path:
    """Return ../shared/data beside the repository, where the datasets live."""
    return ROOT.parent / "shared" / "data"


def acled_rows(folder: Path) -> list[dict[str, str]]:
    """Read the rows of both ACLED development sets."""
    rows: list[dict[str, str]] = []
    for name in ACLED_SETS:
        with (folder / name).open(encoding="utf-8", newline="") as f:
            rows.extend(r for r in csv.DictReader(f) if r.get("NOTES", "").strip())
    return rows


def acled_day(row: dict[str, str]) -> dt.date:
    """Return a row's event date (dd/mm/yyyy in Africa, dd-Month-yyyy in Asia)."""
    for form in ("%d/%m/%Y", "%d-%B-%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(row["EVENT_DATE"].strip(), form).date()
        except ValueError:
            continue
    raise ValueError(f"{row['EVENT_DATE']!r}: an ACLED date in no known format")


def sample_notes(rows: list[dict[str, str]], count: int, seed: int) -> list[dict[str, str]]:
    """Return count rows with distinct notes, a seeded sample."""
    seen: set[str] = set()
    distinct = []
    for row in rows:
        note = row["NOTES"].strip()
        if note not in seen:
            seen.add(note)
            distinct.append(row)
    return random.Random(seed).sample(distinct, min(count, len(distinct)))


def coded(docs: list[Document]) -> list[tuple[Document, list[Event]]]:
    """Code documents with the real pipeline, skipping those it rejects."""
    return list(code_documents(docs, on_error=lambda bad: None))


def store_all(store: Store, items: Iterable[tuple[Document, list[Event]]]) -> tuple[int, float]:
    """Store coded documents; return how many and the seconds it took."""
    started = time.perf_counter()
    n = 0
    for doc, events in items:
        store.add_document(doc, events)
        n += 1
    return n, time.perf_counter() - started


def doc_events(store: Store) -> dict[str, set[str]]:
    """Return, per stored document id, the merged events holding its reports."""
    where: dict[str, set[str]] = defaultdict(set)
    for record in store.iter_events(EventFilter()):
        for source in record["sources"]:
            where[source["doc_id"]].add(record["id"])
    return where


def fused_share(folder: Path, count: int, seed: int, tmp: Path, published: bool) -> None:
    """Print the share of distinct ACLED notes fused with another note."""
    rows = sample_notes(acled_rows(folder), count, seed)
    docs = [
        Document(
            id=f"{r['EVENT_ID_CNTY']}-{i}",
            text=r["NOTES"].strip(),
            published=acled_day(r) if published else None,
        )
        for i, r in enumerate(rows)
    ]
    items = coded(docs)
    with Store.open(str(tmp / f"fused-{published}.sqlite")) as store:
        n, seconds = store_all(store, items)
        where = doc_events(store)
        sizes: dict[str, set[str]] = defaultdict(set)
        for doc_id, ids in where.items():
            for event_id in ids:
                sizes[event_id].add(doc_id)
        fused = {d for ids in sizes.values() if len(ids) > 1 for d in ids}
        stats = store.stats()
    with_events = sum(1 for _, events in items if events)
    how = "published on their event date" if published else "no publication date"
    print(
        f"fused ({how}): {len(fused)} of {n} notes ({len(fused) / max(n, 1):.2%}) share an event "
        f"with another note; {with_events} notes gave {stats['reports']} reports, "
        f"{stats['events']} events, {stats['merged_events']} of them from several notes; "
        f"stored in {seconds:.1f} s"
    )
    examples = [ids for ids in sizes.values() if len(ids) > 1][:5]
    for ids in examples:
        print("   fused:", " | ".join(sorted(ids)))


def merged_share(tmp: Path) -> None:
    """Print the share of hand-written pairs merged into one event, with the tolls expected."""
    pairs = [json.loads(line) for line in PAIRS.read_text("utf-8").splitlines() if line.strip()]
    docs = [
        Document(r["id"], r["text"], r["title"], dt.date.fromisoformat(r["published"]), r["url"])
        for p in pairs
        for r in p["reports"]
    ]
    pair_of = {r["id"]: p["pair"] for p in pairs for r in p["reports"]}
    with Store.open(str(tmp / "pairs.sqlite")) as store:
        store_all(store, coded(docs))
        records = list(store.iter_events(EventFilter()))
    where: dict[str, set[str]] = defaultdict(set)
    by_id: dict[str, dict[str, Any]] = {}
    for record in records:
        by_id[record["id"]] = record
        for source in record["sources"]:
            where[source["doc_id"]].add(record["id"])
    merged = tolls_right = with_tolls = 0
    missed = []
    for pair in pairs:
        a, b = (r["id"] for r in pair["reports"])
        shared = where[a] & where[b]
        if shared:
            merged += 1
        else:
            missed.append(pair["pair"])
        if pair["fatalities"] is not None:
            with_tolls += 1
            ranges = [
                [by_id[e]["fatalities_low"], by_id[e]["fatalities_best"], by_id[e]["fatalities_high"]]
                for e in shared
            ]
            tolls_right += pair["fatalities"] in ranges
    mixed = [r["id"] for r in records if len({pair_of[s["doc_id"]] for s in r["sources"]}) > 1]
    print(
        f"merged: {merged} of {len(pairs)} pairs ({merged / len(pairs):.1%}) in one event; "
        f"low/best/high tolls as expected for {tolls_right} of {with_tolls} pairs with tolls; "
        f"{len(mixed)} events mix two pairs"
    )
    if missed:
        print("   not merged:", ", ".join(missed))


def prefill_event(row: dict[str, str], n: int, shift_days: int) -> tuple[Document, Event]:
    """Return a synthetic stored report built from an ACLED row's coded fields."""
    text = f"{row['NOTES'].strip()} [{n}]"
    doc = Document(id=f"prefill-{n}", text=text, published=acled_day(row) + dt.timedelta(days=shift_days))
    day = (acled_day(row) + dt.timedelta(days=shift_days)).isoformat()
    place = Place(
        row["LOCATION"],
        row["LOCATION"],
        float(row["LATITUDE"]),
        float(row["LONGITUDE"]),
        None,
        row["ADMIN1"] or None,
        None,
        "city",
    )
    actor = Actor(row["ACTOR1"], row["ACTOR1"], None, "REB" if "Group" in row["ACTOR1"] else "CVL", None)
    fatalities = int(row["FATALITIES"]) if row["FATALITIES"].isdigit() else None
    event = Event(
        id=f"prefill{n:08d}",
        doc_id=doc.id,
        type=PREFILL_TYPES.get(row["EVENT_TYPE"], "ASSAULT"),
        mode=None,
        cameo=None,
        acled=None,
        source=actor,
        target=None,
        location=place,
        date=When(day, day, "day"),
        fatalities=fatalities,
        injuries=None,
        flags=Flags(),
        attributed_to=(),
        evidence=(Span(0, len(text), text),),
        confidence=0.5,
    )
    return doc, event


def speed(folder: Path, sizes: list[int], tmp: Path, seed: int) -> None:
    """Print documents per second stored into stores already holding each number of events."""
    rows = acled_rows(folder)
    fresh = sample_notes(rows, 300, seed + 1)
    docs = [Document(f"fresh-{i}", r["NOTES"].strip(), published=acled_day(r)) for i, r in enumerate(fresh)]
    started = time.perf_counter()
    items = coded(docs)
    code_seconds = time.perf_counter() - started
    rate = len(items) / code_seconds
    print(f"speed: coding {len(items)} notes takes {code_seconds:.1f} s ({rate:.1f} docs/s)")
    for size in sizes:
        path = tmp / f"speed-{size}.sqlite"
        with Store.open(str(path)) as store:
            started = time.perf_counter()
            for n in range(size):
                doc, event = prefill_event(rows[n % len(rows)], n, 400 * (n // len(rows)))
                store.add_document(doc, [event])
            fill = time.perf_counter() - started
            events_before = store.stats()["events"]
            stored, seconds = store_all(store, items)
        total = code_seconds + seconds
        print(
            f"   store holding {events_before:>6} events (filled in {fill:.0f} s): {stored} documents "
            f"stored in {seconds:.2f} s = {stored / seconds:.1f} docs/s stored, "
            f"{stored / total:.1f} docs/s with coding"
        )


def main() -> None:
    """Run the three measurements and print their figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=default_data_folder())
    parser.add_argument("--notes", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--prefill", default="1000,20000", help="store sizes for the speed figure, or ''")
    parser.add_argument("--skip", default="", help="comma-separated parts to skip: fused,merged,speed")
    args = parser.parse_args()
    skip = set(args.skip.split(","))
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        if "merged" not in skip:
            merged_share(tmp)
        if "fused" not in skip:
            fused_share(args.data, args.notes, args.seed, tmp, published=True)
            fused_share(args.data, args.notes, args.seed, tmp, published=False)
        if "speed" not in skip and args.prefill:
            speed(args.data, [int(s) for s in args.prefill.split(",")], tmp, args.seed)


if __name__ == "__main__":
    main()
