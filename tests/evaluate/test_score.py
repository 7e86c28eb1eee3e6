"""Scorer: field comparisons over hand-built events (the scorer's own unit; no pipeline)."""

from __future__ import annotations

import re

import pytest

from eventcoder.evaluate.gold import GoldRecord
from eventcoder.evaluate.score import (
    disagreement,
    fatalities_correct,
    format_report,
    is_disagreement,
    primary_event,
    score_document,
    summarize,
)
from eventcoder.geo import distance_km
from eventcoder.records import Acled, Actor, Event, Flags, Place, When


def _event(
    plover="ASSAULT",
    acled=("Violence against civilians", "Attack"),
    cameo="180",
    source="KEN",
    target=None,
    lat=-1.28,
    lon=36.82,
    country="KEN",
    date=None,
    fatalities=None,
    negated=False,
    confidence=0.8,
):
    return Event(
        id="e",
        doc_id="d",
        type=plover,
        mode=None,
        cameo=cameo,
        acled=Acled(*acled) if acled else None,
        source=Actor("x", None, source, "COP", None) if source else None,
        target=Actor("y", None, target, "CVL", None) if target else None,
        location=Place("Nairobi", "Nairobi", lat, lon, country, None, None, "city")
        if lat is not None
        else None,
        date=When("x", date, "day") if date else None,
        fatalities=fatalities,
        injuries=None,
        flags=Flags(negated=negated),
        attributed_to=(),
        evidence=(),
        confidence=confidence,
    )


ACLED_GOLD = GoldRecord(
    id="g",
    text="On 3 February 2016 police shot two people in Nairobi.",
    acled_type="Violence against civilians",
    acled_sub_type="Attack",
    actor1_country="KEN",
    actor2_country="KEN",
    fatalities=2,
    lat=-1.2833,
    lon=36.8167,
    country="KEN",
    date="2016-02-03",
    date_precision="day",
)


def test_score_all_fields_right():
    event = _event(target="KEN", fatalities=2, date="2016-02-03")
    fields = score_document(ACLED_GOLD, [event]).fields
    scored = {k: v for k, v in fields.items() if v is not None}
    assert scored == {
        "acled_type": True,
        "acled_type_any": True,
        "acled_sub_type": True,
        "actor1_country": True,
        "actor2_country": True,
        "fatalities": True,
        "place_25km": True,
        "place_country": True,
        "date": True,
    }


def test_score_no_event_gets_every_field_wrong():
    fields = score_document(ACLED_GOLD, []).fields
    assert not any(v for v in fields.values() if v is not None)
    assert fields["acled_type"] is False


def test_score_primary_is_most_severe_but_any_event_matches():
    protest = _event(plover="PROTEST", acled=("Protests", "Peaceful protest"))
    battle = _event(acled=("Battles", "Armed clash"))
    gold = GoldRecord(id="g", text="t", acled_type="Protests")
    assert primary_event([protest, battle]) is battle
    fields = score_document(gold, [protest, battle]).fields
    assert fields["acled_type"] is False
    assert fields["acled_type_any"] is True


def test_score_ignores_negated_events():
    gold = GoldRecord(id="g", text="t", acled_type="Protests")
    result = score_document(gold, [_event(negated=True)])
    assert result.predicted_violent is False
    assert result.predicted_label == "(none)"


def test_score_place_outside_25_km_is_wrong():
    far = _event(lat=-0.09, lon=34.77)  # Kisumu, ~265 km from Nairobi
    assert score_document(ACLED_GOLD, [far]).fields["place_25km"] is False
    assert distance_km(-1.2833, 36.8167, -0.09, 34.77) == pytest.approx(265, abs=10)


@pytest.mark.parametrize(
    ("gold", "predicted", "correct"),
    [(0, None, True), (0, 0, True), (2, None, False), (2, 2, True), (2, 3, False)],
)
def test_score_fatalities_null_is_zero_only_for_gold_zero(gold, predicted, correct):
    assert fatalities_correct(gold, predicted) is correct


def test_score_fatalities_fall_back_to_another_event():
    numbered = _event(plover="ASSAULT", acled=("Battles", "Armed clash"), fatalities=2)
    fields = score_document(ACLED_GOLD, [_event(fatalities=None), numbered]).fields
    assert fields["fatalities"] is True


def test_score_date_only_where_the_text_states_the_year():
    gold = GoldRecord(
        id="g",
        text="Police shot two people on Thursday.",
        acled_type="Riots",
        date="2016-02-03",
        date_precision="day",
    )
    assert score_document(gold, [_event()]).fields["date"] is None


def test_score_cameo_gold_no_event_means_statement():
    statement = GoldRecord(id="g", text="t", cameo_roots=("01",), penta=0)
    fields = score_document(statement, []).fields
    assert (fields["plover_type"], fields["cameo_root"], fields["penta"]) == (True, True, True)
    wrong = score_document(statement, [_event(plover="ACCUSE", acled=None, cameo="112")]).fields
    assert (wrong["plover_type"], wrong["cameo_root"], wrong["penta"]) == (False, False, False)


def test_score_cameo_any_gold_coding_matches():
    gold = GoldRecord(id="g", text="t", cameo_roots=("03", "04"), plover_types=("AGREE", "CONSULT"))
    fields = score_document(gold, [_event(plover="CONSULT", acled=None, cameo="042")]).fields
    assert fields["cameo_root"] is True
    assert fields["plover_type"] is True


def test_score_penta_from_plover_type_without_cameo():
    gold = GoldRecord(id="g", text="t", penta=3)
    fields = score_document(gold, [_event(plover="ACCUSE", acled=None, cameo=None)]).fields
    assert fields["penta"] is True


def test_score_report_counts_violent_precision_and_recall():
    protest = GoldRecord(id="p", text="t", acled_type="Protests")
    scores = [
        score_document(ACLED_GOLD, [_event()]),  # tp
        score_document(ACLED_GOLD, []),  # fn
        score_document(protest, [_event()]),  # fp
        score_document(protest, []),  # tn
    ]
    report = summarize(scores)
    assert dict(report.violent) == {"tp": 1, "fn": 1, "fp": 1, "tn": 1}
    assert report.violent_precision() == 0.5
    assert report.violent_recall() == 0.5
    assert report.confusion[("Violence against civilians", "(none)")] == 1
    assert report.confusion[("Protests", "Violence against civilians")] == 1
    text = format_report(report, "test")
    assert re.search(r"^ACLED event type \(primary event\) +25\.0% +1 +4$", text, re.M)
    assert "Protests -> Violence against civilians: 1" in text


def test_score_disagreement_names_wrong_fields():
    result = score_document(ACLED_GOLD, [])
    assert is_disagreement(result)
    row = disagreement(ACLED_GOLD, [], result)
    assert "acled_type" in row["wrong"]
    assert row["text"] == ACLED_GOLD.text
    assert row["predicted"] == []


def test_score_place_and_actor_fall_back_to_another_event():
    protest = _event(plover="PROTEST", acled=("Protests", "Peaceful protest"), source=None)
    shooting = _event(source="KEN", lat=None)
    gold = GoldRecord(id="g", text="t", acled_type="Riots", actor1_country="KEN", lat=-1.2833, lon=36.8167)
    fields = score_document(gold, [protest, shooting]).fields
    assert (fields["actor1_country"], fields["place_25km"]) == (True, True)


def test_score_gold_without_coding_makes_no_confusion_entry():
    report = summarize([score_document(GoldRecord(id="g", text="t"), [_event()])])
    assert not report.confusion
