"""What each gold scheme teaches each head: labels carried across ACLED, PLOVER and CAMEO."""

from __future__ import annotations

import pytest

from eventcoder.classify.train import labels_of, plover_to_acled, rule_label, telling_rules
from eventcoder.evaluate.gold import GoldRecord


@pytest.mark.parametrize(
    ("gold", "modes_coded", "expected"),
    [
        (  # a pre-2019 ACLED battle over territory: sub-type known, PLOVER from acled_plover.csv
            GoldRecord("1", "t", acled_type="Battles", acled_sub_type="Government regains territory"),
            False,
            {"plover": "ASSAULT", "mode": None, "acled": "Battles", "sub": "Government regains territory"},
        ),
        (  # an old Riots/Protests row without sub-type
            GoldRecord("2", "t", acled_type="Protests"),
            False,
            {"plover": "PROTEST", "mode": None, "acled": "Protests", "sub": None},
        ),
        (  # an NGEC story: PLOVER type and mode; ACLED would code an airstrike
            GoldRecord("3", "t", plover_types=("ASSAULT",), plover_mode="aerial"),
            True,
            {
                "plover": "ASSAULT",
                "mode": "ASSAULT aerial",
                "acled": "Explosions/Remote violence",
                "sub": "Air/drone strike",
            },
        ),
        (  # a verbal event ACLED does not code; the source codes modes, so none means none
            GoldRecord("4", "t", plover_types=("CONSULT",)),
            True,
            {"plover": "CONSULT", "mode": "CONSULT -", "acled": "(none)", "sub": None},
        ),
        (  # a CAMEO statement: no event in either scheme
            GoldRecord("5", "t", cameo_roots=("01",)),
            False,
            {"plover": "(none)", "mode": None, "acled": "(none)", "sub": None},
        ),
        (  # an assault whose ACLED type depends on details PLOVER does not carry
            GoldRecord("6", "t", plover_types=("ASSAULT",)),
            False,
            {"plover": "ASSAULT", "mode": None, "acled": None, "sub": None},
        ),
    ],
)
def test_labels_of_each_scheme(gold, modes_coded, expected):
    assert labels_of(gold, modes_coded) == expected


def test_labels_plover_to_acled_prefers_the_mode_row():
    assert plover_to_acled("PROTEST", "riot") == ("Riots", "Violent demonstration")
    assert plover_to_acled("PROTEST", "strike") == ("Protests", "Peaceful protest")
    assert plover_to_acled("ASSAULT", "firearms") == (None, None)


def test_labels_training_sees_the_candidate_that_tells_the_gold_event():
    consult = ("r type CONSULT", "r acled None", "r trigger talks")
    strike = ("r type ASSAULT", "r acled Explosions/Remote violence", "r trigger strike")
    labels = {"plover": "ASSAULT", "mode": None, "acled": "Explosions/Remote violence", "sub": None}
    assert telling_rules((consult, strike), labels) == strike
    none = {"plover": "(none)", "mode": None, "acled": "(none)", "sub": None}
    assert set(telling_rules((consult, strike), none)) == set(consult) | set(strike)
    assert telling_rules((), labels) == ("r no candidate",)


def test_labels_rules_label_is_the_most_severe_candidate():
    assert rule_label(("r type CONSULT", "r type ASSAULT"), "plover") == "ASSAULT"
    assert rule_label(("r mode CONSULT None",), "mode") == "CONSULT -"
    assert rule_label(("r no candidate",), "acled") == "(none)"
