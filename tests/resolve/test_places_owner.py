"""A country named as the owner of an embassy or an ambassador is not where things happened."""

from __future__ import annotations

import pytest

import eventcoder
from eventcoder.resolve.places import find_places, resolve_place


@pytest.mark.parametrize(
    "text",
    [
        "Protesters gathered outside the Kenyan-built hall near the U.S. embassy.",
        "Hundreds of students held a sit-in in front of the Chad Embassy.",
        "Protesters marched to Kenya's embassy.",
        "Demonstrators burned a picture of the U.S. ambassador.",
    ],
)
def test_places_embassy_owner_is_a_topic(nlp, gazetteer, text):
    doc = nlp(text)
    countries = [
        p
        for p in find_places(doc[:], gazetteer, [])
        if p.precision == "country" and not p.reason.startswith("demonym")
    ]
    assert countries
    assert all(p.reason.startswith("topic: ") for p in countries)
    assert resolve_place(doc[:], gazetteer, []) is None


def test_places_embassy_owner_is_no_event_place_through_extract():
    text = "Dozens of protesters gathered at the U.S. embassy to denounce the U.S. ambassador's remarks."
    events = eventcoder.extract(text)
    assert events
    assert all(e.location is None or e.location.country != "USA" for e in events)
