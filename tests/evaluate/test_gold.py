"""Gold readers: ACLED CSV (both column sets), PLOVER/CAMEO JSON, CASE-style files."""

from __future__ import annotations

import json

import pytest

from eventcoder.errors import GoldFormatError
from eventcoder.evaluate.gold import (
    actor_country,
    plover_of_cameo,
    read_gold,
)

LEGACY_HEADER = (
    "GWNO,EVENT_ID_CNTY,EVENT_ID_NO_CNTY,EVENT_DATE,YEAR,TIME_PRECISION,EVENT_TYPE,ACTOR1,"
    "ALLY_ACTOR_1,INTER1,ACTOR2,ALLY_ACTOR_2,INTER2,INTERACTION,COUNTRY,ADMIN1,ADMIN2,ADMIN3,"
    "LOCATION,LATITUDE,LONGITUDE,GEO_PRECISION,SOURCE,NOTES,FATALITIES\n"
)
CURRENT_HEADER = (
    "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,"
    "actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,"
    "iso,region,country,admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,"
    "source_scale,notes,fatalities,tags,timestamp\n"
)


def _legacy_row(event_type: str, actor1: str, actor2: str = "", inter1: str = "1") -> str:
    return (
        f'1,9XYZ,,03/02/2016,2016,1,{event_type},"{actor1}",,{inter1},"{actor2}",,0,10,'
        "Kenya,Nairobi,,,Nairobi,-1.28333,36.81667,1,Daily Nation,"
        '"Police fired on a crowd in Nairobi, killing two.",2\n'
    )


@pytest.mark.parametrize(
    ("legacy", "actor1", "expected"),
    [
        (
            "Battle-No change of territory",
            "Military Forces of Kenya (2013-)",
            ("Battles", "Armed clash"),
        ),
        (
            "Battle-Government regains territory",
            "Military Forces of Kenya (2013-)",
            ("Battles", "Government regains territory"),
        ),
        ("Remote violence", "Al Shabaab", ("Explosions/Remote violence", None)),
        (
            "Violence against civilians",
            "Police Forces of Kenya",
            ("Violence against civilians", None),
        ),
        (
            "Violence Against Civilians",
            "Police Forces of Kenya",
            ("Violence against civilians", None),
        ),
        ("Riots/Protests", "Protesters (Kenya)", ("Protests", None)),
        ("Riots/Protests", "Rioters (Kenya)", ("Riots", None)),
        ("Strategic development", "Al Shabaab", ("Strategic developments", None)),
        (
            "Headquarters or base established",
            "Al Shabaab",
            ("Strategic developments", "Headquarters or base established"),
        ),
    ],
)
def test_gold_maps_legacy_acled_types(tmp_path, legacy, actor1, expected):
    path = tmp_path / "old.csv"
    path.write_text(LEGACY_HEADER + _legacy_row(legacy, actor1), encoding="utf-8")
    (record,) = read_gold(path, "acled")
    assert (record.acled_type, record.acled_sub_type) == expected


def test_gold_riots_when_rioters_are_the_second_actor(tmp_path):
    path = tmp_path / "old.csv"
    row = _legacy_row("Riots/Protests", "Police Forces of Kenya", "Rioters (Kenya)")
    path.write_text(LEGACY_HEADER + row, encoding="utf-8")
    (record,) = read_gold(path, "acled")
    assert record.acled_type == "Riots"


def test_gold_reads_legacy_acled_fields(tmp_path):
    path = tmp_path / "old.csv"
    row = _legacy_row("Violence against civilians", "Police Forces of Kenya", "Civilians (Kenya)")
    path.write_text(LEGACY_HEADER + row, encoding="utf-8")
    (record,) = read_gold(path, "acled")
    assert record.text == "Police fired on a crowd in Nairobi, killing two."
    assert (record.actor1_country, record.actor2_country, record.country) == ("KEN", "KEN", "KEN")
    assert (record.fatalities, record.date, record.date_precision) == (2, "2016-02-03", "day")
    assert record.lat == pytest.approx(-1.28333)
    assert record.violent is True


def test_gold_reads_current_acled_columns(tmp_path):
    path = tmp_path / "new.csv"
    row = (
        "ABC123,15 January 2020,2020,1,Political violence,Explosions/Remote violence,"
        'Air/drone strike,"Military Forces of Turkey (2016-)",,8,"Civilians (Syria)",,7,78,'
        "Civilian targeting,760,Middle East,Syria,Aleppo,,,Al Bab,36.37,37.52,1,SOHR,National,"
        '"A Turkish drone struck a car near Al Bab, killing three civilians.",3,,1580000000\n'
    )
    path.write_text(CURRENT_HEADER + row, encoding="utf-8")
    (record,) = read_gold(path, "acled")
    assert (record.acled_type, record.acled_sub_type) == (
        "Explosions/Remote violence",
        "Air/drone strike",
    )
    assert (record.actor1_country, record.actor2_country) == ("TUR", "SYR")
    assert (record.date, record.fatalities, record.country) == ("2020-01-15", 3, "SYR")


def test_gold_rejects_a_csv_without_notes(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(GoldFormatError, match="not an ACLED CSV"):
        list(read_gold(path, "acled"))


@pytest.mark.parametrize(
    ("actor", "iso3"),
    [
        ("Military Forces of Nigeria (2015-)", "NGA"),
        ("Protesters (Algeria)", "DZA"),
        ("Police Forces of Democratic Republic of Congo", "COD"),
        ("Military Forces of Sudan (1989-2019)", "SDN"),
        ("KIA: Kachin Independence Army", None),
    ],
)
def test_gold_actor_country(actor, iso3):
    assert actor_country(actor) == iso3


@pytest.mark.parametrize(
    ("code", "plover"),
    [
        ("010", None),
        ("042", "CONSULT"),
        ("0841", "RETREAT"),
        ("081", "CONCEDE"),
        ("112", "ACCUSE"),
        ("173", "COERCE"),
        ("190", "ASSAULT"),
        ("192", "COERCE"),
        ("202", "ASSAULT"),
    ],
)
def test_gold_cameo_to_plover(code, plover):
    assert plover_of_cameo(code) == plover


def test_gold_reads_cameo_jsonl(tmp_path):
    path = tmp_path / "petr.jsonl"
    records = [
        {
            "id": "a1",
            "text": "Chinese troops shelled Indian positions.",
            "events": [{"eventcode": "194", "source": "CHNMIL", "target": "INDMIL"}],
        },
        {"id": "a2", "text": "", "events": [{"eventcode": "190"}]},
    ]
    path.write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    (record,) = read_gold(path, "plover")
    assert record.cameo_roots == ("19",)
    assert record.plover_types == ("ASSAULT",)
    assert (record.actor1_country, record.actor2_country, record.penta) == ("CHN", "IND", 4)


def test_gold_reads_plover_json_array_with_old_names(tmp_path):
    path = tmp_path / "gsr.json"
    records = [
        {
            "id": "g1",
            "text": "France criticised Iran's nuclear programme.",
            "event": "DISAPPROVE",
            "source": [{"code": "FRA"}],
            "target": [{"code": "IRN", "sector": "GOV"}],
            "eventLoc": {"latitude": 48.85, "longitude": 2.35, "cc3": "FRA"},
        }
    ]
    path.write_text(json.dumps(records), encoding="utf-8")
    (record,) = read_gold(path, "plover")
    assert record.plover_types == ("ACCUSE",)
    assert (record.actor1_country, record.actor2_country) == ("FRA", "IRN")
    assert (record.lat, record.country) == (48.85, "FRA")


def test_gold_reads_case_tsv_and_jsonl_labels(tmp_path):
    path = tmp_path / "case.tsv"
    path.write_text("Talks were held in Geneva.\t1\nA bomb killed five.\t4\n", encoding="utf-8")
    assert [r.penta for r in read_gold(path, "case")] == [1, 4]
    path = tmp_path / "case.jsonl"
    lines = [
        {"text": "Troops clashed with rebels.", "label": "Armed clash"},
        {"text": "An earthquake struck.", "label": "Natural disaster"},
    ]
    path.write_text("\n".join(json.dumps(x) for x in lines), encoding="utf-8")
    first, second = read_gold(path, "case")
    assert (first.acled_type, first.acled_sub_type) == ("Battles", "Armed clash")
    assert second.acled_type == "(none)"
    assert second.violent is False


def test_gold_reads_annotation_csv_majority_root(tmp_path):
    path = tmp_path / "round.csv"
    path.write_text(
        "ids,sentences,Action1_CAMEO_1,Action1_CAMEO_3,Action2_CAMEO_3,Action1_CAMEO_4\n"
        "s1,Kenya's opposition accused the government.,3-9 Investigate,3-11 Disapprove,"
        "3-13 Threaten,3-11 Disapprove\n"
        "s2,Nothing coded here.,,,,\n",
        encoding="utf-8",
    )
    (record,) = read_gold(path, "case")
    assert record.cameo_roots == ("11",)
    assert set(record.rater_roots) == {"09", "11", "13"}
    assert record.plover_types == ("ACCUSE",)


def test_gold_rejects_a_tsv_line_without_label(tmp_path):
    path = tmp_path / "bad.tsv"
    path.write_text("just a sentence\n", encoding="utf-8")
    with pytest.raises(GoldFormatError, match="sentence<TAB>label"):
        list(read_gold(path, "case"))


def test_gold_missing_file_says_what_to_do(tmp_path):
    with pytest.raises(GoldFormatError, match="give the path"):
        read_gold(tmp_path / "nope.csv", "acled")


@pytest.mark.parametrize(
    ("actor1", "inter1", "actor2", "expected"),
    [
        (
            "Military Forces of Ethiopia (1991-)",
            "1",
            "Protesters (Ethiopia)",
            ("Protests", "Excessive force against protesters"),
        ),
        (
            "Protesters (Ethiopia)",
            "6",
            "Police Forces of Ethiopia",
            ("Protests", "Excessive force against protesters"),
        ),
        ("Rioters (Uganda)", "5", "Civilians (Uganda)", ("Riots", "Mob violence")),
        ("Unidentified Armed Group (Kenya)", "5", "", ("Riots", "Mob violence")),
        ("Al Shabaab", "2", "Civilians (Kenya)", ("Violence against civilians", None)),
    ],
)
def test_gold_maps_legacy_violence_against_crowds_as_the_2019_codebook(
    tmp_path, actor1, inter1, actor2, expected
):
    path = tmp_path / "old.csv"
    path.write_text(
        LEGACY_HEADER + _legacy_row("Violence against civilians", actor1, actor2, inter1), encoding="utf-8"
    )
    (record,) = read_gold(path, "acled")
    assert (record.acled_type, record.acled_sub_type) == expected
