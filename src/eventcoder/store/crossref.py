"""One real-world event across many reports: the pairwise test, the clusters, the merged record.

Each report-level event (one document's `Event`) is reduced to a `Report`: the features the
cross-report test needs. `compare` tells, for two reports, whether they may ever share an event
(no conflict of type, actors, tolls, place or date) and whether they positively link (enough
agrees to say they tell one event). `clusters` groups the reports of one component of the link
graph complete-link style: every pair inside a cluster is compatible, strongest links first with
a fixed tie-break, so the result depends only on the set of reports, never on the order they
arrived in. An undated report must match every member of its event on everything else and never
bridges two dated groups. Disagreeing tolls are kept per source and summed up as low/best/high,
the way UCDP reports fatalities.

In the store (`link_and_recluster`), each new report is compared with indexed candidates only
(same type, a date window, a box around its place); its links are stored, the components it
touches are united and that one component is clustered again.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
import re
import statistics
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from typing import Any, Literal

from sqlalchemy import Connection, RowMapping, and_, delete, insert, or_, select, update

from eventcoder.geo import distance_km
from eventcoder.records import Actor, Event
from eventcoder.store.schema import events, evidence, links, reports, splits

# the distance within which two places are one place, by the coarser precision of the two
PLACE_KM = {"point": 25.0, "city": 50.0, "admin2": 100.0}
# dates this many days apart still agree (a report's "Tuesday" for another's "Monday")
DATE_NEAR_DAYS = 2
# dates this far apart agree only when place and actors or tolls agree strongly (a wrong date)
DATE_FAR_DAYS = 10
# an undated report tells of something at most this long before its publication
UNDATED_BEFORE_DAYS = 7
# two undated reports can tell one event only when published this close together
UNDATED_PUBLISHED_DAYS = 3
PRECISE = frozenset(PLACE_KM)
# sectors that say nothing about who the actor is
UNKNOWN_SECTORS = frozenset({"UNK", ""})
# sectors of nameless actors: never in conflict with another, never evidence of the same one
ANONYMOUS_SECTORS = frozenset({"UAF"})
EARTH_KM_PER_DEGREE = 111.195
# every query selecting reports to compare with reads at most this many rows
CANDIDATE_LIMIT = 2000

# ASSAULT modes that are the policing of a protest: ACLED codes them as the protest itself
PROTEST_MODES = frozenset({"crowd-control"})
# sector families outlets mix up for one crowd (activists, opposition supporters, residents)
NEIGHBOUR_FAMILIES = frozenset({"civilian", "political"})
# an undated report published this soon after a dated one at the same place needs no actor
UNDATED_CLOSE_DAYS = 2

PlaceMatch = Literal["near", "admin1", "unknown", "conflict"]
ActorMatch = Literal["same", "unknown", "conflict"]
ReportKey = tuple[str, str]  # (content hash, report id): a report, whatever store it is in


@dataclass(frozen=True, slots=True)
class Side:
    """Who acts or is acted upon, as far as the merge needs to know."""

    country: str | None
    sector: str | None


@dataclass(frozen=True, slots=True)
class Report:
    """The features of one report-level event that decide whether it joins another."""

    doc_key: str
    type: str  # the family of types that may be one event (see type_family)
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
    published: dt.date | None = None
    report_id: str = ""
    name: str | None = None  # the place's name, for the reasons
    terms: frozenset[str] = frozenset()  # content words of the evidence (see terms_of)

    @property
    def key(self) -> ReportKey:
        """Return the report's identity: its document's hash and its id."""
        return (self.doc_key, self.report_id)


@dataclass(frozen=True, slots=True)
class Pair:
    """What two reports share: a conflict keeps them apart, a link says they tell one event."""

    link: bool
    conflict: str | None
    score: int
    matched: tuple[str, ...] = field(default=())

    @property
    def reason(self) -> str:
        """Return what matched, or what keeps them apart, as one line."""
        if self.conflict:
            return self.conflict
        return "; ".join(self.matched) or "nothing in conflict, nothing shared"


def never(why: str) -> Pair:
    """Return the relation of two reports that can never share an event."""
    return Pair(link=False, conflict=why, score=0)


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


# words that say nothing about which event it is: reporting, counting, the types' own verbs,
# generic actors, times; compared by their first STEM letters, as all words are
GENERIC_WORDS = """
the and for with from that this were was have has had been their they them his her its into
over after before during near outside around across through against about also other others
some several many more most least including while when where which who whom what there then
said says saying reported reportedly report reports according officials official sources
source local residents resident people persons person hundreds thousands dozens tens
three four five seven eight nine eleven twelve twenty thirty forty fifty hundred thousand
killed killing kill dead died dying death deaths toll wounded wounding injured injuring
attack attacked attacks attackers protest protests protested protesters protesting
demonstrators demonstrated demonstration demonstrations rallied rally rallies marched march
clashed clashes clash fighting fought arrested arrests arrest detained detain strike strikes
struck bomb bombed explosion exploded shelling shelled fired fire firing gunmen militants
insurgents fighters soldiers troops police policemen security forces force army military
government civilians civilian villagers village town city district province region state
area monday tuesday wednesday thursday friday saturday sunday january february april june
july august september october november december morning evening night week yesterday today
last earlier later hours unidentified unknown armed group groups members member women
children staged held took later went because demanding demand demands called calling
""".split()  # noqa: SIM905 - a long word list reads better as text than as a list literal
STEM = 6
STOP_STEMS = frozenset(w.removesuffix("s")[:STEM] for w in GENERIC_WORDS)


def terms_of(text: str, exclude: Iterable[str] = ()) -> frozenset[str]:
    """Return the content words of a text by stem: no place names, dates, numbers or generic words."""
    left_out = {w[:STEM] for phrase in exclude for w in re.findall(r"[a-z]+", phrase.lower())}
    # a plural "s" dropped first, so "roads" and "road" are one word
    words = (w.removesuffix("s")[:STEM] for w in re.findall(r"[a-z]+", text.lower()) if len(w) >= 4)
    return frozenset(w for w in words if w not in STOP_STEMS and w not in left_out)


def type_family(type_: str, mode: str | None) -> str:
    """Decide which types may tell one event: a protest and the police dispersing it are one."""
    if type_ == "ASSAULT" and mode in PROTEST_MODES:
        return "PROTEST"
    return type_


def report_of(event: Event, doc_key: str, published: dt.date | None = None) -> Report:
    """Reduce a report-level event to the features the cross-report test reads."""
    place = event.location
    family = type_family(event.type, event.mode)
    # the police dispersing a protest: the protest's actor is the one acted upon
    source, target = (event.target, event.source) if family != event.type else (event.source, event.target)
    return Report(
        doc_key=doc_key,
        type=family,
        negated=event.flags.negated,
        hypothetical=event.flags.hypothetical,
        source=side_of(source),
        target=side_of(target),
        lat=place.lat if place else None,
        lon=place.lon if place else None,
        country=place.country if place else None,
        admin1=place.admin1 if place else None,
        precision=place.precision if place else None,
        date=event_date(event),
        fatalities=event.fatalities,
        injuries=event.injuries,
        published=published,
        report_id=event.id,
        name=(place.name or place.text) if place else None,
        terms=terms_of(
            " ".join(span.text for span in event.evidence),
            [place.text, place.name or "", place.admin1 or ""] if place else [],
        ),
    )


def shifted(day: dt.date, days: int) -> dt.date:
    """Return a day moved by some days, held at the calendar's ends instead of overflowing."""
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        return dt.date.max if days > 0 else dt.date.min


def place_km(a: Report, b: Report) -> float:
    """Return how far apart two precisely placed reports may be: the coarser one decides."""
    return max(PLACE_KM.get(a.precision or "", 0.0), PLACE_KM.get(b.precision or "", 0.0))


def place_match(a: Report, b: Report) -> tuple[PlaceMatch, str]:
    """Compare two reports' places: near, same admin1, unknown or in conflict, and how."""
    if a.lat is None or b.lat is None or a.lon is None or b.lon is None:
        return "unknown", ""
    if a.country and b.country and a.country != b.country:
        return "conflict", f"in different countries ({a.country} / {b.country})"
    if a.precision in PRECISE and b.precision in PRECISE:
        km = distance_km(a.lat, a.lon, b.lat, b.lon)
        where = a.name if a.name == b.name else f"{a.name} / {b.name}"
        if km <= place_km(a, b):
            return "near", f"{km:.0f} km apart ({where})"
        if "admin2" in (a.precision, b.precision) and a.admin1 and a.admin1 == b.admin1:
            # a district's point is only its centre: a town of the same province may lie in it
            return "admin1", f"same province ({a.admin1}; {km:.0f} km from the district's centre)"
        return "conflict", f"places {km:.0f} km apart ({where})"
    if a.precision == "country" or b.precision == "country":
        return "unknown", ""
    if a.admin1 and b.admin1:
        if a.admin1 == b.admin1:
            return "admin1", f"same province ({a.admin1})"
        return "conflict", f"in different provinces ({a.admin1} / {b.admin1})"
    return "unknown", ""


def actor_match(a: Side | None, b: Side | None) -> ActorMatch:
    """Compare two actors: the same country and sector, unknown, or in conflict."""
    if a is None or b is None:
        return "unknown"
    if a.country and b.country and a.country != b.country:
        # a bare country against a typed actor is a weak identity (a dateline, a speaker's
        # country): it decides nothing, while two typed actors of two countries are two actors
        if (a.sector is None) != (b.sector is None):
            return "unknown"
        return "conflict"
    # outlets name one actor with neighbouring sectors (PTY/OPP, CVL/REL): compare families
    family_a, family_b = sector_family(a.sector), sector_family(b.sector)
    if family_a and family_b and family_a != family_b:
        if {family_a, family_b} <= NEIGHBOUR_FAMILIES:
            return "unknown"
        return "conflict"
    if a.country and a.country == b.country and not {a.sector, b.sector} & ANONYMOUS_SECTORS:
        return "same"
    return "unknown"


def code_of(side: Side | None) -> str:
    """Return an actor's country and sector as one code, for the reasons."""
    if side is None:
        return "?"
    return f"{side.country or ''}{side.sector or ''}" or "?"


def actors_compared(a: Report, b: Report) -> tuple[ActorMatch, ActorMatch, bool]:
    """Compare source with source and target with target, or crossed when outlets swap them."""
    straight = (actor_match(a.source, b.source), actor_match(a.target, b.target))
    crossed = (actor_match(a.source, b.target), actor_match(a.target, b.source))
    # "police clashed with protesters" and "protesters clashed with police": one clash
    if "conflict" in straight and "conflict" not in crossed and "same" in crossed:
        return crossed[0], crossed[1], True
    return straight[0], straight[1], False


def tolls_compatible(a: int | None, b: int | None) -> bool:
    """Tell whether two stated tolls can describe one event (early and later counts differ)."""
    if a is None or b is None:
        return True
    low, high = sorted((a, b))
    return high <= 3 * low + 10


def days_text(days: int) -> str:
    """Return a number of days as words."""
    return "1 day" if days == 1 else f"{days} days"


def undated_window(a: Report, b: Report) -> str | None:
    """Say why an undated report a cannot tell what b tells at b's time, None if it can."""
    if a.published is None:
        return None
    if b.date is not None:
        if b.date > shifted(a.published, 1):
            return f"dated {b.date} after the undated report was published ({a.published})"
        if b.date < shifted(a.published, -UNDATED_BEFORE_DAYS):
            return f"dated {b.date}, over {UNDATED_BEFORE_DAYS} days before the undated report's publication"
        return None
    if b.published is not None and abs((a.published - b.published).days) > UNDATED_PUBLISHED_DAYS:
        return f"undated reports published {days_text(abs((a.published - b.published).days))} apart"
    return None


def compare(a: Report, b: Report) -> Pair:
    """Decide whether two reports may share an event and whether they link, with what matched.

    Type, place and time alone do not link: busy places see several events of one type a day.
    Something else must agree as well (an actor, both tolls, a content word of the evidence);
    the weaker the place or date, the more of it.
    """
    if a.doc_key == b.doc_key:
        return never("the same document (its distinct events stay distinct)")
    if a.type != b.type:
        return never(f"different types ({a.type} / {b.type})")
    if (a.negated, a.hypothetical) != (b.negated, b.hypothetical):
        return never("one report denies or only foresees what the other tells")
    if not tolls_compatible(a.fatalities, b.fatalities):
        return never(f"tolls too far apart ({a.fatalities} / {b.fatalities} killed)")
    if not tolls_compatible(a.injuries, b.injuries):
        return never(f"injuries too far apart ({a.injuries} / {b.injuries})")
    source, target, crossed = actors_compared(a, b)
    if source == "conflict":
        return never(f"different sources ({code_of(a.source)} / {code_of(b.source)})")
    if target == "conflict":
        return never(f"different targets ({code_of(a.target)} / {code_of(b.target)})")
    place, where = place_match(a, b)
    if place == "conflict":
        return never(where)
    matched: list[str] = [f"same type {a.type}"]
    score = 0
    if place == "near":
        matched.append(where)
        score += 3 if where.startswith(("0 km", "1 km", "2 km", "3 km", "4 km", "5 km")) else 2
    elif place == "admin1":
        matched.append(where)
        score += 1
    same_actors = [source, target].count("same")
    for role, match, side in (("source", source, a.source), ("target", target, a.target)):
        if match == "same":
            matched.append(f"same {role} {code_of(side)}")
            score += 1
    if crossed:
        matched.append("source and target swapped")
    both_tolls = a.fatalities is not None and b.fatalities is not None
    if both_tolls:
        matched.append(f"tolls {a.fatalities} and {b.fatalities} compatible")
        score += 1 if a.fatalities == b.fatalities else 0
    shared = sorted(a.terms & b.terms)
    if shared:
        matched.append("shared words: " + ", ".join(shared[:5]))
        score += min(len(shared), 3)
    # how many things beyond type, place and time agree
    agree = same_actors + both_tolls + bool(shared)
    if a.date is not None and b.date is not None:
        days = abs((a.date - b.date).days)
        if days > DATE_FAR_DAYS:
            return never(f"dates {days_text(days)} apart ({a.date} / {b.date})")
        if days > DATE_NEAR_DAYS:
            # a wrong date is forgiven only at a precise place where an actor and more agree
            if place == "near" and same_actors >= 1 and agree >= 2:
                matched.append(f"dates {days_text(days)} apart ({a.date} / {b.date}): one is wrong")
                return Pair(link=True, conflict=None, score=score, matched=tuple(matched))
            return never(f"dates {days_text(days)} apart ({a.date} / {b.date}) and too little else agrees")
        matched.append(f"same day {a.date}" if days == 0 else f"dates {days_text(days)} apart")
        score += 3 - days
        if place == "near":
            linked = agree >= (1 if days == 0 else 2)
        elif place == "admin1":
            linked = agree >= 2
        else:
            # no place to compare: the same day, an actor and both tolls must agree
            linked = days == 0 and same_actors >= 1 and both_tolls
        return Pair(link=linked, conflict=None, score=score, matched=tuple(matched))
    for undated, other in ((a, b), (b, a)):
        if undated.date is None:
            outside = undated_window(undated, other)
            if outside:
                return never(outside)
    # an undated report joins only what it matches on everything else, and never bridges
    if a.date is None and b.date is None and (a.published is None or b.published is None):
        return never("both undated, and one has no publication date to place it in time")
    dated = a if a.date is not None else b
    undated = b if dated is a else a
    close = (
        dated.date is not None
        and undated.published is not None
        and 0 <= (undated.published - dated.date).days <= UNDATED_CLOSE_DAYS
    )
    # one shared word is too little for an undated report (a name, a slogan of many protests)
    words = len(shared) >= 2
    if place != "near" or not (agree >= 3 or (agree >= 2 and words) or (close and words)):
        return never("undated, and not at the same precise place with enough else agreeing")
    if a.published is None and b.published is None and not both_tolls:
        return never("undated and unpublished, and no toll to corroborate")
    if close and agree < 3 and not (agree >= 2 and words):
        matched.append(f"undated, published {undated.published} just after {dated.date}")
    else:
        matched.append("one undated, the rest agrees")
    return Pair(link=True, conflict=None, score=score, matched=tuple(matched))


def same_event(a: Report, b: Report) -> bool:
    """Tell whether two reports from different documents link: they tell one real-world event."""
    return compare(a, b).link


def clusters(
    members: Sequence[Report],
    linked: Iterable[tuple[int, int]],
    kept_apart: frozenset[frozenset[ReportKey]] = frozenset(),
) -> tuple[list[list[int]], dict[int, tuple[int, Pair]]]:
    """Decide which reports form one event: complete-link clusters over the links.

    Args:
        members: the reports of one component of the link graph.
        linked: index pairs of members whose stored relation is a link.
        kept_apart: pairs of report keys a user split apart, never in one event again.

    Returns:
        the clusters as sorted lists of member indexes, in a fixed order, and for each member of a
        cluster of two or more the partner and relation of its strongest link inside it.
    """
    cache: dict[tuple[int, int], Pair] = {}

    def relation(i: int, j: int) -> Pair:
        i, j = min(i, j), max(i, j)
        if (i, j) not in cache:
            if frozenset((members[i].key, members[j].key)) in kept_apart:
                cache[i, j] = never("split apart by a user")
            else:
                cache[i, j] = compare(members[i], members[j])
        return cache[i, j]

    keys = [m.key for m in members]
    edges = []
    for i, j in {(min(p), max(p)) for p in linked if p[0] != p[1]}:
        pair = relation(i, j)
        if pair.link:
            first, second = sorted((keys[i], keys[j]))
            edges.append((-pair.score, first, second, i, j))
    edges.sort()
    owner = list(range(len(members)))
    group: dict[int, list[int]] = {i: [i] for i in range(len(members))}
    link_set = {(e[3], e[4]) for e in edges}

    def dated_link_across(x: list[int], y: list[int]) -> bool:
        return any(
            (min(i, j), max(i, j)) in link_set
            for i in x
            if members[i].date is not None
            for j in y
            if members[j].date is not None
        )

    for _, _, _, i, j in edges:
        gi, gj = owner[i], owner[j]
        if gi == gj:
            continue
        x, y = group[gi], group[gj]
        if any(relation(p, q).conflict for p in x for q in y):
            continue
        # an undated report never bridges: two groups with dated reports need a dated link
        x_dated = any(members[p].date is not None for p in x)
        y_dated = any(members[q].date is not None for q in y)
        if x_dated and y_dated and not dated_link_across(x, y):
            continue
        keep, gone = (gi, gj) if len(x) >= len(y) else (gj, gi)
        for p in group[gone]:
            owner[p] = keep
        group[keep].extend(group.pop(gone))
    found = sorted((sorted(g, key=lambda k: keys[k]) for g in group.values()), key=lambda g: keys[g[0]])
    best: dict[int, tuple[int, Pair]] = {}
    for cluster in found:
        if len(cluster) < 2:
            continue
        for i in cluster:
            partners = [(relation(i, j), j) for j in cluster if j != i and (min(i, j), max(i, j)) in link_set]
            if partners:
                pair, j = min(partners, key=lambda pj: (-pj[0].score, keys[pj[1]]))
                best[i] = (j, pair)
    return found, best


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


# the store side: candidates, links, components, clusters, splits

Refresh = Callable[[Connection, str], None]

FEATURES = (
    reports.c.pk,
    reports.c.report_id,
    reports.c.content_hash,
    reports.c.event_id,
    reports.c.doc_id,
    reports.c.component,
    reports.c.merge_reason,
    reports.c.type,
    reports.c.family,
    reports.c.negated,
    reports.c.hypothetical,
    reports.c.source_country,
    reports.c.source_sector,
    reports.c.target_country,
    reports.c.target_sector,
    reports.c.lat,
    reports.c.lon,
    reports.c.country,
    reports.c.admin1,
    reports.c.precision,
    reports.c.date,
    reports.c.fatalities,
    reports.c.injuries,
    reports.c.published,
    reports.c.place_name,
    reports.c.terms,
)


def stored_side(country: str | None, sector: str | None) -> Side | None:
    """Rebuild a stored actor's merge features."""
    if country is None and sector is None:
        return None
    return Side(country, sector)


def report_from_row(row: RowMapping) -> Report:
    """Rebuild the merge features of a stored report."""
    source = stored_side(row["source_country"], row["source_sector"])
    target = stored_side(row["target_country"], row["target_sector"])
    family = row["family"] or row["type"]
    if family != row["type"]:
        source, target = target, source  # as report_of: the policed crowd acts in the protest
    return Report(
        doc_key=row["content_hash"],
        type=family,
        negated=bool(row["negated"]),
        hypothetical=bool(row["hypothetical"]),
        source=source,
        target=target,
        lat=row["lat"],
        lon=row["lon"],
        country=row["country"],
        admin1=row["admin1"],
        precision=row["precision"],
        date=row["date"],
        fatalities=row["fatalities"],
        injuries=row["injuries"],
        published=row["published"],
        report_id=row["report_id"],
        name=row["place_name"],
        terms=frozenset((row["terms"] or "").split()),
    )


def candidate_rows(conn: Connection, rep: Report, pk: int, before_only: bool = False) -> list[RowMapping]:
    """Return stored reports that could link with rep, by indexed queries only (type, date, box).

    A superset of what `compare` links: the same type within DATE_FAR_DAYS, and, around a
    precise place, undated ones (or any, for an undated rep); never a scan of the store.
    """
    base = [
        reports.c.family == rep.type,
        reports.c.negated == rep.negated,
        reports.c.hypothetical == rep.hypothetical,
        reports.c.content_hash != rep.doc_key,
        reports.c.pk < pk if before_only else reports.c.pk != pk,
    ]
    if rep.country is not None:
        base.append(or_(reports.c.country.is_(None), reports.c.country == rep.country))
    queries = []
    if rep.date is not None:
        window = (shifted(rep.date, -DATE_FAR_DAYS), shifted(rep.date, DATE_FAR_DAYS))
        queries.append(and_(*base, reports.c.date.between(*window)))
    if rep.lat is not None and rep.lon is not None and rep.precision in PRECISE:
        reach = max(PLACE_KM.values())
        dlat = reach / EARTH_KM_PER_DEGREE
        dlon = reach / (EARTH_KM_PER_DEGREE * max(math.cos(math.radians(rep.lat)), 0.1))
        box = and_(
            reports.c.lat.between(rep.lat - dlat, rep.lat + dlat),
            reports.c.lon.between(rep.lon - dlon, rep.lon + dlon),
            reports.c.precision.in_(sorted(PRECISE)),
        )
        # dated reports within the window are read above; around the place, the undated ones
        when = reports.c.date.is_(None) if rep.date is not None else None
        queries.append(and_(*base, box) if when is None else and_(*base, box, when))
    found: dict[int, RowMapping] = {}
    for condition in queries:
        query = select(*FEATURES).where(condition).order_by(reports.c.pk).limit(CANDIDATE_LIMIT)
        for row in conn.execute(query).mappings():
            found.setdefault(row["pk"], row)
    return [found[k] for k in sorted(found)]


def add_links(conn: Connection, rep: Report, pk: int, before_only: bool = False) -> str:
    """Store rep's links to stored reports, unite the components they touch; return its component."""
    linked: list[tuple[int, str | None, Pair]] = []
    for row in candidate_rows(conn, rep, pk, before_only):
        pair = compare(rep, report_from_row(row))
        if pair.link:
            linked.append((row["pk"], row["component"], pair))
    if linked:
        conn.execute(
            insert(links),
            [
                {"a": min(pk, other), "b": max(pk, other), "score": pair.score, "reason": pair.reason}
                for other, _, pair in linked
            ],
        )
    touched = {component for _, component, _ in linked if component is not None}
    label = min(touched) if touched else str(pk)
    conn.execute(update(reports).where(reports.c.pk == pk).values(component=label))
    others = touched - {label}
    if others:
        conn.execute(update(reports).where(reports.c.component.in_(sorted(others))).values(component=label))
    return label


def kept_apart_pairs(conn: Connection, report_ids: Sequence[str]) -> frozenset[frozenset[ReportKey]]:
    """Return the pairs of report keys a user split apart, among those naming these reports."""
    found: set[frozenset[ReportKey]] = set()
    ids = sorted(set(report_ids))
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        rows = conn.execute(
            select(splits.c.a_hash, splits.c.a_report, splits.c.b_hash, splits.c.b_report).where(
                or_(splits.c.a_report.in_(chunk), splits.c.b_report.in_(chunk))
            )
        )
        found.update(frozenset(((r.a_hash, r.a_report), (r.b_hash, r.b_report))) for r in rows)
    return frozenset(found)


def leaving_reports(conn: Connection, report_ids: Sequence[str]) -> set[ReportKey]:
    """Return the keys of these reports that a user split off an event."""
    found: set[ReportKey] = set()
    ids = sorted(set(report_ids))
    for i in range(0, len(ids), 500):
        rows = conn.execute(
            select(splits.c.a_hash, splits.c.a_report).where(splits.c.a_report.in_(ids[i : i + 500]))
        )
        found.update((r.a_hash, r.a_report) for r in rows)
    return found


def recluster(
    conn: Connection,
    component: str,
    refresh: Refresh,
    new_event: Callable[[str, str], None],
    added: Iterable[int] = (),
) -> None:
    """Cluster one component again and write what changed: event ids, members, reasons.

    The events of reports in `added` (just stored) are refreshed even when nothing moved.
    """
    fresh = set(added)
    rows = list(
        conn.execute(
            select(*FEATURES).where(reports.c.component == component).order_by(reports.c.pk)
        ).mappings()
    )
    if not rows:
        return
    members = [report_from_row(r) for r in rows]
    index = {r["pk"]: i for i, r in enumerate(rows)}
    in_component = select(reports.c.pk).where(reports.c.component == component).scalar_subquery()
    pairs = conn.execute(select(links.c.a, links.c.b).where(links.c.a.in_(in_component))).all()
    linked = [(index[a], index[b]) for a, b in pairs if a in index and b in index]
    apart = kept_apart_pairs(conn, [m.report_id for m in members])
    split_off = leaving_reports(conn, [m.report_id for m in members]) if apart else set()
    found, best = clusters(members, linked, apart)
    old_ids = {r["event_id"] for r in rows}
    changed: list[str] = []
    new_ids: list[str] = []
    for cluster in found:
        # named after its smallest report id, passing over reports a user split off
        kept = [members[i].report_id for i in cluster if members[i].key not in split_off]
        event_id = min(kept or [members[i].report_id for i in cluster])
        new_ids.append(event_id)
        if event_id not in old_ids:
            new_event(event_id, members[cluster[0]].type)
        before = {i for i, r in enumerate(rows) if r["event_id"] == event_id}
        moved = [rows[i]["pk"] for i in cluster if rows[i]["event_id"] != event_id]
        if moved:
            conn.execute(update(reports).where(reports.c.pk.in_(moved)).values(event_id=event_id))
        reasons_changed = False
        for i in cluster:
            reason = None
            if i in best:
                j, pair = best[i]
                reason = f"{pair.reason} (with {rows[j]['doc_id']})"
            if rows[i]["merge_reason"] != reason:
                reasons_changed = True
                conn.execute(update(reports).where(reports.c.pk == rows[i]["pk"]).values(merge_reason=reason))
        if moved or reasons_changed or before != set(cluster) or any(rows[i]["pk"] in fresh for i in cluster):
            changed.append(event_id)
    for stale in sorted(old_ids - set(new_ids)):
        still = conn.execute(select(reports.c.pk).where(reports.c.event_id == stale).limit(1)).first()
        if still is None:
            conn.execute(delete(events).where(events.c.id == stale))
        else:
            changed.append(stale)  # an old store's event also holding another component's reports
    for event_id in changed:
        refresh(conn, event_id)


def rebuild(conn: Connection, refresh: Refresh, new_event: Callable[[str, str], None]) -> int:
    """Link and cluster every report of a store whose reports have no component yet; return how many."""
    rows = list(
        conn.execute(select(*FEATURES).where(reports.c.component.is_(None)).order_by(reports.c.pk)).mappings()
    )
    for row in rows:
        rep = report_from_row(row)
        if row["terms"] is None:
            spans = conn.execute(select(evidence.c.text).where(evidence.c.report_pk == row["pk"])).scalars()
            record = conn.execute(select(reports.c.record).where(reports.c.pk == row["pk"])).scalar_one()
            place = json.loads(record).get("location") or {}
            names = [place.get("text") or "", place.get("name") or "", place.get("admin1") or ""]
            terms = terms_of(" ".join(spans), names if place else [])
            conn.execute(
                update(reports).where(reports.c.pk == row["pk"]).values(terms=" ".join(sorted(terms)))
            )
            rep = replace(rep, terms=terms)
        add_links(conn, rep, row["pk"], before_only=True)
    labels = conn.execute(select(reports.c.component).distinct()).scalars().all()
    for label in labels:
        recluster(conn, str(label), refresh, new_event)
    return len(rows)


def owner_of(conn: Connection, event_id: str) -> str | None:
    """Return the id of the event holding event_id: itself, or the event its report is in now."""
    if conn.execute(select(events.c.id).where(events.c.id == event_id)).first() is not None:
        return event_id
    owner = conn.execute(select(reports.c.event_id).where(reports.c.report_id == event_id).limit(1)).first()
    return None if owner is None else str(owner[0])


def split(
    conn: Connection, event_id: str, doc: str, refresh: Refresh, new_event: Callable[[str, str], None]
) -> list[str] | None:
    """Detach a document's reports from an event for good; return their events now (None: no event).

    Raises:
        ValueError: the document reports no part of the event, or is its only source.
    """
    owner = owner_of(conn, event_id)
    if owner is None:
        return None
    rows = list(conn.execute(select(*FEATURES).where(reports.c.event_id == owner)).mappings())
    leaving = [r for r in rows if doc in (r["doc_id"], r["content_hash"])]
    if not leaving:
        docs = ", ".join(sorted({r["doc_id"] for r in rows}))
        raise ValueError(f"document {doc!r} is not a source of event {owner}; its sources are: {docs}")
    staying = [r for r in rows if r["content_hash"] not in {x["content_hash"] for x in leaving}]
    if not staying:
        raise ValueError(f"document {doc!r} is the only source of event {owner}: nothing to split")
    known = kept_apart_pairs(conn, [r["report_id"] for r in leaving])
    now = dt.datetime.now(dt.UTC)
    fresh = []
    for a in leaving:
        for b in staying:
            pair = frozenset(((a["content_hash"], a["report_id"]), (b["content_hash"], b["report_id"])))
            if pair not in known:
                fresh.append(
                    {
                        "a_hash": a["content_hash"],
                        "a_report": a["report_id"],
                        "b_hash": b["content_hash"],
                        "b_report": b["report_id"],
                        "recorded_at": now,
                    }
                )
    if fresh:
        conn.execute(insert(splits), fresh)
    for label in sorted({str(r["component"]) for r in rows if r["component"] is not None}):
        recluster(conn, label, refresh, new_event)
    pks = [r["pk"] for r in leaving]
    return list(
        dict.fromkeys(conn.execute(select(reports.c.event_id).where(reports.c.pk.in_(pks))).scalars().all())
    )


def relation_name(pair: Pair) -> str:
    """Name a pair's relation: link, compatible (no link, no conflict) or conflict."""
    return "link" if pair.link else "conflict" if pair.conflict else "compatible"


def explain(conn: Connection, event_id: str) -> dict[str, Any] | None:
    """Return why an event holds its reports: every pair compared, and linked reports kept out."""
    owner = owner_of(conn, event_id)
    if owner is None:
        return None
    rows = list(
        conn.execute(select(*FEATURES).where(reports.c.event_id == owner).order_by(reports.c.pk)).mappings()
    )
    members = [report_from_row(r) for r in rows]
    apart = kept_apart_pairs(conn, [m.report_id for m in members])

    def relation(a: Report, b: Report) -> Pair:
        if frozenset((a.key, b.key)) in apart:
            return never("split apart by a user")
        return compare(a, b)

    pairs = []
    for i in range(len(rows)):
        for j in range(i + 1, len(rows)):
            pair = relation(members[i], members[j])
            pairs.append(
                {
                    "a": rows[i]["doc_id"],
                    "b": rows[j]["doc_id"],
                    "relation": relation_name(pair),
                    "score": pair.score,
                    "reason": pair.reason,
                }
            )
    pks = [r["pk"] for r in rows]
    outside = or_(
        and_(links.c.a.in_(pks), links.c.b.not_in(pks)), and_(links.c.b.in_(pks), links.c.a.not_in(pks))
    )
    kept_out = []
    for a, b in conn.execute(
        select(links.c.a, links.c.b).where(outside).order_by(links.c.pk).limit(20)
    ).all():
        other = b if a in pks else a
        row = conn.execute(select(*FEATURES).where(reports.c.pk == other)).mappings().first()
        if row is None:
            continue
        rep = report_from_row(row)
        why = next((relation(rep, m).reason for m in members if relation(rep, m).conflict), None)
        kept_out.append(
            {
                "doc_id": row["doc_id"],
                "event_id": row["event_id"],
                "why_not": why or "joined an event it links to more strongly",
            }
        )
    return {
        "id": owner,
        "reports": [
            {"doc_id": r["doc_id"], "report_id": r["report_id"], "merge_reason": r["merge_reason"]}
            for r in rows
        ],
        "pairs": pairs,
        "kept_out": kept_out,
        "splits": len(apart),
    }
