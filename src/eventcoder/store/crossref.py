"""One real-world event across many reports: the pairwise test and the merged record.

Each report-level event (one document's `Event`) is reduced to a `Report`: the features the
cross-report test needs. Two reports tell the same real-world event when `same_event` says so;
the store keeps the connected components of that relation as merged events, so the result does
not depend on the order documents arrive in. Disagreeing tolls are kept per source and summed up
as low/best/high, the way UCDP reports fatalities.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, Literal

from eventcoder.records import Actor, Event

# within this distance two precisely placed reports are in the same place
PLACE_KM = 50.0
# dates this many days apart still agree (a report's "Tuesday" for another's "Monday")
DATE_NEAR_DAYS = 2
# dates this far apart agree only when place, actors or tolls agree strongly (a wrong date)
DATE_FAR_DAYS = 10
PRECISE = frozenset({"point", "city", "admin2"})
# sectors that say nothing about who the actor is
UNKNOWN_SECTORS = frozenset({"UNK", ""})
EARTH_KM_PER_DEGREE = 111.195

PlaceMatch = Literal["near", "admin1", "unknown", "conflict"]
DateMatch = Literal["near", "far", "unknown", "conflict"]
ActorMatch = Literal["same", "unknown", "conflict"]


@dataclass(frozen=True, slots=True)
class Side:
    """Who acts or is acted upon, as far as the merge needs to know."""

    country: str | None
    sector: str | None


@dataclass(frozen=True, slots=True)
class Report:
    """The features of one report-level event that decide whether it joins another."""

    doc_key: str
    type: str
    negated: bool
    hypothetical: bool
    source: Side | None
    target: Side | None
    lat: float | None
    lon: float | None
    country: str | None
    admin1: str | None
    precision: str | None
    date: dt.date | None
    fatalities: int | None
    injuries: int | None


@lru_cache(maxsize=1)
def sector_families() -> dict[str, str]:
    """Load which sectors outlets use for the same actor (sector_families.csv)."""
    text = resources.files("eventcoder.store").joinpath("sector_families.csv").read_text("utf-8")
    return {row["sector"]: row["family"] for row in csv.DictReader(text.splitlines())}


def sector_family(sector: str | None) -> str | None:
    """Return a sector's family (worshippers and civilians are both civilian), None if unknown."""
    if sector is None:
        return None
    return sector_families().get(sector, sector)


def side_of(actor: Actor | None) -> Side | None:
    """Reduce an actor to its country and sector, None when both are unknown."""
    if actor is None:
        return None
    sector = actor.sector if actor.sector not in UNKNOWN_SECTORS else None
    if actor.country is None and sector is None:
        return None
    return Side(actor.country, sector)


def event_date(event: Event) -> dt.date | None:
    """Return the event's day, None unless its date is resolved to a day."""
    if event.date is None or event.date.value is None or event.date.precision != "day":
        return None
    try:
        return dt.date.fromisoformat(event.date.value)
    except ValueError:
        return None


def report_of(event: Event, doc_key: str) -> Report:
    """Reduce a report-level event to the features the cross-report test reads."""
    place = event.location
    return Report(
        doc_key=doc_key,
        type=event.type,
        negated=event.flags.negated,
        hypothetical=event.flags.hypothetical,
        source=side_of(event.source),
        target=side_of(event.target),
        lat=place.lat if place else None,
        lon=place.lon if place else None,
        country=place.country if place else None,
        admin1=place.admin1 if place else None,
        precision=place.precision if place else None,
        date=event_date(event),
        fatalities=event.fatalities,
        injuries=event.injuries,
    )


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Return the great-circle distance between two points in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


def place_match(a: Report, b: Report) -> PlaceMatch:
    """Compare two reports' places: near, same admin1, unknown or in conflict."""
    if a.lat is None or b.lat is None or a.lon is None or b.lon is None:
        return "unknown"
    if a.country and b.country and a.country != b.country:
        return "conflict"
    if a.precision in PRECISE and b.precision in PRECISE:
        close = distance_km(a.lat, a.lon, b.lat, b.lon) <= PLACE_KM
        return "near" if close else "conflict"
    if a.precision == "country" or b.precision == "country":
        return "unknown"
    if a.admin1 and b.admin1:
        return "admin1" if a.admin1 == b.admin1 else "conflict"
    return "unknown"


def date_match(a: Report, b: Report) -> DateMatch:
    """Compare two reports' days: near, far (a wrong date?), unknown or in conflict."""
    if a.date is None or b.date is None:
        return "unknown"
    days = abs((a.date - b.date).days)
    if days <= DATE_NEAR_DAYS:
        return "near"
    return "far" if days <= DATE_FAR_DAYS else "conflict"


def actor_match(a: Side | None, b: Side | None) -> ActorMatch:
    """Compare two actors: the same country and sector, unknown, or in conflict."""
    if a is None or b is None:
        return "unknown"
    if a.country and b.country and a.country != b.country:
        return "conflict"
    # outlets name one actor with neighbouring sectors (PTY/OPP, CVL/REL): compare families
    family_a, family_b = sector_family(a.sector), sector_family(b.sector)
    if family_a and family_b and family_a != family_b:
        return "conflict"
    if a.country and a.country == b.country:
        return "same"
    return "unknown"


def tolls_compatible(a: int | None, b: int | None) -> bool:
    """Tell whether two stated tolls can describe one event (early and later counts differ)."""
    if a is None or b is None:
        return True
    low, high = sorted((a, b))
    return high <= 3 * low + 10


def same_event(a: Report, b: Report) -> bool:
    """Tell whether two reports from different documents tell the same real-world event."""
    if a.doc_key == b.doc_key or a.type != b.type:
        return False
    if (a.negated, a.hypothetical) != (b.negated, b.hypothetical):
        return False
    actors = (actor_match(a.source, b.source), actor_match(a.target, b.target))
    if "conflict" in actors:
        return False
    if not (tolls_compatible(a.fatalities, b.fatalities) and tolls_compatible(a.injuries, b.injuries)):
        return False
    place, date = place_match(a, b), date_match(a, b)
    if "conflict" in (place, date):
        return False
    same_actors = actors.count("same")
    same_toll = a.fatalities is not None and b.fatalities is not None
    corroborated = same_actors >= 1 or same_toll
    if date == "near":
        return place in ("near", "admin1") or (place == "unknown" and corroborated and same_actors >= 1)
    # a missing or wrong date is forgiven only when the place is precise and something else agrees
    return place == "near" and corroborated


def fatality_range(counts: Sequence[int | None]) -> tuple[int | None, int | None, int | None]:
    """Decide fatalities_low/best/high: min, the most-reported count (else the median), max."""
    known = sorted(c for c in counts if c is not None)
    if not known:
        return None, None, None
    ranked = Counter(known).most_common()
    top, top_n = ranked[0]
    tied = len(ranked) > 1 and ranked[1][1] == top_n
    best = top if top_n > 1 and not tied else int(statistics.median_low(known))
    return known[0], best, known[-1]


DATE_PRECISION_RANK = {"day": 0, "month": 1, "year": 2}


def most_reported_date(records: Sequence[dict[str, Any]]) -> dict[str, Any] | None:
    """Decide the merged Event.date: the most precise, then most reported, then earliest."""
    dated: list[dict[str, Any]] = [r["date"] for r in records if r.get("date") and r["date"].get("value")]
    if not dated:
        return None
    votes = Counter(d["value"] for d in dated)
    rank = {d["value"]: DATE_PRECISION_RANK.get(d.get("precision") or "", 3) for d in dated}
    value = min(votes, key=lambda v: (rank[v], -votes[v], v))
    return next(d for d in dated if d["value"] == value)


PRECISION_RANK = {"point": 0, "city": 1, "admin2": 2, "admin1": 3, "country": 4}


def richest(values: Sequence[dict[str, Any] | None], key: Any) -> dict[str, Any] | None:
    """Return the non-null value ranked first by key, None when all are null."""
    present = [v for v in values if v]
    return min(present, key=key) if present else None


def actor_rank(actor: dict[str, Any]) -> tuple[int, ...]:
    """Rank an actor object: the more identity it carries, the earlier."""
    return (
        actor.get("country") is None,
        actor.get("sector") in (None, "UNK"),
        actor.get("name") is None,
    )


def merged_record(event_id: str, records: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Decide every field of a merged event from its reports' contract records.

    Args:
        event_id: the merged event's id.
        records: the reports' contract records, in the order they were stored.

    Returns:
        a contract record with fatalities the best estimate and no evidence (the store adds
        every report's evidence when it reads the event), nor sources and low/best/high range.
    """
    lead = max(records, key=lambda r: float(r.get("confidence") or 0.0))
    merged = dict(lead)
    merged["id"] = event_id
    merged["source"] = richest([r.get("source") for r in records], actor_rank)
    merged["target"] = richest([r.get("target") for r in records], actor_rank)
    merged["location"] = richest(
        [r.get("location") for r in records],
        lambda p: PRECISION_RANK.get(p.get("precision"), 9),
    )
    merged["date"] = most_reported_date(records) or lead.get("date")
    merged["fatalities"] = fatality_range([r.get("fatalities") for r in records])[1]
    merged["injuries"] = fatality_range([r.get("injuries") for r in records])[1]
    merged["attributed_to"] = sorted({a for r in records for a in r.get("attributed_to") or []})
    merged.pop("evidence", None)
    merged["confidence"] = round(max(float(r.get("confidence") or 0.0) for r in records), 3)
    return merged
