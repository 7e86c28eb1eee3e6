"""Negation, hypotheticals and accidents are read from the words around the trigger."""

from __future__ import annotations

from typing import Any

import pytest

from eventcoder.extract.modality import is_accidental, is_hypothetical, is_negated
from eventcoder.extract.triggers import find_triggers


def flags_of(nlp: Any, text: str, word: str) -> tuple[bool, bool, bool]:
    """Return (negated, hypothetical, accidental) of the trigger written as word."""
    doc = nlp(text)
    trigger = next(t for t in find_triggers(doc[:]) if t.token.text == word)
    return (
        is_negated(trigger.token),
        is_hypothetical(trigger.token, trigger.row.type),
        is_accidental(trigger.token),
    )


PLAIN = (False, False, False)
NEGATED = (True, False, False)
HYPOTHETICAL = (False, True, False)
ACCIDENTAL = (False, False, True)


@pytest.mark.parametrize(
    ("text", "word", "flags"),
    [
        ("Rebels attacked the army base on Monday.", "attacked", PLAIN),
        ("Rebels attacked the army base, the army said.", "attacked", PLAIN),
        ("Russian troops did not attack the convoy.", "attack", NEGATED),
        ("The army never attacked the village.", "attacked", NEGATED),
        ("There was no attack on the army base.", "attack", NEGATED),
        ("Russia denied carrying out the airstrike on the convoy.", "airstrike", NEGATED),
        ("The rebels denied killing the soldiers.", "killing", NEGATED),
        ("The army denied that its jets struck the hospital.", "struck", NEGATED),
        ("The army said it did not know who attacked the base.", "attacked", PLAIN),
        ("Hezbollah threatened to attack Israeli troops.", "attack", HYPOTHETICAL),
        ("Hezbollah threatened to attack Israeli troops.", "threatened", PLAIN),
        ("Russian jets will strike the rebel positions tomorrow.", "strike", HYPOTHETICAL),
        ("The rebels may attack the army base.", "attack", HYPOTHETICAL),
        ("The militants plan to attack the army base.", "attack", HYPOTHETICAL),
        ("If the army attacks the town, the rebels will retaliate.", "attacks", HYPOTHETICAL),
        ("The army will attack unless the rebels surrender.", "attack", HYPOTHETICAL),
        ("Troops mistakenly shot two civilians.", "shot", ACCIDENTAL),
        ("The jet accidentally bombed a village, killing two civilians.", "bombed", ACCIDENTAL),
        ("The soldiers were killed in friendly fire.", "killed", ACCIDENTAL),
        ("An unintentional strike by Russian jets killed soldiers.", "strike", ACCIDENTAL),
        pytest.param(
            "The soldiers were killed by mistake in a Russian airstrike.",
            "killed",
            ACCIDENTAL,
        ),
    ],
)
def test_modality_flags(nlp, text, word, flags):
    assert flags_of(nlp, text, word) == flags
