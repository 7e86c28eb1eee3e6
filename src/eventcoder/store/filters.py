"""Turn an EventFilter into SQL conditions; every value the user gives is a bound parameter."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, exists, func, literal, or_, select, true

from eventcoder.store.crossref import EARTH_KM_PER_DEGREE
from eventcoder.store.schema import events, evidence, reports


@dataclass(frozen=True)
class EventFilter:
    """Which merged events a query returns; every given field must hold (AND).

    `actor` is a case-insensitive substring of a source or target name, text or code in any
    report; `near` is (lat, lon, km); `text` is a case-insensitive substring of evidence text.
    """

    type: str | None = None
    country: str | None = None
    actor: str | None = None
    near: tuple[float, float, float] | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    text: str | None = None


def like_pattern(value: str) -> str:
    """Return a LIKE pattern matching value as a literal substring (escape character '!')."""
    escaped = value.lower().replace("!", "!!").replace("%", "!%").replace("_", "!_")
    return f"%{escaped}%"


def actor_condition(value: str) -> ColumnElement[bool]:
    """Match events with a report whose source or target name, text or code holds value."""
    pattern = like_pattern(value)
    columns = [
        reports.c.source_name,
        reports.c.source_text,
        reports.c.source_code,
        reports.c.target_name,
        reports.c.target_text,
        reports.c.target_code,
    ]
    matches = or_(*(func.lower(c).like(pattern, escape="!") for c in columns))
    return exists(select(literal(1)).where(reports.c.event_id == events.c.id, matches))


def text_condition(value: str) -> ColumnElement[bool]:
    """Match events with an evidence span whose text holds value."""
    pattern = like_pattern(value)
    return exists(
        select(literal(1))
        .select_from(evidence.join(reports, evidence.c.report_pk == reports.c.pk))
        .where(reports.c.event_id == events.c.id, func.lower(evidence.c.text).like(pattern, escape="!"))
    )


def near_condition(lat: float, lon: float, km: float) -> ColumnElement[bool]:
    """Match events placed within km of (lat, lon) (equirectangular, exact enough below 1000 km)."""
    shrink = math.cos(math.radians(lat))
    dy = (events.c.lat - float(lat)) * EARTH_KM_PER_DEGREE
    dx = (events.c.lon - float(lon)) * (EARTH_KM_PER_DEGREE * shrink)
    degrees = km / EARTH_KM_PER_DEGREE
    return and_(
        events.c.lat.is_not(None),
        events.c.lat.between(lat - degrees, lat + degrees),
        dy * dy + dx * dx <= float(km) * float(km),
    )


def where(f: EventFilter) -> ColumnElement[bool]:
    """Return the SQL condition selecting the merged events the filter asks for."""
    parts: list[ColumnElement[bool]] = [true()]
    if f.type:
        parts.append(events.c.type == f.type.upper())
    if f.country:
        parts.append(events.c.country == f.country.upper())
    if f.actor:
        parts.append(actor_condition(f.actor))
    if f.near is not None:
        parts.append(near_condition(*f.near))
    if f.since is not None:
        parts.append(events.c.date >= f.since)
    if f.until is not None:
        parts.append(events.c.date <= f.until)
    if f.text:
        parts.append(text_condition(f.text))
    return and_(*parts)
