"""Towns found only by an alternate name: airport codes and foreign namesakes are not the place meant."""

from __future__ import annotations

import pytest

import eventcoder
from eventcoder.resolve.gazetteer import Candidate
from eventcoder.resolve.places import _stray_alias


def _town(country: str, primary: bool) -> Candidate:
    return Candidate("Decatur", 34.6, -87.0, country, "01", 1, "city", 50_000, True, primary)


def test_places_short_alternate_name_is_dropped():
    assert _stray_alias(_town("USA", primary=False), "dec", [])
    assert not _stray_alias(_town("USA", primary=True), "dec", [])


def test_places_alternate_name_outside_the_document_countries_is_dropped():
    assert _stray_alias(_town("KWT", primary=False), "hawari", ["LBY"])
    assert not _stray_alias(_town("LBY", primary=False), "hawari", ["LBY"])
    assert not _stray_alias(_town("KWT", primary=False), "hawari", [])


def test_places_month_abbreviation_is_no_town_through_extract():
    events = eventcoder.extract("Soldiers and a local militia fought near the river on Dec 7-9.")
    assert all(e.location is None or e.location.country != "USA" for e in events)
    assert not eventcoder.geoparse("Soldiers and a local militia fought near the river on Dec 7-9.")


def test_places_foreign_alternate_name_is_no_place_through_geoparse():
    found = eventcoder.geoparse("Clashes in Benghazi, Libya, spread to Hawari on Sunday.")
    assert [t.country for t in found] == ["LBY", "LBY"]
    assert (
        eventcoder.extract("Clashes in Benghazi, Libya, spread to Hawari on Sunday.")[0].location.name
        == "Benghazi"
    )


def test_places_small_town_abroad_is_no_place_in_a_document_of_other_countries():
    text = "Residents marched to the municipal offices in Cape Town, and others blocked roads in Strand."
    assert [(t.name, t.country) for t in eventcoder.geoparse(text)] == [("Cape Town", "ZAF")]


def test_places_small_town_abroad_kept_when_the_words_point_there_through_extract():
    events = eventcoder.extract("Kenyan jets bombed al Shabaab camps near Jilib.")
    assert events
    assert events[0].location is not None
    assert (events[0].location.name, events[0].location.country) == ("Jilib", "SOM")


def test_places_name_after_a_natural_feature_word_is_no_town_through_extract():
    found = eventcoder.geoparse("Two boats capsized on Lake Lanier on Sunday.")
    assert found == []
    events = eventcoder.extract("Rebels shelled villages on the slopes of Mount Kenya.")
    assert all(e.location is None or e.location.country == "KEN" for e in events)


def test_places_town_named_with_its_feature_word_is_still_the_town():
    found = eventcoder.geoparse("Lake Charles police said a man was shot.")
    assert [(t.name, t.country) for t in found] == [("Lake Charles", "USA")]


def test_places_small_county_abroad_is_no_place_in_a_document_of_other_countries():
    found = eventcoder.geoparse("A bomb went off near a school in tambon Juab, in southern Thailand.")
    assert [(t.name, t.country) for t in found] == [("Thailand", "THA")]


@pytest.mark.parametrize(
    ("text", "initialism", "name", "precision"),
    [
        # folded, "L.A." is "La." (Louisiana): the initials of the candidates' names decide
        ("Traffic jams in L.A. grew worse.", "L.A.", "Los Angeles", "city"),
        ("Fog closed roads in S.F. on Friday.", "S.F.", "San Francisco", "city"),
        ("He moved to Albany, N.Y., last year.", "N.Y.", "New York", "admin1"),
    ],
)
def test_places_initialism_is_the_place_its_letters_spell_through_geoparse(text, initialism, name, precision):
    found = {t.text: (t.name, t.precision) for t in eventcoder.geoparse(text)}
    assert found[initialism] == (name, precision)
