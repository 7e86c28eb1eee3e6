"""Score place resolution on the development geoparsing corpora and ACLED notes; time a long document.

Usage: python benchmarks/places.py [--data DIR] [--limit N] [--skip-acled] [--skip-speed] [--all]

LGL and GeoVirus are split by document (`split_of`: a hash of the article's text, 30% test); the
place ranker trains on the rest, so only the test part is scored (`--all` scores both parts).
For every gold toponym the toponym that `geoparse_doc` returns overlapping it is compared with the
gold: detection precision and recall, accuracy within 161 km and 25 km on the detected toponyms,
the exact GeoNames id (LGL only: GeoVirus has none) and the country (LGL only). The ACLED lines code
500 development notes (the test part of the same hash split) through `eventcoder.extract` and score
the primary event's place as the accuracy benchmark does: within 25 km, and in the right country;
a third line counts the notes by what went wrong (`FAILURE_CLASSES`).
The speed line codes one 200,000-character document made of LGL texts through `eventcoder.extract`.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from eventcoder.resolve.place_corpora import Article, distance_km, read_geovirus, read_lgl, split_of

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
ACLED_FILES = (
    "acled-africa-2016/acled_africa_2016-01-01_to_2016-05-28.csv",
    "acled-asia-2015/acled_asia_2015-04_to_2015-10.csv",
)
ACLED_NOTES = 500
LONG_CHARS = 200_000


def corpora(data: Path) -> dict[str, list[Article]]:
    """Return the development geoparsing corpora by name."""
    return {
        "lgl": read_lgl(data / "lgl" / "lgl.xml"),
        "geovirus": read_geovirus(data / "geovirus" / "GeoVirus.xml"),
    }


def predicted_toponyms(
    texts: list[str],
) -> Iterator[list[tuple[int, int, float, float, int | None, str | None, str]]]:
    """Yield, per text, the resolved toponyms as (start, end, lat, lon, geonameid, country, precision)."""
    from eventcoder.nlp import load_model
    from eventcoder.resolve.gazetteer import Gazetteer
    from eventcoder.resolve.places import geoparse_doc

    nlp = load_model()
    gazetteer = Gazetteer.load()
    for doc in nlp.pipe(texts):
        yield [
            (t.start, t.end, t.lat, t.lon, t.geonameid, t.country, t.precision)
            for t in geoparse_doc(doc, gazetteer)
        ]


def score_corpus(name: str, articles: list[Article]) -> None:
    """Print one corpus's detection and resolution figures.

    The last line scores a country toponym by its country rather than its point: the corpora put a
    country at different points (GeoVirus at Wikipedia's, 180-550 km from GeoNames' for large
    countries), so "China" resolved to China can fail at 161 km. The gold country is LGL's, else
    that of the gazetteer town nearest the gold point.
    """
    from eventcoder.resolve.gazetteer import Gazetteer

    gazetteer = Gazetteer.load()
    started = time.perf_counter()
    gold_n = detected = predicted = predicted_gold = by_country = 0
    at161 = at25 = gid_n = gid_right = country_n = country_right = 0
    for (_text, gold), found in zip(articles, predicted_toponyms([t for t, _ in articles]), strict=True):
        predicted += len(found)
        predicted_gold += sum(any(s < g.end and g.start < e for g in gold) for s, e, *_r in found)
        for g in gold:
            gold_n += 1
            hit = next((f for f in found if f[0] < g.end and g.start < f[1]), None)
            if hit is None:
                continue
            detected += 1
            km = distance_km(hit[2], hit[3], g.lat, g.lon)
            at161 += km <= 161
            at25 += km <= 25
            if km <= 161:
                by_country += 1
            elif hit[6] == "country":
                by_country += hit[5] == (g.country or gazetteer.nearest_country(g.lat, g.lon))
            if g.geonameid is not None:
                gid_n += 1
                gid_right += hit[4] == g.geonameid
            if g.country is not None:
                country_n += 1
                country_right += hit[5] == g.country
    elapsed = time.perf_counter() - started
    print(f"{name}: articles {len(articles)}, gold toponyms {gold_n}, {elapsed:.0f} s")
    recall, precision = detected / max(gold_n, 1), predicted_gold / max(predicted, 1)
    print(f"{name}: detection recall {recall:.3f}, precision {precision:.3f}")
    on = max(detected, 1)
    print(
        f"{name}: on detected: acc@161km {at161 / on:.3f}, acc@25km {at25 / on:.3f}"
        + (f", geonameid {gid_right / gid_n:.3f}" if gid_n else "")
        + (f", country {country_right / country_n:.3f}" if country_n else "")
    )
    print(f"{name}: over all gold: acc@161km {at161 / max(gold_n, 1):.3f}")
    print(f"{name}: on detected, a country toponym right by its country: acc@161km {by_country / on:.3f}")


def acled_notes(data: Path, part: str = "test", limit: int = ACLED_NOTES) -> list[object]:
    """Return development ACLED notes with coordinates from one part of the split, half per file."""
    from eventcoder.evaluate.gold import read_acled

    out: list[object] = []
    for name in ACLED_FILES:
        rows = [r for r in read_acled(data / name) if r.lat is not None and split_of(r.id) == part]
        rows.sort(key=lambda r: hashlib.sha1(r.id.encode()).hexdigest())
        out += rows[: limit // len(ACLED_FILES)] if limit else rows
    return out


FAILURE_CLASSES = (
    "within 25 km",
    "no event",
    "no place, no gazetteer name",
    "no place, a name",
    "wrong country",
    "right country, no candidate within 25 km",
    "right country, a candidate within 25 km not chosen",
)


def failure_class(
    gold: Any, events: list[Any], toponyms: list[Any], gazetteer: Any, fields: dict[str, Any]
) -> str:
    """Name what went wrong with one note's place (FAILURE_CLASSES): the matched event's, else another's."""
    from eventcoder.evaluate.score import asserted, matched_event

    if fields.get("place_25km"):
        return FAILURE_CLASSES[0]
    real = asserted(events)
    if not real:
        return FAILURE_CLASSES[1]
    match = matched_event(gold, real)
    place = next((e.location for e in ([match] if match else []) + real if e.location is not None), None)
    if place is None:
        return FAILURE_CLASSES[2] if not toponyms else FAILURE_CLASSES[3]
    if place.country != gold.country:
        return FAILURE_CLASSES[4]
    reach = any(
        distance_km(c.lat, c.lon, gold.lat, gold.lon) <= 25
        for t in toponyms
        for c in gazetteer.lookup(t.text)
    )
    return FAILURE_CLASSES[6] if reach else FAILURE_CLASSES[5]


def score_acled(data: Path) -> None:
    """Print the primary event's place within 25 km and its country on ACLED development notes.

    The second line is a what-if for the extract stage: events that came out without a place take
    the note's first toponym that `resolve_place` would accept (not a topic, not a demonym).
    """
    from dataclasses import replace

    from eventcoder.errors import BadDocument
    from eventcoder.evaluate.gold import GoldRecord
    from eventcoder.evaluate.score import score_document
    from eventcoder.nlp import load_model
    from eventcoder.pipeline import extract
    from eventcoder.records import Place
    from eventcoder.resolve.gazetteer import Gazetteer
    from eventcoder.resolve.places import geoparse_doc

    notes = [r for r in acled_notes(data) if isinstance(r, GoldRecord)]
    nlp, gazetteer = load_model(), Gazetteer.load()
    started = time.perf_counter()
    near = country = near_if = country_if = n = 0
    classes: Counter[str] = Counter()
    for gold in notes:
        try:
            events = extract(gold.text, published=gold.date, doc_id=gold.id)
        except BadDocument:
            events = []
        fields = score_document(gold, events).fields
        n += 1
        near += bool(fields.get("place_25km"))
        country += bool(fields.get("place_country"))
        toponyms = geoparse_doc(nlp(gold.text), gazetteer)
        classes[failure_class(gold, events, toponyms, gazetteer, fields)] += 1
        first = next(
            (t for t in toponyms if not t.reason.startswith(("topic:", "demonym:"))),
            None,
        )
        if first is not None:
            place = Place(
                first.text,
                first.name,
                first.lat,
                first.lon,
                first.country,
                first.admin1,
                first.geonameid,
                "city",
            )
            events = [e if e.location is not None else replace(e, location=place) for e in events]
        fields = score_document(gold, events).fields
        near_if += bool(fields.get("place_25km"))
        country_if += bool(fields.get("place_country"))
    elapsed = time.perf_counter() - started
    share = max(n, 1)
    print(f"acled: notes {n}, place within 25 km {near / share:.3f}, country {country / share:.3f}", end="")
    print(f", {elapsed:.0f} s")
    print(
        f"acled what-if (placeless events take the note's first place): within 25 km {near_if / share:.3f}",
        end="",
    )
    print(f", country {country_if / share:.3f}")
    print("acled classes: " + ", ".join(f"{name} {classes[name]}" for name in FAILURE_CLASSES))


def time_long(data: Path) -> None:
    """Print how long one 200,000-character document takes through `eventcoder.extract`."""
    from eventcoder.pipeline import extract

    parts, size = [], 0
    for text, _gold in read_lgl(data / "lgl" / "lgl.xml"):
        parts.append(text)
        size += len(text) + 2
        if size >= LONG_CHARS:
            break
    text = "\n\n".join(parts)[:LONG_CHARS]
    extract("Warm-up in Paris.")
    started = time.perf_counter()
    events = extract(text)
    print(f"speed: {len(text)} characters, {len(events)} events, {time.perf_counter() - started:.1f} s")


def main() -> None:
    """Print every figure."""
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument(
        "--limit", type=int, default=0, help="score only the first N test articles of each corpus"
    )
    ap.add_argument("--all", action="store_true", help="score train and test articles (the ranker saw train)")
    ap.add_argument("--skip-acled", action="store_true")
    ap.add_argument("--skip-speed", action="store_true")
    ap.add_argument("--skip-corpora", action="store_true")
    args = ap.parse_args()
    if not (args.data / "lgl").exists():
        sys.exit(f"no development data under {args.data}; pass --data DIR")
    if not args.skip_corpora:
        for name, articles in corpora(args.data).items():
            chosen = [a for a in articles if args.all or split_of(a[0]) == "test"]
            score_corpus(name, chosen[: args.limit] if args.limit else chosen)
    if not args.skip_acled:
        score_acled(args.data)
    if not args.skip_speed:
        time_long(args.data)


if __name__ == "__main__":
    main()
