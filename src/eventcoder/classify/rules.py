"""The rules' own type decision: the trigger lexicon's type and mode, read again by what the words
found (a crowd's arson is a riot, a crowd's demand a protest), and ontology/acled.csv for ACLED.

`--model rules` codes with these alone (the baseline the benchmarks print beside the learned
model); the learned model sees them as features (features.rule_features). Extraction decides no
type: it gives the trigger's reading and its findings (extract.mentions.findings_of).
"""

from __future__ import annotations

from dataclasses import replace

from eventcoder import ontology
from eventcoder.records import Acled, Actor, DocumentSignals, EventType, Mention

ARMED_SECTORS = frozenset({"MIL", "REB", "COP", "PRM", "UAF", "SPY", "IGO"})
NO_TRIGGER = "(none)"  # the kind of decide.report_candidates(): the rules found no trigger
RULES_REASON = "rules (trigger lexicon, ontology/acled.csv)"
RIOT_MODES = frozenset({None, "destroy", "primitive", "beat"})  # an assault a crowd's violence can be
RIOT = EventType("PROTEST", "riot", "145")
DEMONSTRATION = EventType("PROTEST", "demonstrate", "141")


def rules_kind(kind: EventType, findings: frozenset[str]) -> EventType:
    """Return the rules' type of a candidate: the trigger's reading, unless the findings make it
    a riot (violence by a crowd or by nobody named, a demonstration with riot words) or a
    protest (a crowd's demand: "workers filled the streets, demanding ...").
    """
    if kind.type == "PROTEST" and kind.mode == "demonstrate" and "riot words" in findings:
        return RIOT
    if kind.type == "REQUEST" and {"gerund", "crowd agent"} <= findings:
        return DEMONSTRATION
    crowd = findings & {"crowd agent", "unclaimed crude violence"}
    if kind.type == "ASSAULT" and kind.mode in RIOT_MODES and crowd:
        return RIOT  # violence in a protest is a riot
    return kind


def rules_reading(mention: Mention) -> Mention:
    """Return the mention with the rules' type (`rules_kind`): what the rules model and the
    learned model's rule features start from."""
    kind = rules_kind(mention.kind, mention.findings)
    return mention if kind == mention.kind else replace(mention, kind=kind)


def actor_class(actor: Actor | None) -> str:
    """Classify an actor for the ACLED mapping: armed, communal (clans, herders), civilian or unknown."""
    if actor is None or actor.sector is None:
        return "unknown"
    if actor.sector in ARMED_SECTORS:
        return "armed"
    words = set(actor.text.lower().split())
    return "communal" if words & ontology.word_set("communal_words") else "civilian"


def class_matches(wanted: str, actual: str) -> bool:
    """Say whether an acled.csv class column accepts an actor class."""
    if wanted == "*":
        return True
    if wanted == "crowd":
        return actual == "civilian"
    return wanted == actual


def rules_acled(mention: Mention) -> Acled | None:
    """Return the rules' ACLED type and sub-event type from PLOVER type, mode, CAMEO and actors."""
    source, target = actor_class(mention.source), actor_class(mention.target)
    cameo = mention.kind.cameo or ""
    for rule in ontology.acled_rules():
        if rule.type != mention.kind.type or rule.mode not in ("*", mention.kind.mode):
            continue
        if rule.cameo != "*" and rule.cameo != cameo:
            continue
        if class_matches(rule.source_class, source) and class_matches(rule.target_class, target):
            return rule.acled
    return None


def as_clash(mention: Mention) -> Mention:
    """Return a gunfire or unspecified assault recoded as a clash (CAMEO 193); others unchanged."""
    if mention.kind.type != "ASSAULT" or mention.kind.mode not in (None, "firearms"):
        return mention
    return replace(mention, kind=replace(mention.kind, cameo="193"))


def as_riot(mention: Mention) -> Mention:
    """Return a peaceful-protest mention recoded as a riot; other mentions unchanged."""
    if mention.kind.type != "PROTEST" or mention.kind.mode not in ("demonstrate", "obstruct", "strike"):
        return mention
    return replace(mention, kind=replace(mention.kind, mode="riot", cameo="145"))


class RulesClassifier:
    """Decide Event.type, Event.acled and Event.reason by the rules alone (`--model rules`)."""

    name = "rules"

    def decide(self, mention: Mention, signals: DocumentSignals) -> Mention | None:
        """Return the mention with the rules' type and ACLED type; the rules drop only non-triggers."""
        if mention.kind.type == NO_TRIGGER:
            return None  # a whole report without a trigger: for the rules, no event
        mention = rules_reading(mention)
        if signals.rioting:  # a protest that turned violent anywhere in the report is a riot (ACLED)
            mention = as_riot(mention)
        if signals.fighting_back:  # the attacked side fired back: a battle, not a one-sided attack
            mention = as_clash(mention)
        return replace(mention, acled=rules_acled(mention), reason=RULES_REASON)
