"""The rules' own type decisions: the ACLED mapping, riots and protests read off the findings,
riots and clashes told across a report."""

from __future__ import annotations

from dataclasses import replace

import pytest

from eventcoder.classify.features import rule_features
from eventcoder.classify.rules import RulesClassifier, rules_acled, rules_kind, rules_reading
from eventcoder.records import Acled, Actor, DocumentSignals, EventType, Flags, Mention, Span


def actor(country: str | None, sector: str | None) -> Actor:
    """Return an actor of a country and sector."""
    return Actor(f"{country} {sector}", None, country, sector, (country or "") + (sector or "") or None)


def mention(kind: EventType, source: Actor | None = None, target: Actor | None = None) -> Mention:
    """Return a mention of one kind between two actors."""
    told = Span(0, 20, "Something happened.")
    return Mention("doc", kind, told, told, source, target, None, None, None, None, Flags(), (), 0.5)


CIVILIANS = actor(None, "CVL")
SOLDIERS = actor("TUR", "MIL")


@pytest.mark.parametrize(
    ("kind", "target", "expected"),
    [
        (("ASSAULT", "aerial"), SOLDIERS, ("Explosions/Remote violence", "Air/drone strike")),
        (("ASSAULT", "aerial"), CIVILIANS, ("Explosions/Remote violence", "Air/drone strike")),
        (("ASSAULT", "drone"), None, ("Explosions/Remote violence", "Air/drone strike")),
        (
            ("ASSAULT", "heavy-weapons"),
            SOLDIERS,
            ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
        ),
        (("ASSAULT", "firearms"), SOLDIERS, ("Battles", "Armed clash")),
        (("ASSAULT", "firearms"), CIVILIANS, ("Violence against civilians", "Attack")),
        (("ASSAULT", None), CIVILIANS, ("Violence against civilians", "Attack")),
        (("ASSAULT", "abduct"), CIVILIANS, ("Violence against civilians", "Abduction/forced disappearance")),
        (("PROTEST", "riot"), None, ("Riots", "Violent demonstration")),
        (("PROTEST", "demonstrate"), None, ("Protests", "Peaceful protest")),
        (("COERCE", "arrest"), CIVILIANS, ("Strategic developments", "Arrests")),
    ],
)
def test_rules_acled_type(kind, target, expected):
    type_, mode = kind
    decided = rules_acled(mention(EventType(type_, mode, None), target=target))
    assert decided == Acled(*expected)


@pytest.mark.parametrize("type_", ["CONSULT", "ACCUSE", "SUPPORT"])
def test_rules_acled_type_none_without_counterpart(type_):
    assert rules_acled(mention(EventType(type_, None, None))) is None


def test_rules_protest_becomes_riot_when_the_report_tells_violence():
    protest = mention(EventType("PROTEST", "demonstrate", "141"))
    decided = RulesClassifier().decide(protest, DocumentSignals(rioting=True))
    assert decided is not None
    assert (decided.kind.mode, decided.acled) == ("riot", Acled("Riots", "Violent demonstration"))


def test_rules_attack_becomes_clash_when_the_other_side_fired_back():
    attack = mention(EventType("ASSAULT", "firearms", "190"), target=actor("NGA", "MIL"))
    quiet = RulesClassifier().decide(attack, DocumentSignals())
    fought = RulesClassifier().decide(attack, DocumentSignals(fighting_back=True))
    assert quiet is not None
    assert fought is not None
    assert (quiet.kind.cameo, fought.kind.cameo) == ("190", "193")
    assert fought.reason.startswith("rules")


@pytest.mark.parametrize(
    ("kind", "findings", "expected"),
    [
        # a crowd's or nobody's crude violence is a riot
        (EventType("ASSAULT", "destroy", "180"), {"crowd agent"}, ("PROTEST", "riot", "145")),
        (EventType("ASSAULT", "primitive", "180"), {"unclaimed crude violence"}, ("PROTEST", "riot", "145")),
        (EventType("ASSAULT", "beat", "180"), {"crowd agent"}, ("PROTEST", "riot", "145")),
        # gunfire, an air strike or an armed agent's arson stay assaults
        (EventType("ASSAULT", "firearms", "190"), {"crowd agent"}, ("ASSAULT", "firearms", "190")),
        (EventType("ASSAULT", "aerial", "195"), {"unclaimed crude violence"}, ("ASSAULT", "aerial", "195")),
        (EventType("ASSAULT", "destroy", "180"), {"riot words"}, ("ASSAULT", "destroy", "180")),
        # a crowd's demand told by a gerund is their protest; a spokesman's demand is a demand
        (EventType("REQUEST", None, "10"), {"gerund", "crowd agent"}, ("PROTEST", "demonstrate", "141")),
        (EventType("REQUEST", None, "10"), {"crowd agent"}, ("REQUEST", None, "10")),
        (EventType("REQUEST", None, "10"), {"gerund"}, ("REQUEST", None, "10")),
        # a demonstration with riot words is a riot; a strike stays a strike
        (EventType("PROTEST", "demonstrate", "141"), {"riot words"}, ("PROTEST", "riot", "145")),
        (EventType("PROTEST", "strike", "143"), {"riot words"}, ("PROTEST", "strike", "143")),
        (EventType("PROTEST", "demonstrate", "141"), set(), ("PROTEST", "demonstrate", "141")),
    ],
)
def test_rules_kind_reads_the_findings(kind, findings, expected):
    read = rules_kind(kind, frozenset(findings))
    assert (read.type, read.mode, read.cameo) == expected


def test_rules_classifier_codes_a_crowds_arson_as_a_riot():
    arson = replace(mention(EventType("ASSAULT", "destroy", "180")), findings=frozenset({"crowd agent"}))
    decided = RulesClassifier().decide(arson, DocumentSignals())
    assert decided is not None
    assert (decided.kind.type, decided.kind.mode) == ("PROTEST", "riot")
    assert decided.acled == Acled("Riots", "Violent demonstration")


def test_rule_features_carry_the_rules_type_and_the_findings():
    arson = replace(mention(EventType("ASSAULT", "destroy", "180")), findings=frozenset({"crowd agent"}))
    arson = replace(arson, trigger=Span(0, 6, "burned"))
    features = rule_features(rules_reading(arson), DocumentSignals())
    assert "r type PROTEST" in features
    assert "r mode PROTEST riot" in features
    assert "r finding crowd agent" in features
    assert "r acled Riots" in features
