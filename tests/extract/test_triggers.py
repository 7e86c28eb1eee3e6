"""Trigger lexicon rows fire on the words and contexts they describe, and only there."""

from __future__ import annotations

from typing import Any

import pytest

from eventcoder.extract.triggers import Trigger, find_triggers


def triggers_in(nlp: Any, text: str) -> list[Trigger]:
    """Parse one sentence and return its triggers."""
    return find_triggers(nlp(text)[:])


def on_word(triggers: list[Trigger], word: str) -> list[tuple[str, str | None]]:
    """Return (type, mode) of every trigger written as word."""
    return [(t.row.type, t.row.mode) for t in triggers if t.token.text == word]


@pytest.mark.parametrize(
    ("text", "word", "kind"),
    [
        ("A Russian airstrike killed 34 soldiers.", "airstrike", ("ASSAULT", "aerial")),
        ("Russian jets carried out an aerial strike on the town.", "strike", ("ASSAULT", "aerial")),
        ("An air strike hit the hospital.", "strike", ("ASSAULT", "aerial")),
        ("Workers went on strike over pay.", "strike", ("PROTEST", "strike")),
        ("Teachers staged a nationwide strike.", "strike", ("PROTEST", "strike")),
        ("Thousands of workers joined a general strike on Monday.", "strike", ("PROTEST", "strike")),
        ("Syrian forces shot down a Turkish drone.", "shot", ("ASSAULT", "aerial")),
        ("Gunmen shot three villagers.", "shot", ("ASSAULT", "firearms")),
        ("Gunmen killed five villagers.", "killed", ("ASSAULT", None)),
        ("A bomb exploded at the market, killing two people.", "exploded", ("ASSAULT", "explosives")),
        ("The army shelled rebel positions near Idlib.", "shelled", ("ASSAULT", "heavy-weapons")),
        ("Police dispersed the protesters with tear gas.", "dispersed", ("ASSAULT", "crowd-control")),
        ("Protesters rioted in the capital.", "rioted", ("PROTEST", "riot")),
        ("Police arrested 20 protesters in Ankara.", "arrested", ("COERCE", "arrest")),
        ("Putin held talks with Erdogan.", "talks", ("CONSULT", None)),
        (
            "The Turkish military coordinated with Russian troops against the militants.",
            "coordinated",
            ("COOPERATE", "military"),
        ),
        pytest.param(
            "The airstrike killed dozens of civilians.",
            "killed",
            ("ASSAULT", None),
        ),
    ],
)
def test_triggers_row_fires(nlp, text, word, kind):
    assert kind in on_word(triggers_in(nlp, text), word)


@pytest.mark.parametrize(
    ("text", "word", "not_type"),
    [
        ("Workers went on strike over pay.", "strike", "ASSAULT"),
        ("Shares were shot down after the announcement.", "shot", "ASSAULT"),
        ("The bill was killed in the Senate.", "killed", "ASSAULT"),
        ("The film was a bomb at the box office.", "bomb", "ASSAULT"),
        ("The lawmakers attacked the proposal.", "attacked", "ASSAULT"),
        ("The company fired 200 workers.", "fired", "ASSAULT"),
        ("Russia cited non-coordination with the Turkish military.", "coordination", "COOPERATE"),
        ("The lack of non-coordination between the armies was blamed.", "coordination", "COOPERATE"),
    ],
)
def test_triggers_row_stays_silent(nlp, text, word, not_type):
    assert not_type not in [kind for kind, _ in on_word(triggers_in(nlp, text), word)]


def test_triggers_positive_of_negated_prefix_fires(nlp):
    # the same word without "non-" must still fire, or the silent case above proves nothing
    assert ("COOPERATE", "military") in on_word(
        triggers_in(nlp, "Russia praised the coordination with the Turkish military."), "coordination"
    )


def test_triggers_bill_killed_vs_people_killed(nlp):
    assert on_word(triggers_in(nlp, "The bill was killed in the Senate."), "killed") == []
    assert on_word(triggers_in(nlp, "The soldiers were killed in the Senate."), "killed") == [
        ("ASSAULT", None)
    ]
