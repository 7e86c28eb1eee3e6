"""Actor phrases resolve to country, sector and code; names and aliases keep one identity."""

from __future__ import annotations

from typing import Any

import pytest

from eventcoder.records import Actor
from eventcoder.resolve.actors import UNKNOWN_PEOPLE, ActorMemory, capitals, counterpart, resolve_actor


def memory() -> ActorMemory:
    """Return a fresh document memory that knows the world's capitals."""
    return ActorMemory(capitals=capitals())


def subject(nlp: Any, text: str) -> Any:
    """Return the subject head of the sentence's main verb."""
    doc = nlp(text)
    root = next(t for t in doc if t.dep_ == "ROOT")
    return next(c for c in root.children if c.dep_ in ("nsubj", "nsubjpass"))


def identity(actor: Actor | None) -> tuple[str | None, str | None, str | None] | None:
    """Return (country, sector, code) of an actor."""
    return (actor.country, actor.sector, actor.code) if actor is not None else None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Russian President Vladimir Putin met Erdogan.", ("RUS", "GOV", "RUSGOV")),
        ("Turkish troops attacked the village.", ("TUR", "MIL", "TURMIL")),
        ("The Syrian army shelled the town.", ("SYR", "MIL", "SYRMIL")),
        ("Iraqi police arrested the suspects.", ("IRQ", "COP", "IRQCOP")),
        ("Police arrested the suspects.", (None, "COP", "COP")),
        ("Ankara condemned the attack.", ("TUR", "GOV", "TURGOV")),
        ("Moscow confirmed the strike.", ("RUS", "GOV", "RUSGOV")),
    ],
)
def test_actors_identity(nlp, text, expected):
    assert identity(resolve_actor(subject(nlp, text), memory())) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # heads of state named without their country (resolve/data/leaders.csv)
        ("President Bush met the generals in Yangon.", ("USA", "GOV", "USAGOV")),
        ("Erdogan spoke to reporters in Berlin.", ("TUR", "GOV", "TURGOV")),
        # a country named in the phrase wins over the table
        ("Former Turkish President Obama spoke.", ("TUR", "GOV", "TURGOV")),
        # another person of the same surname is not the leader
        ("Laura Bush visited the school.", None),
    ],
)
def test_actors_leaders_take_their_state(nlp, text, expected):
    actor = resolve_actor(subject(nlp, text), memory())
    assert (identity(actor) if actor is not None and actor.country else None) == expected


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("TransNamib employees protested for equal treatment.", "TransNamib employees"),
        ("Okada riders blocked the road.", "Okada riders"),
    ],
)
def test_actors_people_of_no_known_identity_are_actors(nlp, text, words):
    actor = resolve_actor(subject(nlp, text), memory())
    assert actor is not None
    assert (actor.text, actor.country, actor.sector, actor.code) == (words, None, None, None)
    assert actor.reason == UNKNOWN_PEOPLE


def test_actors_an_organisation_the_ontology_does_not_list_is_an_actor(nlp):
    actor = resolve_actor(subject(nlp, "TransNamib announced a strike on Monday."), memory())
    assert actor is not None
    assert (actor.text, actor.name, actor.country, actor.sector) == ("TransNamib", "TransNamib", None, None)


def test_actors_things_are_not_actors(nlp):
    assert resolve_actor(subject(nlp, "The new tax was opposed by traders."), memory()) is None
    # a sector word that only qualifies what is done does not make an actor
    assert resolve_actor(subject(nlp, "Military coordination was expanded in Syria."), memory()) is None


def test_actors_capital_needs_the_capitals_table(nlp):
    # "Moscow" is Russia speaking only because it is Russia's capital
    assert identity(resolve_actor(subject(nlp, "Moscow confirmed the strike."), ActorMemory())) is None


def test_actors_surname_keeps_title_identity(nlp):
    seen = memory()
    first = resolve_actor(subject(nlp, "Russian President Vladimir Putin met Erdogan."), seen)
    assert first is not None
    assert first.name == "Vladimir Putin"
    seen.remember(first)
    later = resolve_actor(subject(nlp, "Putin met the Iranian foreign minister."), seen)
    assert later is not None
    assert (later.text, later.name, identity(later)) == ("Putin", "Vladimir Putin", ("RUS", "GOV", "RUSGOV"))


@pytest.mark.parametrize(
    "text",
    [
        "Islamic State militants attacked the army base.",
        "The Islamic State attacked the army base.",
        "Daesh attacked the army base.",
        "ISIS attacked the army base.",
        "ISIL fighters attacked the army base.",
    ],
)
def test_actors_named_group_aliases(nlp, text):
    actor = resolve_actor(subject(nlp, text), memory())
    assert actor is not None
    assert (actor.name, actor.sector, actor.code) == ("Islamic State", "REB", "IMGREB")


def test_actors_counterpart_takes_partner_sector(nlp):
    doc = nlp("Russian President Vladimir Putin met his Turkish counterpart.")
    seen = memory()
    source = resolve_actor(next(t for t in doc if t.text == "Putin"), seen)
    target = resolve_actor(next(t for t in doc if t.text == "counterpart"), seen)
    assert target is not None
    assert identity(counterpart(target, source)) == ("TUR", "GOV", "TURGOV")


def test_actors_counterpart_leaves_other_actors_alone():
    partner = Actor("Russian President Vladimir Putin", "Vladimir Putin", "RUS", "GOV", "RUSGOV")
    troops = Actor("Turkish troops", "troops", "TUR", "MIL", "TURMIL")
    unknown = Actor("his Turkish counterpart", "counterpart", "TUR", None, "TUR")
    assert counterpart(troops, partner) == troops
    assert counterpart(unknown, None) == unknown
