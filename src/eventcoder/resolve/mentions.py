"""Resolve a document's raw mentions once, in text order: actors, place, date; linked tellings folded.

extract/ finds the words (extract.mentions.RawMention); this stage decides who they name (with
the document's memory of actors, so "Putin" after "Vladimir Putin" keeps his country), where the
event happened and when, and folds the linked mentions of one sentence into one ("killed three
and wounded 11 others"). classify/ then decides the type of each.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from itertools import groupby

from spacy.tokens import Span, Token

from eventcoder.extract.mentions import RawMention
from eventcoder.extract.phrases import phrase_span
from eventcoder.extract.roles import SYMMETRIC_TYPES
from eventcoder.merge import fold_sentence
from eventcoder.nlp import span_text
from eventcoder.records import Actor, EventType, Mention, Place
from eventcoder.records import Span as TextSpan
from eventcoder.resolve.actors import ActorMemory, counterpart, make_code, resolve_actor, speaker_name
from eventcoder.resolve.countries import country_of
from eventcoder.resolve.dates import is_historical, resolve_date
from eventcoder.resolve.gazetteer import Gazetteer
from eventcoder.resolve.places import resolve_place

PlaceCache = dict[tuple[object, ...], Place | None]


@dataclass
class DocumentContext:
    """What a document's mentions share while they are resolved: date, places, actors seen."""

    doc_id: str
    published: dt.date | None
    gazetteer: Gazetteer
    countries: list[str]
    memory: ActorMemory = field(default_factory=ActorMemory)


def span_of(sentence: Span) -> TextSpan:
    """Return the sentence as an evidence span, trimmed of surrounding whitespace."""
    text = span_text(sentence)
    start = sentence.start_char + (len(text) - len(text.lstrip()))
    end = sentence.end_char - (len(text) - len(text.rstrip()))
    return TextSpan(start, end, text.strip())  # == doc.text[start:end]


def occupied(spans: list[Span]) -> list[tuple[int, int]]:
    """Return the character ranges of actor phrases, which cannot also be the place."""
    return [(s.start_char, s.end_char) for s in spans]


def split_coordinated(agent: Token, memory: ActorMemory) -> tuple[Actor, Actor] | None:
    """Decide Event.source and Event.target of 'the Russian and Turkish presidents' (met): one each."""
    phrase = phrase_span(agent)
    countries = []
    for token in phrase:
        code = country_of(token.text) if token.text[:1].isupper() else None
        if code and code not in countries:
            countries.append(code)
    if len(countries) < 2:
        return None
    actor = resolve_actor(agent, memory, None)
    sector = actor.sector if actor is not None else None
    return tuple(  # type: ignore[return-value]
        Actor(phrase.text, None, code, sector, make_code(code, sector), "coordinated")
        for code in countries[:2]
    )


def mention_confidence(
    source: Actor | None, target: Actor | None, kind: EventType, place: Place | None
) -> float:
    """Decide Event.confidence of one telling: how much of who, what and where it states."""
    found = (source is not None, target is not None, kind.mode is not None, place is not None)
    return 0.4 + 0.2 * found[0] + 0.2 * found[1] + 0.1 * found[2] + 0.1 * found[3]


def resolve_roles(raw: RawMention, memory: ActorMemory) -> tuple[Actor | None, Actor | None]:
    """Decide Event.source and Event.target of one mention, and remember the source for later."""
    for speaker in raw.speakers:
        resolve_actor(speaker.root, memory, None)  # a named speaker is remembered for later pronouns
    source = resolve_actor(raw.agent, memory, raw.source_sector) if raw.agent is not None else None
    target = resolve_actor(raw.patient, memory, None) if raw.patient is not None else None
    if raw.kind.type in SYMMETRIC_TYPES and raw.agent is not None and target is None:
        target = resolve_actor(raw.partner, memory, None) if raw.partner is not None else None
        pair = split_coordinated(raw.agent, memory) if target is None else None
        if pair is not None:
            source, target = pair
    if target is not None:
        target = counterpart(target, source)
    if source is not None:
        memory.remember(source)
    return source, target


def resolve_mention(raw: RawMention, context: DocumentContext, places: PlaceCache) -> Mention:
    """Decide Event.source, target, location, date, flags.historical and confidence of one mention."""
    sentence = span_of(raw.sentence)
    if raw.trigger is None:  # a bare toll: nothing to resolve, never an event of its own
        return Mention(
            context.doc_id, raw.kind, sentence, sentence, None, None, None, None, raw.fatalities,
            raw.injuries, raw.flags, (), 0.3, casualty_report=True, standalone=False,
        )  # fmt: skip
    source, target = resolve_roles(raw, context.memory)
    # the partner of "Russia and Turkey will investigate" is an actor too, never the place
    named = [(raw.agent, source), (raw.patient, target), (raw.partner, target)]
    exclude = occupied(
        [phrase_span(t) for t, a in named if t is not None and a is not None and (a.sector or a.country)]
        + list(raw.speakers)
    )
    key = (raw.clause.start, raw.clause.end, *exclude)
    if key not in places:
        places[key] = resolve_place(
            raw.clause, context.gazetteer, context.countries, exclude
        ) or resolve_place(raw.sentence, context.gazetteer, context.countries, exclude)
    place = places[key]
    token = raw.trigger
    when = resolve_date(raw.clause, context.published, anchor=token.i)
    flags = replace(raw.flags, historical=is_historical(when, context.published))
    return Mention(
        doc_id=context.doc_id,
        kind=raw.kind,
        trigger=TextSpan(token.idx, token.idx + len(token), token.text),
        sentence=sentence,
        source=source,
        target=target,
        location=place,
        date=when,
        fatalities=raw.fatalities,
        injuries=raw.injuries,
        flags=flags,
        attributed_to=tuple(speaker_name(s, context.memory) for s in raw.speakers),
        casualty_report=raw.casualty_report,
        confidence=min(mention_confidence(source, target, raw.kind, place), 1.0),
        findings=raw.findings,
    )


def resolve_mentions(raws: list[RawMention], context: DocumentContext) -> list[Mention]:
    """Decide the actors, place and date of a document's mentions, folding linked ones per sentence.

    Raw mentions are resolved in text order (the actor memory follows the text). Absorbed nominal
    triggers are resolved for the actors they name, then dropped; the linked mentions of a sentence
    fold into one (merge.fold_sentence); a bare toll follows its sentence's events unfolded.
    """
    resolved: list[Mention] = []
    for _, group in groupby(raws, key=lambda r: (r.sentence.start, r.sentence.end)):
        places: PlaceCache = {}  # one sentence's clauses share their places
        told: list[tuple[Token, Mention]] = []
        tolls: list[Mention] = []
        for raw in group:
            mention = resolve_mention(raw, context, places)
            if raw.trigger is None:
                tolls.append(mention)
            elif not raw.absorbed:
                told.append((raw.trigger, mention))
        resolved.extend(fold_sentence(told) + tolls)
    return resolved
