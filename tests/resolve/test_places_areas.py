"""A bare name that is a country or a region means it, not a much smaller town of that name."""

from __future__ import annotations

import eventcoder
from eventcoder.resolve.gazetteer import Candidate, Kind
from eventcoder.resolve.places import _overshadowed, choices, doc_places, document_countries


def _cand(kind: Kind, population: int, primary: bool = True) -> Candidate:
    return Candidate("Oregon", 44.0, -120.5, "USA", "OR", None, kind, population, True, primary)


def test_places_small_town_yields_to_the_region_of_its_name():
    town, region = _cand("city", 20_000), _cand("admin1", 3_000_000)
    assert _overshadowed(town, [town, region])


def test_places_main_town_of_its_region_is_kept():
    town, region = _cand("city", 1_600_000), _cand("admin1", 4_800_000)
    assert not _overshadowed(town, [town, region])


def test_places_town_known_by_a_country_name_yields_to_the_country():
    town, country = _cand("city", 20_000_000, primary=False), _cand("country", 126_000_000)
    assert _overshadowed(town, [town, country])
    assert not _overshadowed(town, [town])


def test_places_country_name_is_the_country_not_its_capital_through_geoparse():
    text = (
        "Health officials in Mexico City said the virus had spread. Schools in Mexico were closed, "
        "and cases were confirmed in Texas."
    )
    found = {t.text: (t.name, t.precision) for t in eventcoder.geoparse(text)}
    assert found["Mexico"] == ("Mexico", "country")
    assert found["Mexico City"] == ("Mexico City", "city")


def test_places_country_with_a_town_namesake_is_no_evidence_of_that_towns_region(nlp, gazetteer):
    # "Russia" has two readings, the country and a town in Ohio: that is no evidence of Ohio, so
    # "Lebanon" keeps no Ohio town beside the country
    doc = nlp("Envoys of Russia and Lebanon signed the agreement.")
    state = doc_places(doc, gazetteer)
    n = next(k for k, m in enumerate(state.mentions) if m.text == "Lebanon")
    kept = choices(state, n, document_countries(doc, gazetteer))
    assert any(c.kind == "country" for c in kept)
    assert not [c for c in kept if c.kind == "city"]


def test_places_bare_county_name_is_no_evidence_of_each_countys_state(nlp, gazetteer):
    # "Washington" is also 30-odd counties' name: no evidence that "California" is a Maryland town
    doc = nlp("Delegations from Washington, Texas and California met in Sacramento.")
    state = doc_places(doc, gazetteer)
    n = next(k for k, m in enumerate(state.mentions) if m.text == "California")
    kept = choices(state, n, document_countries(doc, gazetteer))
    assert ("California", "admin1") in {(c.name, c.kind) for c in kept}
    assert not [c for c in kept if c.kind == "city" and c.country == "USA"]


def test_places_list_of_states_names_the_states_through_geoparse():
    # "California, Nevada": no California lies in Nevada, so the comma lists, it does not place
    found = eventcoder.geoparse(
        "Schools closed in California, Nevada, Oregon and Washington after the outbreak."
    )
    kinds = {t.text: (t.name, t.precision) for t in found}
    for state in ("California", "Nevada", "Oregon"):
        assert kinds[state] == (state, "admin1")


def test_places_town_named_as_a_state_of_its_own_country_is_the_state_through_geoparse():
    # Oregon, Ohio (20,000 people) yields to the state of Oregon even beside "Ohio"
    found = eventcoder.geoparse("Ranchers from Ohio and Oregon met in Chicago.")
    kinds = {t.text: (t.name, t.admin1, t.precision) for t in found}
    assert kinds["Oregon"] == ("Oregon", "Oregon", "admin1")


def test_places_state_capital_named_with_its_state_stays_the_town_through_geoparse():
    found = eventcoder.geoparse("The mayor of Columbia, S.C., spoke on Monday.")
    kinds = {t.text: (t.name, t.admin1, t.precision) for t in found}
    assert kinds["Columbia"] == ("Columbia", "South Carolina", "city")
