"""Numbers of killed and wounded are read from words and digits; vague amounts stay unknown."""

from __future__ import annotations

from typing import Any

import pytest

from eventcoder.extract.numbers import casualty_kind, count_of


def victims(nlp: Any, text: str) -> Any:
    """Return the head noun of what the sentence's main verb acts upon."""
    doc = nlp(text)
    root = next(t for t in doc if t.dep_ == "ROOT")
    return next(c for c in root.children if c.dep_ in ("dobj", "nsubjpass"))


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("Gunmen killed three soldiers.", 3),
        ("Gunmen killed 11 soldiers.", 11),
        ("The floods killed 1,200 people.", 1200),
        ("The bombing killed two hundred people.", 200),
        ("Militants killed twenty-one villagers.", 21),
        ("Militants killed 21 villagers.", 21),
        ("Eleven soldiers were wounded.", 11),
        ("The attack killed no one.", 0),
        ("The blast injured nobody.", 0),
        ("No soldiers were killed.", 0),
        ("A sniper killed a soldier.", 1),
        ("The airstrike killed dozens of civilians.", None),
        ("The airstrike killed dozens.", None),
        ("The shelling wounded hundreds of people.", None),
        ("Gunmen killed the soldiers.", None),
        ("Gunmen killed several soldiers.", None),
    ],
)
def test_numbers_count_of(nlp, text, count):
    assert count_of(victims(nlp, text)) == count


@pytest.mark.parametrize(
    ("text", "word", "kind"),
    [
        ("Gunmen killed three soldiers.", "killed", "killed"),
        ("Three soldiers died in the attack.", "died", "killed"),
        ("The blast wounded 11 people.", "wounded", "wounded"),
        ("Five people were injured.", "injured", "wounded"),
        ("Rebels attacked the base.", "attacked", None),
        ("A man was stabbed in the market.", "stabbed", "wounded"),
        ("A man was stabbed to death in the market.", "stabbed", "killed"),
        ("Soldiers fatally shot a protester.", "shot", "killed"),
    ],
)
def test_numbers_casualty_kind(nlp, text, word, kind):
    token = next(t for t in nlp(text) if t.text == word)
    assert casualty_kind(token) == kind
