"""The founding example read through the contract, as shared/examples/seed/expected.md codes it."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner

from eventcoder.cli import main

SEED = Path(__file__).parent.parent / "examples" / "seed" / "article.txt"
SEED_PAGE = Path(__file__).parent / "data" / "ingest" / "seed_page.html"

pytestmark = pytest.mark.slow


def run_extract(*args: str) -> list[dict]:
    """Run `eventcoder extract` and return its records."""
    result = CliRunner().invoke(main, ["extract", *args])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


@pytest.fixture(scope="module")
def seed_records() -> list[dict]:
    return run_extract(str(SEED), "--published", "2017-02-09")


def the_airstrike(records: list[dict]) -> list[dict]:
    return [r for r in records if r["type"] == "ASSAULT" and (r["target"] or {}).get("country") == "TUR"]


def test_seed_one_airstrike_on_turkish_soldiers(seed_records):
    strikes = the_airstrike(seed_records)
    assert len(strikes) == 1
    strike = strikes[0]
    assert strike["mode"] == "aerial"
    assert strike["cameo"] == "195"
    assert strike["acled"] == {
        "event_type": "Explosions/Remote violence",
        "sub_event_type": "Air/drone strike",
        "actor1": "source",  # two state forces: ACLED's order is the order told
    }
    assert strike["source"]["code"] == "RUSMIL"
    assert strike["target"]["code"] == "TURMIL"


def test_seed_airstrike_place_date_toll_flags(seed_records):
    strike = the_airstrike(seed_records)[0]
    place = strike["location"]
    assert place["country"] == "SYR"
    folded = unicodedata.normalize("NFKD", place["name"]).encode("ascii", "ignore").decode()
    assert "Bab" in folded
    assert abs(place["lat"] - 36.37) < 0.1
    assert abs(place["lon"] - 37.52) < 0.1
    assert strike["date"]["value"] == "2017-02-09"
    assert strike["fatalities"] == 3
    assert strike["injuries"] == 11
    assert strike["flags"]["accidental"] is True
    assert strike["flags"]["negated"] is False
    assert strike["flags"]["historical"] is False
    assert strike["attributed_to"], "Turkey's military and Moscow say it happened"
    assert len(strike["evidence"]) >= 3


def test_seed_reporters_are_never_sources(seed_records):
    for record in seed_records:
        for role in ("source", "target"):
            actor = record[role] or {}
            assert "Sputnik" not in actor.get("text", "")
            assert "Peskov" not in actor.get("text", "")
            assert actor.get("name") not in ("Daesh", "al-Bab")


def test_seed_phone_call_and_agreements(seed_records):
    calls = [r for r in seed_records if r["type"] == "CONSULT" and r["mode"] == "phone"]
    assert any(
        (c["source"] or {}).get("country") == "RUS" and (c["target"] or {}).get("country") == "TUR"
        for c in calls
    )
    assert any(r["type"] == "AGREE" for r in seed_records)
    assert any(r["type"] in ("SUPPORT", "CONCEDE") for r in seed_records), "condolences"


def test_seed_nothing_from_the_breadcrumb(seed_records):
    for record in seed_records:
        for span in record["evidence"]:
            assert "You are here" not in span["text"]


def test_seed_historical_downing_is_flagged(seed_records):
    historical = [r for r in seed_records if r["flags"]["historical"]]
    assert historical
    assert all(r["date"]["value"].startswith("2015") for r in historical)


def test_seed_published_next_day_resolves_same_thursday():
    strike = the_airstrike(run_extract(str(SEED), "--published", "2017-02-10"))[0]
    assert strike["date"]["value"] == "2017-02-09"


def test_seed_without_published_date_value_is_null():
    strike = the_airstrike(run_extract(str(SEED)))[0]
    assert strike["date"] is None or strike["date"]["value"] is None


def test_seed_html_page_gives_same_events(seed_records):
    from_page = run_extract(str(SEED_PAGE), "--published", "2017-02-09")

    def summary(records: list[dict]) -> list[str]:
        return sorted(
            repr(
                (
                    r["type"],
                    r["mode"],
                    (r["source"] or {}).get("code"),
                    (r["target"] or {}).get("code"),
                    r["fatalities"],
                    r["injuries"],
                )
            )
            for r in records
        )

    assert summary(from_page) == summary(seed_records)


def test_seed_ids_are_stable(seed_records):
    again = run_extract(str(SEED), "--published", "2017-02-09")
    assert [r["id"] for r in again] == [r["id"] for r in seed_records]


def test_seed_evidence_slices_the_cleaned_text(seed_records):
    from eventcoder.ingest.read import iter_documents

    document = next(iter(iter_documents([str(SEED)])))
    for record in seed_records:
        for span in record["evidence"]:
            assert document.text[span["start"] : span["end"]] == span["text"]


def test_seed_intended_targets_are_a_separate_strike(seed_records):
    on_islamic_state = [
        r
        for r in seed_records
        if r["type"] == "ASSAULT" and (r["target"] or {}).get("name") == "Islamic State"
    ]
    assert len(on_islamic_state) == 1
    assert on_islamic_state[0]["source"]["code"] == "RUSMIL"
    assert on_islamic_state[0]["fatalities"] is None


def test_seed_no_protest_and_no_riot(seed_records):
    assert not [r for r in seed_records if r["type"] == "PROTEST"]
    assert not [r for r in seed_records if (r["acled"] or {}).get("event_type") == "Riots"]
