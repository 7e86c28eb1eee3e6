"""Turn one parsed sentence into raw mentions: trigger, roles, numbers, modality, attribution.

Nothing is resolved here: a RawMention holds the words (spaCy tokens and spans) that resolve/
turns into actors, a place and a date (resolve/mentions.py), the trigger's reading (type, mode,
CAMEO) and the findings classify/ decides the event's type from.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cache

from spacy.tokens import Doc, Span, Token

from eventcoder import ontology
from eventcoder.extract.attribution import find_attribution
from eventcoder.extract.modality import is_accidental, is_hypothetical, is_negated
from eventcoder.extract.numbers import casualty_kind, count_of, stated_casualties
from eventcoder.extract.phrases import group_of, phrase_span
from eventcoder.extract.roles import SYMMETRIC_TYPES, claimant, conjoined, find_roles, is_victim
from eventcoder.extract.triggers import Trigger, find_triggers, sentence_has, token_pos
from eventcoder.records import EventType, Flags

# an event embedded under these is what is agreed, asked or threatened, not a separate event
EMBEDDING_TYPES = frozenset({"AGREE", "REQUEST", "THREATEN", "REJECT"})
ACCIDENT_TYPES = frozenset({"ASSAULT", "COERCE"})
MILITARY_MODES = frozenset({"aerial", "drone", "heavy-weapons"})
OVERRIDABLE_MODES = frozenset({None, "destroy", "firearms", "explosives"})
KEEP_MODES = frozenset({"abduct", "sexual", "torture", "suicide-attack", "crowd-control"})


@dataclass(frozen=True)
class RawMention:
    """One candidate event as the words tell it: what resolve/ and classify/ take, nothing resolved.

    `agent`, `patient` and `partner` are the head words of the roles (partner: the other side of a
    symmetric event, "X and Y met"); `source_sector` the sector an agent without one takes (MIL for
    a military weapon). `flags.historical` is left to resolve/, which knows the date. A nominal
    trigger its verb tells again ("an airstrike killed") is `absorbed`: resolve/ reads the actors
    it names, then drops it. A bare toll ("Five dead") has no `trigger` and is no event of its own.
    `findings` are what the words say about the type (`findings_of`), for classify/ to weigh.
    """

    kind: EventType
    trigger: Token | None
    sentence: Span
    clause: Span
    agent: Token | None = None
    patient: Token | None = None
    partner: Token | None = None
    source_sector: str | None = None
    speakers: tuple[Span, ...] = ()
    fatalities: int | None = None
    injuries: int | None = None
    flags: Flags = field(default_factory=Flags)
    casualty_report: bool = False
    absorbed: bool = False
    findings: frozenset[str] = frozenset()

    @property
    def standalone(self) -> bool:
        """Say whether the mention may be an event of its own (a bare toll never is)."""
        return self.trigger is not None


def is_self_harm(trigger: Token) -> bool:
    """Say whether a trigger only tells a suicide ('a farmer killed himself'): no event between actors."""
    if casualty_kind(trigger) != "killed":
        return False
    reflexive = [
        c for c in trigger.children if c.dep_ == "dobj" and c.lower_ in ("himself", "herself", "themselves")
    ]
    others = [c for c in trigger.children if c.dep_ == "conj" and c.pos_ in ("NOUN", "PROPN", "NUM")]
    return bool(reflexive) and not others and not any(c.dep_ == "conj" for c in reflexive[0].children)


def is_embedded(trigger: Token, triggers: list[Trigger]) -> bool:
    """Say whether a trigger sits inside what another trigger agrees to, asks or threatens."""
    embedding = {t.token.i for t in triggers if t.row.type in EMBEDDING_TYPES}
    return any(a.i in embedding for a in trigger.ancestors if a.i != trigger.i) and not any(
        t.token.i == trigger.i and t.row.type in EMBEDDING_TYPES for t in triggers
    )


def weapon_mode(tokens: list[Token]) -> str | None:
    """Decide Event.mode from weapon words near the trigger: 'bombers' aerial, 'rockets' heavy-weapons."""
    table = ontology.weapons()
    for i, token in enumerate(tokens):
        pair = f"{token.lower_} {tokens[i + 1].lower_}" if i + 1 < len(tokens) else ""
        for form in (pair, token.lower_, token.lemma_.lower()):
            if form in table:
                return table[form]
    return None


def mode_context(trigger: Token, agent: Token | None) -> list[Token]:
    """Return the words whose weapons decide the mode: agent phrase, trigger modifiers, trigger."""
    tokens: list[Token] = list(phrase_span(agent)) if agent is not None else []
    tokens.extend(c for c in trigger.children if c.dep_ in ("compound", "amod", "nmod"))
    for obj in trigger.children:
        if obj.dep_ == "dobj":
            tokens.extend(phrase_span(obj))  # "fired tear gas", "fired dozens of rockets"
    for prep in trigger.children:
        if prep.dep_ in ("prep", "agent") and prep.lower_ in ("with", "by", "in"):
            for pobj in prep.children:
                tokens.extend(phrase_span(pobj))
    tokens.append(trigger)
    return tokens


def embedded_patient(trigger: Token) -> Token | None:
    """Return who a threat, demand or agreement is aimed at: the target of what it embeds."""
    for child in trigger.children:
        if child.dep_ in ("xcomp", "ccomp") and token_pos(child) == "VERB":
            _, patient = find_roles(child, "ASSAULT")
            if patient is not None and token_pos(patient) == "NOUN":
                nested = [
                    p
                    for prep in patient.children
                    if prep.dep_ == "prep" and prep.lower_ in ("on", "against", "at")
                    for p in prep.children
                    if p.dep_ == "pobj"
                ]
                return nested[0] if nested else patient
            if patient is not None:
                return patient
    return None


def is_armed(agent: Token, unidentified: bool = True) -> bool:
    """Say whether an agent's phrase names an armed actor: soldiers, police, militants, a named group."""
    armed = {"MIL", "COP", "REB", "PRM", "SPY"} | ({"UAF"} if unidentified else set())
    sectors = ontology.sectors()
    phrase = phrase_span(agent)
    if any(sectors.get(t.lemma_.lower()) in armed or sectors.get(t.lower_) in armed for t in phrase):
        return True
    group = group_of(phrase)
    return group is not None and group.sector in armed


CROWD_SECTORS = ("CVL", "EDU", "LAB")  # civilians, students, workers: a crowd when they act


@cache
def _crowd_words() -> frozenset[str]:
    """Return the words of a crowd or a protest (words.json), once."""
    return ontology.word_set("crowd_context") | ontology.word_set("protest_context")


def is_crowd(agent: Token) -> bool:
    """Say whether an agent is an unarmed crowd: protesters, supporters, students, a mob, 'assailants'."""
    if is_armed(agent, unidentified=False):
        return False
    if {t.lower_ for t in phrase_span(agent)} & ontology.word_set("communal_words"):
        return False  # clans, tribes, farmers and herders fight battles, not riots
    if is_armed(agent):
        return True  # unidentified assailants: the weapon (petrol bombs, arson) says riot
    words = {t.lemma_.lower() for t in phrase_span(agent)} | {t.lower_ for t in phrase_span(agent)}
    return bool(words & _crowd_words()) or ontology.sectors().get(agent.lemma_.lower()) in CROWD_SECTORS


def decide_kind(trigger: Trigger, agent: Token | None, noun: Trigger | None) -> EventType:
    """Decide the trigger's reading: its row's type, mode and CAMEO code, a nominal trigger's mode
    ("a suicide bombing killed"), and the weapon words' mode ("bombers" aerial, "rockets" heavy-weapons).

    The type stays the trigger row's: which type the event is (a crowd's arson a riot, a crowd's
    demand a protest) is classify/'s decision, from these words and `findings_of`.
    """
    row = trigger.row
    mode, cameo = row.mode, row.cameo
    if noun is not None and noun.row.type == row.type and (mode is None or noun.row.mode):
        mode, cameo = noun.row.mode or mode, noun.row.cameo or cameo
    if row.type == "ASSAULT" and mode not in KEEP_MODES:
        found = weapon_mode(mode_context(trigger.token, agent))
        if noun is not None:
            found = found or weapon_mode(mode_context(noun.token, None))
        if found and (mode in OVERRIDABLE_MODES or found in ("suicide-attack", "crowd-control")):
            mode = found
            cameo = {"aerial": "195", "drone": "195", "heavy-weapons": "194"}.get(found, cameo)
    return EventType(row.type, mode, cameo)


def findings_of(trigger: Token, agent: Token | None, mode: str | None, sentence: Span) -> frozenset[str]:
    """Return what the words say about who acts and how: a crowd as the agent ("crowd agent"),
    crude violence nobody is named for, riot words in the sentence, a gerund trigger.

    They are findings, not a type: classify/rules.py reads a riot or a protest off them, and the
    learned model sees them as features.
    """
    found = set()
    if agent is not None and is_crowd(agent):
        found.add("crowd agent")
    if agent is None and (
        mode == "primitive"  # crude bombs, petrol bombs, stones thrown by nobody named
        or (
            mode == "destroy"
            and (
                sentence_has(sentence, "protest_context")
                or sentence_has(sentence, "crowd_context")
                or not sentence_has(sentence, "armed_context")
            )
        )
    ):
        found.add("unclaimed crude violence")
    if sentence_has(sentence, "riot_context"):
        found.add("riot words")
    if trigger.tag_ == "VBG":
        found.add("gerund")  # "workers filled the streets, demanding ..."
    return frozenset(found)


def clause_of(token: Token, sentence: Span) -> Span:
    """Return the clause a trigger belongs to: the subtree of its nearest verb (a light verb for nouns)."""
    current = token
    for _ in range(6):
        if token_pos(current) == "VERB" and current.dep_ not in ("amod", "acl", "relcl"):
            break
        if current.head.i == current.i:
            break
        current = current.head
    doc = sentence.doc
    start = max(current.left_edge.i, sentence.start)
    end = min(current.right_edge.i + 1, sentence.end)
    return doc[start:end]


def is_one(noun: Token) -> bool:
    """Say whether a bare noun names one person ("Chadian soldier killed"), not a group or plural."""
    plural_looking = noun.lower_.endswith(("s", "men", "people", "police", "staff", "personnel"))
    return noun.morph.get("Number", []) == ["Sing"] and not plural_looking


def build_mention(
    trigger: Trigger, triggers: list[Trigger], sentence: Span
) -> tuple[RawMention, Trigger | None]:
    """Build one raw mention from a trigger: roles, kind, numbers, flags and attribution."""
    token = trigger.token
    agent, patient = find_roles(token, trigger.row.type)
    by_index = {t.token.i: t for t in triggers}
    noun: Trigger | None = None
    if agent is not None and agent.i in by_index and token_pos(agent) == "NOUN":
        noun = by_index[agent.i]
        agent = find_roles(agent, noun.row.type)[0]
    if agent is not None and is_victim(agent, patient):
        agent = None
    if agent is None and trigger.row.type == "ASSAULT":
        agent = claimant(sentence)  # "... claimed by Al-Shabaab", "Al-Shabaab claimed responsibility"
    kind = decide_kind(trigger, agent, noun)
    findings = findings_of(token, agent, kind.mode, sentence)
    military_instrument = kind.type == "ASSAULT" and kind.mode in MILITARY_MODES
    if patient is None and kind.type in EMBEDDING_TYPES:
        patient = embedded_patient(token)
    partner = conjoined(agent) if kind.type in SYMMETRIC_TYPES and agent is not None else None
    fatalities = injuries = None
    casualty = casualty_kind(token)
    count = count_of(patient)
    for extra in token.children:  # "killing himself and 4 others", parsed as two objects of the verb
        own_verb = any(c.dep_ in ("acl", "relcl") and c.pos_ == "VERB" for c in extra.children)
        # "3 people were killed and 3 others injured": the others have a predicate of their own
        listed = extra.dep_ == "conj" and token_pos(extra) == "NOUN" and not own_verb
        more = count_of(extra) if listed else None
        if more is not None and count is not None:
            count += more
    if count is None and casualty and patient is not None and is_one(patient):
        count = 1  # "Chadian soldier killed in Beida"
    if casualty == "killed":
        fatalities = count
    elif casualty == "wounded":
        injuries = count
    if kind.type == "ASSAULT":
        stated_killed, stated_wounded = stated_casualties(sentence)
        fatalities = fatalities if fatalities is not None else stated_killed
        injuries = injuries if injuries is not None else stated_wounded
    flags = Flags(
        negated=is_negated(token),
        hypothetical=is_hypothetical(token, kind.type),
        accidental=kind.type in ACCIDENT_TYPES
        and (is_accidental(token) or (noun is not None and is_accidental(noun.token))),
    )
    return RawMention(
        kind=kind,
        trigger=token,
        sentence=sentence,
        clause=clause_of(token, sentence),
        agent=agent,
        patient=patient,
        partner=partner,
        source_sector="MIL" if military_instrument else None,
        speakers=tuple(find_attribution(token, sentence)),
        fatalities=fatalities,
        injuries=injuries,
        flags=flags,
        casualty_report=casualty is not None and agent is None and kind.type == "ASSAULT",
        findings=findings,
    ), noun


def sentence_mentions(sentence: Span) -> list[RawMention]:
    """Find the raw mentions one sentence states; nominal triggers its verbs tell are `absorbed`."""
    triggers = [t for t in find_triggers(sentence)]
    triggers = [t for t in triggers if not is_embedded(t.token, triggers)]
    triggers = [t for t in triggers if not is_self_harm(t.token)]
    built = [build_mention(trigger, triggers, sentence) for trigger in triggers]
    absorbed = {noun.token.i for _, noun in built if noun is not None}
    found = [
        replace(m, absorbed=True) if t.token.i in absorbed else m
        for t, (m, _) in zip(triggers, built, strict=True)
    ]
    if not any(m.kind.type == "ASSAULT" for m in found if not m.absorbed):
        found.extend(toll_mention(sentence))
    return found


def document_mentions(doc: Doc) -> list[RawMention]:
    """Find the raw mentions of a parsed document, sentence by sentence, in text order."""
    return [m for sentence in doc.sents for m in sentence_mentions(sentence)]


def toll_mention(sentence: Span) -> list[RawMention]:
    """Find a bare toll ("Five al Shabaab dead, as well as one civilian"): a casualty report.

    It has no event of its own: the merge adds it to the violent event just before it, or drops it.
    """
    killed, wounded = stated_casualties(sentence)
    if killed is None and wounded is None:
        return []
    return [
        RawMention(
            kind=EventType("ASSAULT", None, "190"),
            trigger=None,
            sentence=sentence,
            clause=sentence,
            fatalities=killed,
            injuries=wounded,
            casualty_report=True,
        )
    ]
