"""The agent and patient of a trigger come from the dependency tree: active, passive, nominal."""

from __future__ import annotations

from typing import Any

import pytest

from eventcoder.extract.roles import conjoined, find_roles
from eventcoder.extract.triggers import find_triggers


def roles_of(nlp: Any, text: str, word: str) -> tuple[str | None, str | None]:
    """Return the head words of the agent and patient of the trigger written as word."""
    doc = nlp(text)
    trigger = next(t for t in find_triggers(doc[:]) if t.token.text == word)
    agent, patient = find_roles(trigger.token, trigger.row.type)
    return (agent.text if agent is not None else None, patient.text if patient is not None else None)


@pytest.mark.parametrize(
    ("text", "word", "roles"),
    [
        ("Rebels attacked the army base.", "attacked", ("Rebels", "base")),
        ("The army base was attacked by rebels.", "attacked", ("rebels", "base")),
        ("Turkish soldiers were killed by Syrian government forces.", "killed", ("forces", "soldiers")),
        ("The governor said the army base was attacked.", "attacked", (None, "base")),
        ("A Russian airstrike on the town killed 12 civilians.", "airstrike", ("Russian", "town")),
        ("Putin held talks with Erdogan.", "talks", ("Putin", "Erdogan")),
        ("The gunmen killed three soldiers and wounded 11 others.", "wounded", ("gunmen", "others")),
        ("Rebels stormed the base and killed three soldiers.", "killed", ("Rebels", "soldiers")),
        ("Erdogan met with Putin in Moscow.", "met", ("Erdogan", "Putin")),
        ("Police dispersed the protesters with tear gas.", "dispersed", ("Police", "protesters")),
        ("Moscow confirmed the airstrike on the convoy.", "airstrike", (None, None)),
        pytest.param(
            "Turkish troops clashed with Kurdish fighters.",
            "clashed",
            ("troops", "fighters"),
        ),
        pytest.param(
            "Three soldiers died in the attack.",
            "attack",
            (None, None),
        ),
        pytest.param(
            "Thirty people were killed by the bombing.",
            "bombing",
            (None, None),
        ),
        # weapons are never the patient: what they were fired against is
        ("Militants fired six projectiles against the base.", "fired", ("Militants", "base")),
        ("Militants fired mortar shells.", "fired", ("Militants", None)),
        # who condemns or investigates an attack did not carry it out
        ("The minister denounced the bombing of the market.", "bombing", (None, "market")),
        ("Police are investigating the bombing in Kano.", "bombing", (None, None)),
        # a modifier says the patient is a person: "police conscript"
        ("One police conscript was shot dead by unknown assailants.", "shot", ("assailants", "conscript")),
    ],
)
def test_roles_agent_and_patient(nlp, text, word, roles):
    assert roles_of(nlp, text, word) == roles


def test_roles_died_subject_is_the_patient(nlp):
    assert roles_of(nlp, "Three soldiers died in the attack.", "died") == (None, "soldiers")


def test_roles_conjoined_actor(nlp):
    doc = nlp("Russia and Turkey agreed on a ceasefire.")
    partner = conjoined(doc[0])
    assert partner is not None
    assert (partner.text, conjoined(doc[2])) == ("Turkey", None)
