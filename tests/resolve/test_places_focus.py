"""The document's focus: the place or country an event gets when its own sentences name none."""

from __future__ import annotations

import pytest

import eventcoder
from eventcoder.geo import distance_km
from eventcoder.resolve.places import (
    document_countries,
    document_focus,
    document_place,
    focus_country,
    guessed_country,
)


def test_places_focus_country_from_the_words_through_extract():
    events = eventcoder.extract("Party workers of the BJP staged a sit-in against the rise in bus fares.")
    assert events
    place = events[0].location
    assert place is not None
    assert (place.country, place.precision) == ("IND", "country")
    assert "the words point to" in place.reason


def test_places_focus_first_tied_place_through_extract():
    events = eventcoder.extract("Trader shot dead by unknown gunmen in Kismayo.")
    assert events
    place = events[0].location
    assert place is not None
    assert (place.name, place.country, place.precision) == ("Kismayo", "SOM", "city")


def test_places_focus_place_stays_in_the_focus_country(nlp, gazetteer):
    doc = nlp("Fighters crossed from Chad. Two soldiers were killed in Kismayo.")
    place = document_place(doc, gazetteer, ["SOM"], "SOM")
    assert place is not None
    assert place.name == "Kismayo"


def test_places_focus_prefers_a_place_tied_by_a_preposition(nlp, gazetteer):
    doc = nlp("Elders of Baidoa said two men were shot in Kismayo.")
    place = document_place(doc, gazetteer, ["SOM"], "SOM")
    assert place is not None
    assert place.name == "Kismayo"


def test_places_focus_untied_place_beats_the_country_through_extract():
    events = eventcoder.extract(
        "Residents of Patiala blocked a highway to protest the desecration of a holy book."
    )
    assert events
    place = events[0].location
    assert place is not None
    assert (place.country, place.precision) == ("IND", "city")


def test_places_focus_reference_point_at_its_offset(nlp, gazetteer):
    doc = nlp("Somali troops fought militants 20 km north of Baidoa.")
    place = document_place(doc, gazetteer, ["SOM"], "SOM")
    baidoa = next(c for c in gazetteer.lookup("Baidoa") if c.kind == "city")
    assert place is not None
    assert 15 <= distance_km(place.lat, place.lon, baidoa.lat, baidoa.lon) <= 25
    assert place.lat > baidoa.lat


def test_places_focus_demonym_alone_gives_the_country(nlp, gazetteer):
    focus = document_focus(nlp("Somali troops fought militants overnight."), ["SOM"], gazetteer)
    assert focus is not None
    assert (focus.country, focus.precision) == ("SOM", "country")


def test_places_focus_one_named_country(nlp, gazetteer):
    country = focus_country(nlp("Protesters gathered outside parliament in Kenya."), ["KEN"])
    assert country == ("KEN", "the country the document is about")


@pytest.mark.parametrize(
    "text",
    [
        "Hundreds of teachers marched to demand higher pay.",
        "Ministers of Peru and Chile met to discuss trade.",
    ],
)
def test_places_focus_none_when_the_words_do_not_choose(nlp, gazetteer, text):
    doc = nlp(text)
    countries = ["PER", "CHL"] if "Peru" in text else []
    assert focus_country(doc, countries) is None


def test_places_focus_demonym_of_an_actor_yields_to_the_words_through_extract():
    events = eventcoder.extract("Al Shabaab fighters ambushed a Kenyan army convoy, killing eight soldiers.")
    assert events
    place = events[0].location
    assert place is not None
    assert (place.country, place.precision) == ("SOM", "country")


def test_places_the_only_town_a_report_names_stands_against_a_guessed_country():
    # no country named: the words' guess may weigh candidates but never removes the one place told
    events = eventcoder.extract("Jihadists attacked an army base near Dori on Monday, killing nine soldiers.")
    assert events
    assert events[0].location is not None
    assert (events[0].location.name, events[0].location.country) == ("Dori", "BFA")


@pytest.mark.parametrize(
    ("text", "country"),
    [
        # the head alone reads Myanmar (p 0.74): "Congolese" can only be the DRC
        ("M23 rebels clashed with Congolese troops near the border, killing four soldiers.", "COD"),
        # the head alone reads Ethiopia (p 0.78) and vetoed Yola as a namesake abroad
        ("Soldiers protest unpaid salaries in Yola.", "NGA"),
    ],
)
def test_places_focus_guess_weighed_by_the_names_through_extract(text, country):
    events = eventcoder.extract(text)
    assert events
    assert events[0].location is not None
    assert events[0].location.country == country


def test_places_focus_guess_without_a_known_name_stays_the_heads(nlp, gazetteer):
    # Idlib lies in no country the head knows: the words alone decide the guess
    doc = nlp("Jets bombed rebel positions in Idlib.")
    document_countries(doc, gazetteer)
    weighed, alone = guessed_country(doc), guessed_country(nlp(doc.text))
    assert weighed is not None
    assert alone is not None
    assert weighed[0] == alone[0]
    assert weighed[1] == pytest.approx(alone[1], abs=1e-6)
