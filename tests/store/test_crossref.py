"""The cross-report test on hand-built reports."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from eventcoder.geo import distance_km
from eventcoder.store.crossref import (
    Report,
    Side,
    fatality_range,
    merged_record,
    most_reported_date,
    same_event,
    tolls_compatible,
)

KHARKIV = (49.98, 36.25)
BASE = Report(
    doc_key="a",
    type="ASSAULT",
    negated=False,
    hypothetical=False,
    source=Side("RUS", "MIL"),
    target=Side("UKR", "CVL"),
    lat=KHARKIV[0],
    lon=KHARKIV[1],
    country="UKR",
    admin1="Kharkiv",
    precision="city",
    date=dt.date(2024, 3, 4),
    fatalities=12,
    injuries=None,
)


def other(**changes: object) -> Report:
    """Return BASE told by another document, with changes."""
    return replace(BASE, doc_key="b", **changes)  # type: ignore[arg-type]


def test_crossref_same_place_and_day_merge() -> None:
    assert same_event(BASE, other())


def test_crossref_same_document_never_merges_with_itself() -> None:
    assert not same_event(BASE, replace(BASE))


@pytest.mark.parametrize(
    ("changes", "why"),
    [
        ({"type": "PROTEST"}, "another type"),
        ({"lat": 50.6, "lon": 36.6}, "75 km away"),
        ({"source": Side("UKR", "MIL")}, "another source country"),
        ({"target": Side("UKR", "MIL")}, "another target sector"),
        ({"fatalities": 60}, "a toll five times higher"),
        ({"date": dt.date(2024, 4, 4)}, "a month apart"),
        ({"negated": True}, "a denial"),
        ({"country": "RUS", "lat": 50.6, "lon": 36.6}, "another country"),
    ],
)
def test_crossref_incompatible_reports_stay_apart(changes: dict[str, object], why: str) -> None:
    assert not same_event(BASE, other(**changes)), why


def test_crossref_wrong_date_merges_when_place_and_actors_agree() -> None:
    assert same_event(BASE, other(date=dt.date(2024, 3, 9)))


def test_crossref_wrong_date_with_only_admin1_stays_apart() -> None:
    vague = other(date=dt.date(2024, 3, 9), precision="admin1", lat=49.5, lon=36.5)
    assert not same_event(replace(BASE, precision="admin1"), vague)


def test_crossref_unknown_actors_merge_on_place_day_and_toll() -> None:
    assert same_event(BASE, other(source=None, target=None))


def test_crossref_place_and_day_alone_do_not_link() -> None:
    # busy places see several events of one type a day: something else must agree
    bare = other(source=None, target=None, fatalities=None)
    assert not same_event(BASE, bare)
    assert same_event(replace(BASE, terms=frozenset({"market"})), replace(bare, terms=frozenset({"market"})))


def test_crossref_missing_place_needs_day_and_actor() -> None:
    no_place = {"lat": None, "lon": None, "country": None, "admin1": None, "precision": None}
    assert same_event(BASE, other(**no_place))
    assert not same_event(BASE, other(source=None, target=None, **no_place))


def test_crossref_same_admin1_merges_imprecise_places() -> None:
    assert same_event(BASE, other(precision="admin1", lat=49.6, lon=36.9))
    assert not same_event(BASE, other(precision="admin1", lat=48.5, lon=35.0, admin1="Dnipro"))


@pytest.mark.parametrize(
    ("target", "merges"),
    [
        (Side("UKR", "REL"), True),
        (Side(None, "CVL"), True),
        (Side("UKR", None), True),
        (Side("UKR", "MIL"), False),
        (Side("RUS", "CVL"), False),
    ],
)
def test_crossref_actor_sectors_compared_by_family(target: Side, merges: bool) -> None:
    assert same_event(BASE, other(target=target)) is merges


def test_crossref_distance_km_kharkiv_to_kyiv() -> None:
    assert distance_km(*KHARKIV, 50.45, 30.52) == pytest.approx(410, abs=10)


@pytest.mark.parametrize(
    ("a", "b", "ok"),
    [
        (12, 20, True),
        (20, 60, True),
        (5, 40, False),
        (1, 100, False),
        (None, 300, True),
        (0, 4, True),
    ],
)
def test_crossref_tolls_compatible(a: int | None, b: int | None, ok: bool) -> None:
    assert tolls_compatible(a, b) is ok


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        ([12, 15, 15, 20], (12, 15, 20)),
        ([10, 14], (10, 10, 14)),
        ([9, 11, 13], (9, 11, 13)),
        ([None, 7], (7, 7, 7)),
        ([None, None], (None, None, None)),
    ],
)
def test_crossref_fatality_range_low_best_high(counts, expected) -> None:
    assert fatality_range(counts) == expected


def test_crossref_merged_record_takes_most_reported_date_and_best_toll() -> None:
    def rec(doc: str, day: str, deaths: int) -> dict[str, object]:
        return {
            "id": doc,
            "doc_id": doc,
            "type": "ASSAULT",
            "date": {"text": day, "value": day, "precision": "day"},
            "fatalities": deaths,
            "injuries": None,
            "source": None,
            "target": {"text": "x", "name": None, "country": "UKR", "sector": "CVL", "code": None},
            "location": None,
            "attributed_to": [],
            "evidence": [{"start": 0, "end": 1, "text": doc}],
            "confidence": 0.5,
        }

    merged = merged_record(
        "m", [rec("a", "2024-03-09", 10), rec("b", "2024-03-04", 12), rec("c", "2024-03-04", 12)]
    )
    assert merged["id"] == "m"
    assert merged["date"]["value"] == "2024-03-04"
    assert merged["fatalities"] == 12
    assert "evidence" not in merged


def test_crossref_most_reported_date_prefers_a_day_to_a_year() -> None:
    def dated(value: str, precision: str) -> dict[str, object]:
        return {"date": {"text": value, "value": value, "precision": precision}}

    records = [dated("2024", "year"), dated("2024", "year"), dated("2024-03-04", "day")]
    assert most_reported_date(records) == {
        "text": "2024-03-04",
        "value": "2024-03-04",
        "precision": "day",
    }
    assert most_reported_date([{"date": None}]) is None


def test_crossref_a_town_and_a_district_of_its_province_far_from_the_district_centre_may_merge() -> None:
    # a district's point is its centre: 150 km from a town of the same province is no conflict
    district = other(lat=KHARKIV[0] + 1.35, lon=KHARKIV[1], precision="admin2", name="a district")
    assert same_event(BASE, district)
    elsewhere = replace(district, admin1="Donetsk")
    assert not same_event(BASE, elsewhere)
    town = replace(district, precision="city")  # two towns that far apart are two places
    assert not same_event(BASE, town)
