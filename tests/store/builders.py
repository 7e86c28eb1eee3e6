"""Build report-level Event records by hand for store tests."""

from __future__ import annotations

import hashlib

from eventcoder.records import Acled, Actor, Document, Event, Flags, Place, Span, When

ACTORS = {
    "RUSMIL": Actor("Russian forces", "Russian military", "RUS", "MIL", "RUSMIL"),
    "UKRMIL": Actor("Ukrainian troops", "Ukrainian military", "UKR", "MIL", "UKRMIL"),
    "UKRCVL": Actor("civilians", None, "UKR", "CVL", "UKRCVL"),
    "SDNREB": Actor("Rapid Support Forces", "Rapid Support Forces", "SDN", "REB", "SDNREB"),
    "SDNCVL": Actor("villagers", None, "SDN", "CVL", "SDNCVL"),
}


def document(doc_id: str, text: str, published: str | None = None) -> Document:
    """Return a Document."""
    import datetime as dt

    return Document(
        id=doc_id,
        text=text,
        title=f"Title of {doc_id}",
        published=dt.date.fromisoformat(published) if published else None,
        url=f"https://news.example/{doc_id}",
    )


def event(
    doc: Document,
    *,
    type_: str = "ASSAULT",
    source: str | None = "RUSMIL",
    target: str | None = "UKRCVL",
    place: tuple[str, float, float, str, str] | None = ("Kharkiv", 49.98, 36.25, "UKR", "Kharkiv"),
    precision: str = "city",
    day: str | None = "2024-03-04",
    fatalities: int | None = None,
    injuries: int | None = None,
    negated: bool = False,
    n: int = 0,
) -> Event:
    """Return a report-level event stated by the whole text of doc."""
    location = None
    if place is not None:
        text, lat, lon, country, admin1 = place
        location = Place(text, text, lat, lon, country, admin1, None, precision)  # type: ignore[arg-type]
    ident = hashlib.sha1(f"{doc.id}|{doc.text}|{n}".encode()).hexdigest()[:16]
    return Event(
        id=ident,
        doc_id=doc.id,
        type=type_,
        mode="aerial" if type_ == "ASSAULT" else None,
        cameo="195" if type_ == "ASSAULT" else None,
        acled=Acled("Explosions/Remote violence", "Air/drone strike") if type_ == "ASSAULT" else None,
        source=ACTORS[source] if source else None,
        target=ACTORS[target] if target else None,
        location=location,
        date=When(day, day, "day") if day else None,
        fatalities=fatalities,
        injuries=injuries,
        flags=Flags(negated=negated),
        attributed_to=(),
        evidence=(Span(0, len(doc.text), doc.text),),
        confidence=0.8,
    )
