"""Typed records passed from stage to stage.

Frozen dataclasses inside the pipeline; `Event.to_dict()` gives the contract's JSON record
(`shared/contract/event.schema.json`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

T = TypeVar("T")

Precision = Literal["point", "city", "admin2", "admin1", "country"]
DatePrecision = Literal["day", "month", "year"]


@dataclass(frozen=True, slots=True)
class Document:
    """One input document; every offset in an Event refers to `text` (the cleaned text)."""

    id: str
    text: str
    title: str | None = None
    published: dt.date | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Span:
    """A character span of the cleaned document text."""

    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        """Return the contract's evidence object."""
        return {"start": self.start, "end": self.end, "text": self.text}


@dataclass(frozen=True, slots=True)
class Actor:
    """A resolved actor: who acts or is acted upon."""

    text: str  # as written in the article
    name: str | None  # canonical name ("Vladimir Putin", "Islamic State")
    country: str | None  # ISO 3166-1 alpha-3
    sector: str | None  # PLOVER actor code: GOV MIL REB CVL ...
    code: str | None  # CAMEO-style: country + sector ("RUSMIL")
    reason: str = ""  # why this identity, for debugging
    inter: int | None = None  # ACLED actor type 1-8 (state forces ... external/other), resolve/
    acled_name: str | None = None  # ACLED-style name ("Military Forces of Nigeria"), resolve/

    def to_dict(self) -> dict[str, Any]:
        """Return the contract's actor object."""
        return {
            "text": self.text,
            "name": self.name,
            "country": self.country,
            "sector": self.sector,
            "code": self.code,
            "inter": self.inter,
            "acled_name": self.acled_name,
        }


@dataclass(frozen=True, slots=True)
class Place:
    """A geocoded place."""

    text: str  # as written in the article
    name: str | None  # gazetteer name
    lat: float
    lon: float
    country: str | None  # ISO 3166-1 alpha-3
    admin1: str | None
    geonameid: int | None
    precision: Precision
    reason: str = ""  # why this place won
    admin2: str | None = None  # district, county
    feature: str | None = None  # GeoNames feature class.code ("P.PPL", "A.ADM1", "A.PCLI")
    score: float | None = None  # the ranker's confidence in this candidate, 0-1

    def to_dict(self) -> dict[str, Any]:
        """Return the contract's location object."""
        return {
            "text": self.text,
            "name": self.name,
            "lat": round(self.lat, 5),
            "lon": round(self.lon, 5),
            "country": self.country,
            "admin1": self.admin1,
            "admin2": self.admin2,
            "geonameid": self.geonameid,
            "feature": self.feature,
            "precision": self.precision,
            "score": None if self.score is None else round(self.score, 3),
        }


@dataclass(frozen=True, slots=True)
class When:
    """A resolved date: value is ISO YYYY-MM-DD, YYYY-MM or YYYY, or None when unresolved."""

    text: str | None
    value: str | None
    precision: DatePrecision | None

    def to_dict(self) -> dict[str, Any]:
        """Return the contract's date object."""
        return {"text": self.text, "value": self.value, "precision": self.precision}


@dataclass(frozen=True, slots=True)
class Flags:
    """Modality and framing of an event mention."""

    negated: bool = False
    hypothetical: bool = False
    accidental: bool = False
    historical: bool = False

    def to_dict(self) -> dict[str, bool]:
        """Return the contract's flags object."""
        return {
            "negated": self.negated,
            "hypothetical": self.hypothetical,
            "accidental": self.accidental,
            "historical": self.historical,
        }


@dataclass(frozen=True, slots=True)
class EventType:
    """An entry of the ontology: PLOVER type and mode, CAMEO code."""

    type: str
    mode: str | None
    cameo: str | None


def in_acled_order(actor1: str | None, source: T, target: T) -> tuple[T, T]:
    """Return an event's source and target as ACLED's actor 1 and 2 (`Acled.actor1`): records and
    their stored dictionaries alike."""
    return (target, source) if actor1 == "target" else (source, target)


@dataclass(frozen=True, slots=True)
class Acled:
    """ACLED event type and sub-event type, and which of the event's actors ACLED lists first."""

    event_type: str
    sub_event_type: str | None
    # "source" or "target": ACLED's actor 1. PLOVER's source is who acted; ACLED's order of a
    # battle's sides is a coding habit (resolve/actor_types.acled_order decides it)
    actor1: str = "source"

    def to_dict(self) -> dict[str, Any]:
        """Return the contract's acled object."""
        return {"event_type": self.event_type, "sub_event_type": self.sub_event_type, "actor1": self.actor1}


@dataclass(frozen=True, slots=True)
class DocumentSignals:
    """What the rules find about a whole document that bears on each event's type."""

    rioting: bool = False  # a crowd's acts of violence are told somewhere in the report
    fighting_back: bool = False  # the attacked side fired back or repelled the attack
    report: str | None = None  # the whole text, when it is short enough to tell one report


@dataclass(frozen=True, slots=True)
class Mention:
    """One telling of an event in one sentence, before merging."""

    doc_id: str
    kind: EventType
    trigger: Span
    sentence: Span
    source: Actor | None
    target: Actor | None
    location: Place | None
    date: When | None
    fatalities: int | None
    injuries: int | None
    flags: Flags
    attributed_to: tuple[str, ...]
    confidence: float
    casualty_report: bool = False  # only says who died or was hurt ("23 soldiers killed")
    standalone: bool = True  # False: only meaningful as part of an event told just before
    acled: Acled | None = None  # decided by classify/
    reason: str = ""  # which model or rule decided the type, for debugging and the map
    findings: frozenset[str] = frozenset()  # what the words say about the type (extract.findings_of)


@dataclass(frozen=True, slots=True)
class Event:
    """One real-world event in one document: the contract's record."""

    id: str
    doc_id: str
    type: str
    mode: str | None
    cameo: str | None
    acled: Acled | None
    source: Actor | None
    target: Actor | None
    location: Place | None
    date: When | None
    fatalities: int | None
    injuries: int | None
    flags: Flags
    attributed_to: tuple[str, ...]
    evidence: tuple[Span, ...]
    confidence: float
    reason: str = ""  # which model (name and version) or rule decided type and acled
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    def acled_actors(self) -> tuple[Actor | None, Actor | None]:
        """Return ACLED's actor 1 and actor 2: the source and target in the order ACLED lists them."""
        return in_acled_order(self.acled.actor1 if self.acled else None, self.source, self.target)

    def to_dict(self) -> dict[str, Any]:
        """Return the contract's JSON record (every key present, unknowns as null)."""
        return {
            "id": self.id,
            "doc_id": self.doc_id,
            "type": self.type,
            "mode": self.mode,
            "cameo": self.cameo,
            "acled": self.acled.to_dict() if self.acled else None,
            "source": self.source.to_dict() if self.source else None,
            "target": self.target.to_dict() if self.target else None,
            "location": self.location.to_dict() if self.location else None,
            "date": self.date.to_dict() if self.date else None,
            "fatalities": self.fatalities,
            "injuries": self.injuries,
            "flags": self.flags.to_dict(),
            "attributed_to": list(self.attributed_to),
            "evidence": [s.to_dict() for s in self.evidence],
            "confidence": round(self.confidence, 3),
            "reason": self.reason,
        }
