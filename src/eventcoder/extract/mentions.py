"""Turn one parsed sentence into event mentions: trigger, roles, numbers, modality, attribution."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from spacy.tokens import Span, Token

from eventcoder import ontology
from eventcoder.extract.attribution import find_attribution
from eventcoder.extract.modality import is_accidental, is_hypothetical, is_negated
from eventcoder.extract.numbers import casualty_kind, count_of, stated_casualties
from eventcoder.extract.roles import SYMMETRIC_TYPES, claimant, conjoined, find_roles, is_victim
from eventcoder.extract.triggers import Trigger, find_triggers, sentence_has, token_pos
from eventcoder.merge import fold, loosely_compatible
from eventcoder.records import Actor, EventType, Flags, Mention, Place
from eventcoder.records import Span as TextSpan
from eventcoder.resolve.actors import (
    ActorMemory,
    counterpart,
    group_of,
    make_code,
    phrase_span,
    resolve_actor,
    speaker_name,
)
from eventcoder.resolve.countries import country_of
from eventcoder.resolve.dates import is_historical, resolve_date
from eventcoder.resolve.gazetteer import Gazetteer
from eventcoder.resolve.places import resolve_place

# an event embedded under these is what is agreed, asked or threatened, not a separate event
EMBEDDING_TYPES = frozenset({"AGREE", "REQUEST", "THREATEN", "REJECT"})
ACCIDENT_TYPES = frozenset({"ASSAULT", "COERCE"})
MILITARY_MODES = frozenset({"aerial", "drone", "heavy-weapons"})
RIOT_MODES = frozenset({None, "destroy", "primitive", "beat"})
OVERRIDABLE_MODES = frozenset({None, "destroy", "firearms", "explosives"})
KEEP_MODES = frozenset({"abduct", "sexual", "torture", "suicide-attack", "crowd-control"})


@dataclass
class DocumentContext:
    """What a document's sentences share while they are coded: date, places, actors seen."""

    doc_id: str
    published: dt.date | None
    gazetteer: Gazetteer
    countries: list[str]
    memory: ActorMemory = field(default_factory=ActorMemory)


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


def is_crowd(agent: Token) -> bool:
    """Say whether an agent is an unarmed crowd: protesters, supporters, students, a mob, 'assailants'."""
    if is_armed(agent, unidentified=False):
        return False
    if {t.lower_ for t in phrase_span(agent)} & ontology.word_set("communal_words"):
        return False  # clans, tribes, farmers and herders fight battles, not riots
    if is_armed(agent):
        return True  # unidentified assailants: the weapon (petrol bombs, arson) says riot
    words = {t.lemma_.lower() for t in phrase_span(agent)} | {t.lower_ for t in phrase_span(agent)}
    crowd = ontology.word_set("crowd_context") | ontology.word_set("protest_context")
    return bool(words & crowd) or ontology.sectors().get(agent.lemma_.lower()) in ("CVL", "EDU", "LAB")


def decide_kind(trigger: Trigger, agent: Token | None, noun: Trigger | None) -> EventType:
    """Decide Event.type, Event.mode and Event.cameo from the trigger row, a nominal agent and weapons."""
    row = trigger.row
    mode, cameo = row.mode, row.cameo
    sentence = trigger.token.sent
    if row.type == "PROTEST" and mode == "demonstrate" and sentence_has(sentence, "riot_context"):
        mode, cameo = "riot", "145"
    if row.type == "REQUEST" and trigger.token.tag_ == "VBG" and agent is not None and is_crowd(agent):
        return EventType("PROTEST", "demonstrate", "141")  # "workers filled the streets, demanding ..."
    if noun is not None and noun.row.type == row.type and (mode is None or noun.row.mode):
        mode, cameo = noun.row.mode or mode, noun.row.cameo or cameo
    if row.type == "ASSAULT" and mode not in KEEP_MODES:
        found = weapon_mode(mode_context(trigger.token, agent))
        if noun is not None:
            found = found or weapon_mode(mode_context(noun.token, None))
        if found and (mode in OVERRIDABLE_MODES or found in ("suicide-attack", "crowd-control")):
            mode = found
            cameo = {"aerial": "195", "drone": "195", "heavy-weapons": "194"}.get(found, cameo)
    # arson, vandalism and stones by a crowd, by unknown people or by nobody named are rioting
    crowd = (
        is_crowd(agent)
        if agent is not None
        else mode == "primitive"  # crude bombs, petrol bombs, stones thrown by nobody named
        or (
            mode == "destroy"
            and (
                sentence_has(sentence, "protest_context")
                or sentence_has(sentence, "crowd_context")
                or not sentence_has(sentence, "armed_context")
            )
        )
    )
    if row.type == "ASSAULT" and mode in RIOT_MODES and crowd:
        return EventType("PROTEST", "riot", "145")  # violence in a protest is a riot
    return EventType(row.type, mode, cameo)


def resolve_role(token: Token | None, context: DocumentContext, default_sector: str | None) -> Actor | None:
    """Resolve an agent or patient token to an actor, or None."""
    if token is None:
        return None
    return resolve_actor(token, context.memory, default_sector)


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


def split_coordinated(agent: Token, context: DocumentContext) -> tuple[Actor, Actor] | None:
    """Split 'the Russian and Turkish presidents' into two actors of the same sector."""
    phrase = phrase_span(agent)
    countries = []
    for token in phrase:
        code = country_of(token.text) if token.text[:1].isupper() else None
        if code and code not in countries:
            countries.append(code)
    if len(countries) < 2:
        return None
    actor = resolve_actor(agent, context.memory, None)
    sector = actor.sector if actor is not None else None
    return tuple(  # type: ignore[return-value]
        Actor(phrase.text, None, code, sector, make_code(code, sector), "coordinated")
        for code in countries[:2]
    )


def span_of(sentence: Span) -> TextSpan:
    """Return the sentence as an evidence span, trimmed of surrounding whitespace."""
    text = sentence.text
    start = sentence.start_char + (len(text) - len(text.lstrip()))
    end = sentence.end_char - (len(text) - len(text.rstrip()))
    return TextSpan(start, end, text.strip())  # == doc.text[start:end], without rebuilding doc.text


def occupied(spans: list[Span]) -> list[tuple[int, int]]:
    """Return the character ranges of actor phrases, which cannot also be the place."""
    return [(s.start_char, s.end_char) for s in spans]


def is_one(noun: Token) -> bool:
    """Say whether a bare noun names one person ("Chadian soldier killed"), not a group or plural."""
    plural_looking = noun.lower_.endswith(("s", "men", "people", "police", "staff", "personnel"))
    return noun.morph.get("Number", []) == ["Sing"] and not plural_looking


def to_death(trigger: Token) -> bool:
    """Say whether the trigger states a death: 'beaten to death', 'shot dead'."""
    for child in trigger.children:
        if child.lower_ in ("dead",):
            return True
        if child.dep_ == "prep" and child.lower_ == "to" and any(g.lemma_ == "death" for g in child.children):
            return True
    return False


def mention_confidence(
    source: Actor | None, target: Actor | None, kind: EventType, place: Place | None
) -> float:
    """Decide Event.confidence of one telling: how much of who, what and where it states."""
    found = (source is not None, target is not None, kind.mode is not None, place is not None)
    return 0.4 + 0.2 * found[0] + 0.2 * found[1] + 0.1 * found[2] + 0.1 * found[3]


def build_mention(
    trigger: Trigger,
    triggers: list[Trigger],
    sentence: Span,
    context: DocumentContext,
    place_cache: dict[tuple[object, ...], Place | None],
) -> tuple[Mention, Trigger | None]:
    """Build one mention from a trigger: roles, kind, numbers, flags, attribution, place and date."""
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
    military_instrument = kind.type == "ASSAULT" and kind.mode in MILITARY_MODES
    speakers = find_attribution(token, sentence)
    for speaker in speakers:
        resolve_actor(speaker.root, context.memory, None)
    if patient is None and kind.type in EMBEDDING_TYPES:
        patient = embedded_patient(token)
    source = resolve_role(agent, context, "MIL" if military_instrument else None)
    target = resolve_role(patient, context, None)
    if kind.type in SYMMETRIC_TYPES and agent is not None and target is None:
        partner = conjoined(agent)
        target = resolve_role(partner, context, None) if partner is not None else None
        pair = split_coordinated(agent, context) if target is None else None
        if pair is not None:
            source, target = pair
    if target is not None:
        target = counterpart(target, source)
    if source is not None:
        context.memory.remember(source)
    fatalities = injuries = None
    casualty = casualty_kind(token) or ("killed" if to_death(token) else None)
    count = count_of(patient)
    for extra in token.children:  # "killing himself and 4 others", parsed as two objects of the verb
        more = count_of(extra) if extra.dep_ == "conj" and token_pos(extra) == "NOUN" else None
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
    actors = [(agent, source), (patient, target)]
    exclude = occupied(
        [phrase_span(t) for t, a in actors if t is not None and a is not None and (a.sector or a.country)]
        + speakers
    )
    clause = clause_of(token, sentence)
    key = (clause.start, clause.end, *exclude)
    if key not in place_cache:
        place_cache[key] = resolve_place(
            clause, context.gazetteer, context.countries, exclude
        ) or resolve_place(sentence, context.gazetteer, context.countries, exclude)
    place = place_cache[key]
    when = resolve_date(clause, context.published, anchor=token.i)
    negated = is_negated(token)
    flags = Flags(
        negated=negated,
        hypothetical=is_hypothetical(token, kind.type),
        accidental=kind.type in ACCIDENT_TYPES
        and (is_accidental(token) or (noun is not None and is_accidental(noun.token))),
        historical=is_historical(when, context.published),
    )
    confidence = mention_confidence(source, target, kind, place)
    return Mention(
        doc_id=context.doc_id,
        kind=kind,
        trigger=TextSpan(token.idx, token.idx + len(token), token.text),
        sentence=span_of(sentence),
        source=source,
        target=target,
        location=place,
        date=when,
        fatalities=fatalities,
        injuries=injuries,
        flags=flags,
        attributed_to=tuple(speaker_name(s, context.memory) for s in speakers),
        casualty_report=casualty is not None and agent is None and kind.type == "ASSAULT",
        confidence=min(confidence, 1.0),
    ), noun


def sentence_mentions(sentence: Span, context: DocumentContext) -> list[Mention]:
    """Decide the event mentions one sentence states, nominal triggers folded into their verbs."""
    triggers = [t for t in find_triggers(sentence)]
    triggers = [t for t in triggers if not is_embedded(t.token, triggers)]
    triggers = [t for t in triggers if not is_self_harm(t.token)]
    place_cache: dict[tuple[object, ...], Place | None] = {}
    built: list[tuple[Trigger, Mention]] = []
    absorbed: set[int] = set()
    for trigger in triggers:
        mention, noun = build_mention(trigger, triggers, sentence, context, place_cache)
        if noun is not None:
            absorbed.add(noun.token.i)
        built.append((trigger, mention))
    kept = [(t, m) for t, m in built if t.token.i not in absorbed]
    folded = fold_sentence(kept)
    if not any(m.kind.type == "ASSAULT" for m in folded):
        folded.extend(toll_mention(sentence, context))
    return folded


def toll_mention(sentence: Span, context: DocumentContext) -> list[Mention]:
    """Decide a bare toll ("Five al Shabaab dead, as well as one civilian") as a casualty report.

    It has no event of its own: the merge adds it to the violent event just before it, or drops it.
    """
    killed, wounded = stated_casualties(sentence)
    if killed is None and wounded is None:
        return []
    return [
        Mention(
            doc_id=context.doc_id,
            kind=EventType("ASSAULT", None, "190"),
            trigger=span_of(sentence),
            sentence=span_of(sentence),
            source=None,
            target=None,
            location=None,
            date=None,
            fatalities=killed,
            injuries=wounded,
            flags=Flags(),
            attributed_to=(),
            confidence=0.3,
            casualty_report=True,
            standalone=False,
        )
    ]


def linked(a: Token, b: Token) -> bool:
    """Say whether two triggers are close in the tree: head and dependent, or via one preposition."""
    for x, y in ((a, b), (b, a)):
        if x.head.i == y.i or (x.head.head.i == y.i and x.head.dep_ in ("prep", "agent", "pcomp")):
            return True
    return False


def fold_sentence(items: list[tuple[Trigger, Mention]]) -> list[Mention]:
    """Fold linked mentions of one event in one sentence ('killed three and wounded 11 others')."""
    groups: list[tuple[list[Token], Mention]] = []
    for trigger, mention in items:
        for index, (tokens, kept) in enumerate(groups):
            if any(linked(trigger.token, t) for t in tokens) and loosely_compatible(kept, mention):
                groups[index] = ([*tokens, trigger.token], fold(kept, mention))
                break
        else:
            groups.append(([trigger.token], mention))
    return [m for _, m in groups]
