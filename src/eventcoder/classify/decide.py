"""The classify stage: each candidate event's type, mode, CAMEO code and ACLED type, or no event.

A learned model decides the PLOVER type and the ACLED type jointly (the most probable pair that
compatible.csv allows), then the mode within the type and the sub-event type within the ACLED
type. The rules' findings are among its features, and each type head mixes in the rules' own
label with a weight fit on validation data per label (`rule_trust`: how often the rules were
right when they said it); the rules' decision stands alone only where the model never saw a
label (a model trained on ACLED alone has no CONSULT class), where it is unsure (the back-off),
and where it calls no event a killing the words state as fact (`states_killing`).
"""

from __future__ import annotations

import csv
from dataclasses import replace
from functools import cache
from importlib import resources
from typing import Protocol

from eventcoder.classify.features import SparseRow, rule_features, vectorize
from eventcoder.classify.model import RULES, LearnedModel, default_folder, load_model, resolve_choice
from eventcoder.classify.rules import RulesClassifier, rules_acled, rules_reading
from eventcoder.evaluate.gold import acled_sub_types
from eventcoder.ontology import plover
from eventcoder.records import Acled, DocumentSignals, EventType, Flags, Mention, Span
from eventcoder.resolve.places import marked

NONE = "(none)"
NO_MODE = "-"
# a report no trigger fired in is an event when the model gives it at least this (calibrated p).
# Chosen on the cross-region split: 0.35 against 0.5 coded +0.4 / +0.8 points of ACLED type across
# regions and lost no non-event of tests/data/nonviolent.txt; 0.25 made two of them violent
REPORT_MIN_CONFIDENCE = 0.35
# a report no trigger fired in is no event when the PLOVER head gives "no event" at least this,
# whatever the ACLED head says: the PLOVER head learned non-events (sport, disasters, business);
# the ACLED head, trained mostly on notes that all tell an event, reads an earthquake's damage as a
# strategic development
REPORT_NO_EVENT = 0.5
# the rules' ACLED readings of events the back-off may hand to the rules: statements, agreements,
# aid (never political violence or demonstrations, which the model learned from human coding)
VERBAL_ACLED = frozenset({NONE, "Strategic developments"})
# the model's ACLED readings it keeps however unsure over the rules' reading of a conflict (a
# demand, an accusation, an arrest: "arrested when they tried to block the line", "farmers
# surrounded the office, demanding ..."), never over a cooperation ("a summit on the unrest")
MODEL_KEEPS = frozenset({"Protests", "Riots"})
BACKED_OFF = "the rules decided"  # how a reason says the back-off handed the decision to the rules
KILLING = "ASSAULT"  # the rules' type of a candidate whose own sentence states its dead


class Classifier(Protocol):
    """Anything that decides a mention's type: the learned model or the rules."""

    name: str

    def decide(self, mention: Mention, signals: DocumentSignals) -> Mention | None:
        """Return the mention with its type decided, or None when it tells no event."""


def data_rows(name: str) -> list[dict[str, str]]:
    """Read one CSV of classify/data/, skipping its # comment lines."""
    text = resources.files("eventcoder.classify").joinpath("data", name).read_text(encoding="utf-8")
    return list(csv.DictReader(line for line in text.splitlines() if line and not line.startswith("#")))


@cache
def compatible_pairs() -> tuple[tuple[str, str], ...]:
    """Return the (PLOVER type, ACLED event type) pairs one event may have."""
    return tuple((r["type"], r["event_type"]) for r in data_rows("compatible.csv"))


@cache
def cameo_codes() -> dict[tuple[str, str | None], str]:
    """Map (PLOVER type, mode or None) to the closest CAMEO code."""
    return {(r["type"], r["mode"] or None): r["cameo"] for r in data_rows("cameo.csv")}


def _with_rule(probabilities: dict[str, float], rule: str) -> dict[str, float]:
    """Return a head's probabilities, or the rules' label where the head cannot speak of it.

    A head that learned "(none)" knows its whole label space; one that did not (its gold only told
    events of some types, as an ACLED export does) leaves labels it never saw to the rules.
    """
    return probabilities if rule in probabilities or NONE in probabilities else {rule: 1.0}


def joint_type(plover: dict[str, float], acled: dict[str, float]) -> tuple[str, str, float]:
    """Decide the most probable compatible (PLOVER type, ACLED type) pair and its share of the mass."""
    scored = [(plover.get(t, 0.0) * acled.get(a, 0.0), t, a) for t, a in compatible_pairs()]
    total = sum(s for s, _, _ in scored)
    best, kind, event_type = max(scored)
    return kind, event_type, (best / total if total else 0.0)


def best_within(probabilities: dict[str, float], allowed: set[str]) -> str | None:
    """Return the most probable class among the allowed ones, or None if the head knows none of them."""
    known = [(p, c) for c, p in probabilities.items() if c in allowed]
    return max(known)[1] if known else None


def states_killing(mention: Mention) -> bool:
    """Say whether the rules read a killing told as fact: an assault with a death toll of its own,
    neither negated, hypothetical, accidental nor historical ("old man killed after fire from
    across the river")."""
    flags = mention.flags
    told = not (flags.negated or flags.hypothetical or flags.accidental or flags.historical)
    return told and mention.kind.type == KILLING and (mention.fatalities or 0) > 0


def may_hand_back(rule_type: str, rule_acled: str, model_acled: str) -> bool:
    """Say whether an unsure model may hand a mention to the rules, by the rules' PLOVER type and
    the two ACLED readings.

    The rules decide statements, agreements and aid (their ACLED reading "(none)" or strategic
    developments), except where the model read a demonstration (MODEL_KEEPS) and the rules a
    conflict (a demand, an arrest): protesters voice demands and get arrested, but a summit on
    the unrest is a meeting.
    """
    if rule_acled not in VERBAL_ACLED:
        return False  # violence the model learned from human coding
    return model_acled not in MODEL_KEEPS or rule_type not in conflict_types()


class LearnedClassifier:
    """Decide Event.type, Event.mode, Event.cameo, Event.acled, Event.confidence and Event.reason."""

    def __init__(self, model: LearnedModel) -> None:
        self.model = model
        self.name = model.label

    def decide(self, mention: Mention, signals: DocumentSignals) -> Mention | None:
        """Return the mention with the model's decisions, or None when the model says no event."""
        told, mention = mention, rules_reading(mention)  # the trigger's reading, the rules' type
        rules = rule_features(mention, signals)
        # a short report is read whole, as the model was trained; a long article sentence by sentence
        row = vectorize(signals.report or mention.sentence.text, rules, self.model.bits)
        heads = self.model.heads
        rule_acled = rules_acled(mention)
        rule_type = rule_acled.event_type if rule_acled else NONE
        plover = _with_rule(heads["plover"].probabilities(row, mention.kind.type), mention.kind.type)
        acled = _with_rule(heads["acled"].probabilities(row, rule_type), rule_type)
        if mention.kind.type == NONE and plover.get(NONE, 0.0) >= REPORT_NO_EVENT:
            return None  # no trigger fired and the head that learned non-events says none
        kind, event_type, confidence = joint_type(plover, acled)
        backoff = self.model.backoff
        handed = may_hand_back(mention.kind.type, rule_type, event_type)
        if confidence < backoff.below and mention.kind.type != NONE and handed:
            unsure = f"{kind}/{event_type} p={confidence:.2f} < {backoff.below}"
            return self._rules(told, signals, f"unsure ({unsure})")
        if kind == NONE and states_killing(mention):
            # a death told as fact is an event, whatever else the sentence reads like; the model
            # learned "no event" from sentences with no act in them, and the rules read this one
            return self._rules(told, signals, f"no event (p={confidence:.2f}) against a stated killing")
        if kind == NONE:
            return None
        mode = self._mode(row, mention, kind)
        cameo = (
            mention.kind.cameo
            if (kind, mode) == (mention.kind.type, mention.kind.mode)
            else cameo_codes().get((kind, mode)) or cameo_codes().get((kind, None))
        )
        decided_acled = None
        if event_type != NONE:
            allowed = {s for s, t in acled_sub_types().items() if t == event_type}
            sub = best_within(heads["sub"].probabilities(row), allowed)
            if sub is None and rule_acled is not None and rule_acled.event_type == event_type:
                sub = rule_acled.sub_event_type
            decided_acled = Acled(event_type, sub)
        return replace(
            mention,
            kind=EventType(kind, mode, cameo),
            acled=decided_acled,
            confidence=confidence,
            reason=f"{self.name}: {kind} p={plover.get(kind, 0):.2f}, "
            f"ACLED {event_type} p={acled.get(event_type, 0):.2f}",
        )

    def _rules(self, mention: Mention, signals: DocumentSignals, why: str) -> Mention | None:
        """Return the rules' decision, for a mention the model is less sure of than the back-off or
        calls no event against a stated killing (`why` says which, for the reason)."""
        decided = RulesClassifier().decide(mention, signals)
        if decided is None:
            return None
        return replace(
            decided,
            confidence=self.model.backoff.confidence,
            reason=f"{self.name}: {why}, {BACKED_OFF}",
        )

    def _mode(self, row: SparseRow, mention: Mention, kind: str) -> str | None:
        """Decide Event.mode within the decided type: the rules' weapon or trigger mode, else the head.

        A mode the rules read off the words ("airstrike", "rockets", "tear gas") is kept when the
        model agrees on the type: it is evidence in the text, where the mode head only guesses.
        """
        if kind == mention.kind.type and mention.kind.mode is not None:
            return mention.kind.mode
        rule = f"{kind} {NO_MODE}" if kind == mention.kind.type else None
        probabilities = self.model.heads["mode"].probabilities(row, rule)
        allowed = {c for c in probabilities if c.split(" ", 1)[0] == kind}
        best = best_within(probabilities, allowed)
        if best is None:
            return mention.kind.mode if mention.kind.type == kind else None
        mode = best.split(" ", 1)[1]
        return None if mode == NO_MODE else mode


def report_candidates(doc_id: str, text: str, signals: DocumentSignals) -> list[Mention]:
    """Return a short report in which the rules found no trigger as one candidate for the model.

    An ACLED-style note ("Supporters of X gathered in Y ...") often tells its event in words no
    trigger row lists; the model, trained on whole reports, decides whether it tells one.
    """
    if signals.report is None or not signals.report.strip():
        return []
    start = len(text) - len(text.lstrip())
    end = len(text.rstrip())
    whole = Span(start, end, text[start:end])
    candidate = Mention(
        doc_id,
        EventType(NONE, None, None),
        whole,
        whole,
        None,
        None,
        None,
        None,
        None,
        None,
        Flags(),
        (),
        0.0,
    )
    return [candidate]


def load_classifier(choice: str | None = None) -> Classifier:
    """Return the classifier asked for: a model directory, "default" (shipped) or "rules".

    Raises:
        ModelNotFound: the directory holds no model.
    """
    chosen = resolve_choice(choice)
    if chosen == RULES:
        return RulesClassifier()
    folder = str(default_folder()) if chosen == "default" else chosen
    return LearnedClassifier(load_model(folder))


@cache
def conflict_types() -> frozenset[str]:
    """Return the PLOVER types of the two conflict quads (demands and threats, force and protest)."""
    return frozenset(name for name, entry in plover().items() if str(entry["quad"]).endswith("conflict"))


@cache
def verbal_types() -> frozenset[str]:
    """Return the PLOVER types of the two verbal quads (statements, not acts on the ground)."""
    return frozenset(name for name, entry in plover().items() if str(entry["quad"]).startswith("verbal"))


def told_place(mention: Mention) -> Mention:
    """Decide Event.location once the type is known: a verbal event keeps only a place tied to it.

    "Putin called Erdogan, the Kremlin said, as fighting raged in Aleppo" is a call, not in
    Aleppo: a place the resolver found only somewhere in the sentence is dropped for a statement.
    """
    place = mention.location
    if place is not None and mention.kind.type in verbal_types() and marked(place, "sentence"):
        return replace(mention, location=None)
    return mention


def classify_mentions(
    mentions: list[Mention], signals: DocumentSignals, classifier: Classifier
) -> list[Mention]:
    """Decide Event.type, Event.mode, Event.cameo, Event.acled, Event.confidence, Event.reason.

    Mentions the classifier calls no event are dropped, and so are whole-report candidates (no
    trigger fired) the model gives less than REPORT_MIN_CONFIDENCE; casualty reports that only
    add a toll to the event before them keep their kind (they are never events of their own). A
    verbal event keeps its place only when the place is tied to it (`told_place`: Event.location).
    """
    decided = []
    for mention in mentions:
        if not mention.standalone:
            decided.append(mention)
            continue
        result = classifier.decide(mention, signals)
        unseen = mention.kind.type == NONE  # a report_candidates() candidate: no rule found it
        if result is not None and not (unseen and result.confidence < REPORT_MIN_CONFIDENCE):
            decided.append(told_place(result))
    return decided
