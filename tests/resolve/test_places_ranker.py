"""Place resolution with the shipped ranker: topics, demonyms, reason markers, the entity index."""

from __future__ import annotations

import pytest

from eventcoder.resolve.places import (
    MARKERS,
    doc_places,
    document_countries,
    find_places,
    marked,
    prefix,
    resolve_place,
)


@pytest.mark.parametrize(
    "text",
    [
        "The minister spoke about the situation in Aleppo.",
        "Leaders held talks on Syria in a phone call.",
        "He made a statement regarding Mosul.",
    ],
)
def test_places_topic_is_never_the_event_place(nlp, gazetteer, text):
    doc = nlp(text)
    assert resolve_place(doc[:], gazetteer, []) is None
    places = find_places(doc[:], gazetteer, [])
    assert places
    assert all(p.reason.startswith("topic: ") for p in places)


def test_places_topic_yields_to_the_place_of_the_event(nlp, gazetteer):
    doc = nlp("In Geneva, the envoys held talks on Syria.")
    place = resolve_place(doc[:], gazetteer, [])
    assert place is not None
    assert (place.name, place.country) == ("Geneva", "CHE")


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("The attack on Aleppo killed ten people.", "Aleppo"),
        ("Russian jets bombed rebel positions in Idlib.", "Idlib"),
        ("The ministers held a meeting in Geneva.", "Geneva"),
    ],
)
def test_places_place_of_the_event_is_not_a_topic(nlp, gazetteer, text, name):
    place = resolve_place(nlp(text)[:], gazetteer, [])
    assert place is not None
    assert place.name == name
    assert not place.reason.startswith("topic:")


def test_places_demonym_is_never_the_event_place(nlp, gazetteer):
    doc = nlp("The Kenyan delegation arrived on Monday.")
    assert resolve_place(doc[:], gazetteer, []) is None
    (place,) = find_places(doc[:], gazetteer, [])
    assert (place.country, place.precision) == ("KEN", "country")
    assert place.reason.startswith("demonym: ")
    better = resolve_place(nlp("A Kenyan delegation arrived in Kampala.")[:], gazetteer, [])
    assert better is not None
    assert better.name == "Kampala"


def test_places_demonym_counts_in_document_countries(nlp, gazetteer):
    assert document_countries(nlp("Kenyan police said two men were held."), gazetteer)[0] == "KEN"


def test_places_markers_are_documented():
    assert set(MARKERS) == {"topic", "demonym", "sentence"}


def test_places_marker_of_a_demonym_is_read_by_marked(nlp, gazetteer):
    places = find_places(nlp("Syrian troops advanced.")[:], gazetteer, [])
    assert places
    assert places[0].reason.startswith(prefix("demonym"))
    assert marked(places[0], "topic", "demonym")
    assert not marked(places[0], "sentence")
    with pytest.raises(KeyError, match="place markers"):
        prefix("rumour")


def test_places_place_carries_ranker_score_and_feature(nlp, gazetteer):
    place = resolve_place(nlp("Gunmen attacked a market in Mogadishu.")[:], gazetteer, [])
    assert place is not None
    assert place.feature == "P.PPL"
    assert place.score is not None
    assert 0.0 < place.score <= 1.0
    assert "place-ranker 1.0 p=" in place.reason


def test_places_state_is_built_once_per_doc(nlp, gazetteer):
    doc = nlp("Troops entered Mosul. Later they moved to Kirkuk and Erbil.")
    first = doc_places(doc, gazetteer)
    assert doc_places(doc, gazetteer) is first
    assert [m.text for m in first.mentions] == ["Mosul", "Kirkuk", "Erbil"]


def test_places_name_inside_an_organisation_is_not_a_place(nlp, gazetteer):
    doc = nlp("The University of Texas published the study.")
    assert all(p.text != "Texas" for p in find_places(doc[:], gazetteer, []))


def test_places_continent_is_a_toponym_but_never_the_event_place(nlp, gazetteer):
    doc = nlp("Troops fought in Africa.")
    (place,) = find_places(doc[:], gazetteer, [])
    assert (place.name, place.country, place.feature, place.geonameid) == ("Africa", None, "L.CONT", 6255146)
    assert resolve_place(doc[:], gazetteer, []) is None


def test_places_person_tag_does_not_hide_a_country(nlp, gazetteer):
    doc = nlp("Sri Lanka has a long coast.")
    assert [p.name for p in find_places(doc[:], gazetteer, [])] == ["Sri Lanka"]


def test_places_one_sense_per_document(nlp, gazetteer):
    doc = nlp("The team flew from Athens, Ga., on Monday. Fans in Athens cheered the team.")
    second = next(p for p in find_places(list(doc.sents)[1], gazetteer, []) if p.text == "Athens")
    assert (second.country, second.admin1) == ("USA", "Georgia")


def test_places_condolences_over_deaths_elsewhere_have_no_place(nlp, gazetteer):
    doc = nlp(
        "General Gerasimov expressed condolences to General Akar in connection with the death of "
        "three Turkish soldiers operating in the area of al-Bab."
    )
    assert resolve_place(doc[:], gazetteer, ["SYR"]) is None
    killed = nlp("The jets killed three Turkish soldiers operating in the area of al-Bab.")
    place = resolve_place(killed[:], gazetteer, ["SYR"])
    assert place is not None
    assert place.name == "Al Bāb"


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("The Athens Police Department arrested a man.", "Athens"),
        ("The Madison County Health Department issued a warning.", "Madison County"),
    ],
)
def test_places_place_leading_an_institution_is_a_toponym(nlp, gazetteer, text, name):
    doc = nlp(text)
    assert name in [p.text for p in find_places(doc[:], gazetteer, ["USA"])]
