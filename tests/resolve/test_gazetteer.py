"""The gazetteer index: normalisation, lookups by any spelling, countries, the cache."""

from __future__ import annotations

import pickle

import pytest

from eventcoder.resolve import gazetteer as gz
from eventcoder.resolve.gazetteer import Gazetteer, fold, normalize


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("al-Bab", "Al Bāb"),
        ("al-Bab", "Bab"),
        ("El Bab", "AL BAB"),
        ("Ma'arrat al-Nu'man", "Ma\u2018arrat al Nu\u2018man"),
        ("Deir ez-Zor", "Deir ez\u2013Zor"),
        ("the Hague", "Hague"),
        ("São Paulo", "Sao Paulo"),
    ],
)
def test_gazetteer_normalize_folds_spellings(a, b):
    assert normalize(a) == normalize(b)


def test_gazetteer_normalize_keeps_a_lone_article_word():
    assert normalize("As") == "as"
    assert fold("U.S.") == "us"


def test_gazetteer_lookup_al_bab_any_spelling(gazetteer):
    for name in ("al-Bab", "Al Bāb", "Bab", "El Bab"):
        syrian = [c for c in gazetteer.lookup(name) if c.country == "SYR"]
        assert syrian, name
        best = max(syrian, key=lambda c: c.population)
        assert best.name == "Al Bāb"
        assert best.admin1 == "Aleppo"
        assert best.kind == "city"
        assert abs(best.lat - 36.37) < 0.05
        assert abs(best.lon - 37.52) < 0.05


def test_gazetteer_lookup_alternate_name(gazetteer):
    kharkov = {c.geonameid for c in gazetteer.lookup("Kharkov")}
    kharkiv = {c.geonameid for c in gazetteer.lookup("Kharkiv")}
    assert kharkov & kharkiv


def test_gazetteer_lookup_admin1_by_bare_and_full_name(gazetteer):
    for name in ("Borno", "Borno State"):
        admin = [c for c in gazetteer.lookup(name) if c.kind == "admin1"]
        assert [c.country for c in admin] == ["NGA"], name


def test_gazetteer_lookup_unknown_name_is_empty(gazetteer):
    assert gazetteer.lookup("Qwzxplk") == []


def test_gazetteer_country_centroid(gazetteer):
    syria = gazetteer.country("SYR")
    assert syria is not None
    assert syria.kind == "country"
    assert 32 < syria.lat < 38
    assert 35 < syria.lon < 43
    assert gazetteer.country("XXX") is None


def test_gazetteer_country_place_is_country_precision(gazetteer):
    place = gazetteer.country_place("NGA", "Nigeria", "named")
    assert place is not None
    assert place.precision == "country"
    assert place.admin1 is None
    assert place.country == "NGA"


def test_gazetteer_country_names_and_short_names(gazetteer):
    for name, iso3 in [("U.S.", "USA"), ("Britain", "GBR"), ("DR Congo", "COD"), ("Syria", "SYR")]:
        kinds = {(c.kind, c.country) for c in gazetteer.lookup(name)}
        assert ("country", iso3) in kinds, name


def test_gazetteer_load_is_cached_per_process():
    assert Gazetteer.load() is Gazetteer.load()


def test_gazetteer_cache_dir_env_override(monkeypatch, tmp_path):
    monkeypatch.setenv("EVENTCODER_CACHE_DIR", str(tmp_path))
    assert gz.cache_dir() == tmp_path
    assert gz.cache_path().parent == tmp_path
    assert gz.cache_path().name.startswith("gazetteer-")


def test_gazetteer_cache_file_round_trips(monkeypatch, tmp_path, gazetteer):
    # write the loaded tables where the override points, then read them the way load() does
    monkeypatch.setenv("EVENTCODER_CACHE_DIR", str(tmp_path))
    tables = (gazetteer._entries, gazetteer._index, gazetteer._articled, gazetteer._countries)
    gz._write_cache(gz.cache_path(), tables)
    with gz.cache_path().open("rb") as fh:
        again = Gazetteer(*pickle.load(fh))
    assert len(again) == len(gazetteer)
    assert [c.name for c in again.lookup("Mosul")] == [c.name for c in gazetteer.lookup("Mosul")]


def test_name_index_keeps_each_keys_ids_in_order_and_round_trips():
    table = {"mosul": [7, 3], "bab": [5], "aleppo": [1, 2, 9], "zakho": []}
    index = gz.NameIndex.of(table)
    again = pickle.loads(pickle.dumps(index, protocol=pickle.HIGHEST_PROTOCOL))
    for found in (index, again):
        assert [found.get(k) for k in table] == [(7, 3), (5,), (1, 2, 9), ()]
        assert found.get("baba") == found.get("a") == found.get("zzz") == ()  # beside, before, after
    assert len(again) == 4


def test_entry_table_gives_back_each_entry_as_it_was_added():
    entries = [
        ("Africa", 7.19, 21.09, None, None, 6255146, 0, 1_100_000_000),
        ("Nineveh", 36.36, 43.15, "IRQ", "Nineveh", None, 1, 3_812_366_000),  # no GeoNames id
        ("Mosul", 36.34, 43.13, "IRQ", "Nineveh", 99072, 2, 0),
    ]
    table = gz.EntryTable.of(entries)
    again = pickle.loads(pickle.dumps(table, protocol=pickle.HIGHEST_PROTOCOL))
    assert [again[i] for i in range(len(again))] == entries
    assert [table.kind_of(i) for i in range(3)] == [0, 1, 2]


def test_gazetteer_lookup_flags_alternate_names(gazetteer):
    by_country = {c.country: c.primary for c in gazetteer.lookup("Batna")}
    assert by_country["DZA"] is True
    assert by_country["IND"] is False


def test_gazetteer_lookup_name_split_in_two_words(gazetteer):
    assert "MMR" in {c.country for c in gazetteer.lookup("Kyauk Taw")}


@pytest.mark.parametrize(
    ("name", "kind", "iso3", "geonameid"),
    [
        ("Borno", "admin1", "NGA", 2346794),  # GeoNames' id of Borno State
        ("Aleppo", "admin1", "SYR", 170062),
        ("Gwoza", "admin2", "NGA", 8659839),  # a Nigerian LGA: admin2 areas of every country
        ("Autauga County", "admin2", "USA", 4830868),
    ],
)
def test_gazetteer_areas_carry_geonames_ids(gazetteer, name, kind, iso3, geonameid):
    areas = [(c.country, c.geonameid) for c in gazetteer.lookup(name) if c.kind == kind]
    assert (iso3, geonameid) in areas


@pytest.mark.parametrize(
    ("lat", "lon", "iso3"),
    [(60.0, 90.0, "RUS"), (35.0, 103.0, "CHN"), (-25.0, 133.0, "AUS"), (9.0, 8.0, "NGA")],
)
def test_gazetteer_nearest_country_of_a_point(gazetteer, lat, lon, iso3):
    assert gazetteer.nearest_country(lat, lon) == iso3


def test_gazetteer_nearest_country_of_open_sea_is_none(gazetteer):
    assert gazetteer.nearest_country(-40.0, -120.0) is None


def test_gazetteer_region_point_is_not_its_namesake_towns(gazetteer):
    from eventcoder.resolve.place_corpora import distance_km

    state = next(c for c in gazetteer.lookup("New York") if c.kind == "admin1")
    city = next(c for c in gazetteer.lookup("New York City") if c.kind == "city")
    # GeoNames puts the state at 43.0, -75.5; countrystatecity at the city
    assert distance_km(state.lat, state.lon, 43.0, -75.5) < 161
    assert distance_km(state.lat, state.lon, city.lat, city.lon) > 50
