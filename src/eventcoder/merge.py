"""Fold mentions of the same real-world event into one record per event in a document."""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import replace

from spacy.tokens import Token

from eventcoder import ontology
from eventcoder.geo import distance_km
from eventcoder.records import Actor, Event, Flags, Mention, Place, Span, When

# events that happen somewhere: without a place of their own they take the document's country
PLACE_COUNTRY = "country of the place"  # the reason of an actor whose country is its place's only
PHYSICAL_TYPES = frozenset({"ASSAULT", "PROTEST", "COERCE", "MOBILIZE", "RETREAT", "AID"})
GENERIC_CAMEO = frozenset({"190", None})
WILDCARD_SECTOR = "UAF"  # "gunmen", "attackers": unidentified, so compatible with any armed group
GROUP_CODES = frozenset({"IGO", "NGO", "IMGREB"})
PRECISION_RANK = {"point": 0, "city": 1, "admin2": 2, "admin1": 3, "country": 4}
PRECISE = frozenset({"point", "city", "admin2"})
SAME_PLACE_KM = 50.0  # precise places further apart than this are different events' places


def names_overlap(a: str, b: str) -> bool:
    """Say whether two names can name one actor ("Vladimir Putin", "Putin")."""
    a, b = a.lower(), b.lower()
    return a.endswith(b) or b.endswith(a)


def same_actor(a: Actor | None, b: Actor | None) -> bool | None:
    """Say whether two actors are the same (True), different (False) or unknown (None)."""
    if a is None or b is None:
        return None
    if a.name and b.name and a.name == b.name:
        return True
    if a.country and b.country and a.country != b.country:
        return False
    if a.sector and b.sector and a.sector != b.sector and WILDCARD_SECTOR not in (a.sector, b.sector):
        return False
    if a.name and b.name and not (a.country or b.country) and not names_overlap(a.name, b.name):
        return False  # Islamic State and al-Qaeda share a code, not an identity
    if bool(a.country) != bool(b.country) and (a.code == "IMGREB" or b.code == "IMGREB"):
        return False
    if a.code is None and b.code is None:  # names that overlap are one; no identity at all is unknown
        return True if a.name and b.name else None
    return True if (a.country and a.country == b.country) or a.code == b.code else None


def apart(a: Place | None, b: Place | None) -> bool:
    """Say whether two places cannot be where one event happened: other countries, or far apart."""
    if a is None or b is None:
        return False
    if a.country and b.country and a.country != b.country:
        return True
    if a.precision in PRECISE and b.precision in PRECISE:
        return distance_km(a.lat, a.lon, b.lat, b.lon) > SAME_PLACE_KM
    return a.precision == b.precision == "admin1" and a.name != b.name


def compatible(a: Mention, b: Mention) -> bool:
    """Decide whether two mentions can tell the same event: type, actors, numbers, place, date, flags."""
    if a.kind.type != b.kind.type:
        return False
    if a.flags.historical != b.flags.historical or a.flags.negated != b.flags.negated:
        return False
    for x, y in ((a.source, b.source), (a.target, b.target)):
        if same_actor(x, y) is False:
            return False
    if a.fatalities is not None and b.fatalities is not None and a.fatalities != b.fatalities:
        return False
    if a.injuries is not None and b.injuries is not None and a.injuries != b.injuries:
        return False
    if apart(a.location, b.location):
        return False  # two clashes the same day in Kharkiv and in Dnipro are two events
    return not (a.date and b.date and a.date.value and b.date.value and a.date.value != b.date.value)


def loosely_compatible(a: Mention, b: Mention) -> bool:
    """Decide whether two linked mentions in one sentence tell one event: no conflicting country or toll."""
    if a.kind.type != b.kind.type or a.flags.negated != b.flags.negated:
        return False
    for x, y in ((a.source, b.source), (a.target, b.target)):
        if x is not None and y is not None and x.country and y.country and x.country != y.country:
            return False
    return not (a.fatalities is not None and b.fatalities is not None and a.fatalities != b.fatalities)


def agreement(a: Mention, b: Mention) -> int:
    """Count what two compatible mentions positively share, to pick the best event to join."""
    score = sum(same_actor(x, y) is True for x, y in ((a.source, b.source), (a.target, b.target)))
    score += a.kind.mode is not None and a.kind.mode == b.kind.mode
    score += a.fatalities is not None and a.fatalities == b.fatalities
    score += bool(a.date and b.date and a.date.value and a.date.value == b.date.value)
    return score


def better_actor(a: Actor | None, b: Actor | None) -> Actor | None:
    """Return the more informative of two actors (name, country, sector)."""
    if a is None or b is None:
        return a or b

    def weight(x: Actor) -> int:
        return 2 * bool(x.country) + 2 * bool(x.sector) + bool(x.name and x.name != x.text)

    return b if weight(b) > weight(a) else a


def better_place(a: Place | None, b: Place | None) -> Place | None:
    """Return the more specific of two places."""
    if a is None or b is None:
        return a or b
    return b if PRECISION_RANK[b.precision] < PRECISION_RANK[a.precision] else a


def better_date(a: When | None, b: When | None) -> When | None:
    """Return the more precise of two dates."""
    if a is None or a.value is None:
        return b if b is not None and (b.value or a is None) else a
    if b is None or b.value is None:
        return a
    rank = {"day": 0, "month": 1, "year": 2}
    return b if rank.get(b.precision or "year", 3) < rank.get(a.precision or "year", 3) else a


def fold(a: Mention, b: Mention) -> Mention:
    """Fold mention b into mention a: the most informative value of each field wins."""
    mode = "riot" if "riot" in (a.kind.mode, b.kind.mode) else a.kind.mode or b.kind.mode
    cameo = a.kind.cameo if a.kind.mode or not b.kind.mode else b.kind.cameo
    if cameo in GENERIC_CAMEO and b.kind.cameo not in GENERIC_CAMEO and not a.kind.mode:
        cameo = b.kind.cameo  # "injured in a clash": the clash says more than the injuring
    return replace(
        a,
        kind=replace(a.kind, mode=mode, cameo=cameo),
        source=better_actor(a.source, b.source),
        target=better_actor(a.target, b.target),
        location=better_place(a.location, b.location),
        date=better_date(a.date, b.date),
        fatalities=a.fatalities if a.fatalities is not None else b.fatalities,
        injuries=a.injuries if a.injuries is not None else b.injuries,
        flags=Flags(
            negated=a.flags.negated and b.flags.negated,
            hypothetical=a.flags.hypothetical and b.flags.hypothetical,
            accidental=a.flags.accidental or b.flags.accidental,
            historical=a.flags.historical and b.flags.historical,
        ),
        attributed_to=tuple(dict.fromkeys(a.attributed_to + b.attributed_to)),
        confidence=max(a.confidence, b.confidence),
        acled=b.acled if b.confidence > a.confidence else a.acled,  # the surer telling's decision
        reason=b.reason if b.confidence > a.confidence else a.reason,
    )


def voted_place(members: list[Mention]) -> Place | None:
    """Decide Event.location: the most specific place, and among equals the one told most often."""
    places = [m.location for m in members if m.location is not None]
    if not places:
        return None
    best = min(PRECISION_RANK[p.precision] for p in places)
    tied = [p for p in places if PRECISION_RANK[p.precision] == best]
    counts = Counter((p.geonameid, p.name) for p in tied)
    winner = max(tied, key=lambda p: (counts[(p.geonameid, p.name)], -tied.index(p)))
    return winner


def event_id(doc_id: str, text_hash: str, mention: Mention) -> str:
    """Decide Event.id: a hash of the document, its text and the event's first telling."""
    key = f"{doc_id}\x1f{text_hash}\x1f{mention.kind.type}\x1f{mention.trigger.start}"
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def told_as_before(sentence: Span) -> bool:
    """Say whether a sentence opens by placing what it tells before what was told just before it."""
    opening = " ".join(sentence.text.lower().replace(",", " ").split()[:3])
    openers = ontology.words()["before_openers"]  # "Earlier, ...", "Before that, ..."
    return any(opening == words or opening.startswith(f"{words} ") for words in openers)


def casualty_target(groups: list[tuple[Mention, list[Mention]]], mention: Mention) -> int | None:
    """Return the event a bare casualty report belongs to: the latest violent event just before it.

    "Clashes between the army and rebels in X. 23 soldiers killed." tells one event; the second
    sentence names only victims, who may be on either side. A report that opens "Earlier, ..."
    (`told_as_before`) counts the dead of something before that event, never its victims.
    """
    if not mention.casualty_report or not groups or told_as_before(mention.sentence):
        return None
    index = len(groups) - 1
    kept, members = groups[index]
    close = mention.sentence.start - members[-1].sentence.end < 400
    if kept.kind.type != "ASSAULT" or not close or kept.flags.historical != mention.flags.historical:
        return None
    if compatible(kept, mention) and mention.standalone:
        return None  # the ordinary merge takes it
    return index


def add_casualties(event: Mention, report: Mention) -> Mention:
    """Add a casualty report's dead and wounded to an event: other victims of the same fighting."""

    def total(a: int | None, b: int | None) -> int | None:
        return b if a is None else a if b is None else a + b

    return replace(
        event,
        # "3 killed ... 3 others injured during an attack by X": the report may name who attacked
        source=event.source or report.source,
        target=event.target or report.target,
        fatalities=total(event.fatalities, report.fatalities),
        injuries=total(event.injuries, report.injuries),
        attributed_to=tuple(dict.fromkeys(event.attributed_to + report.attributed_to)),
    )


def linked(a: Token, b: Token) -> bool:
    """Say whether two triggers are close in the tree: head and dependent, or via one preposition."""
    for x, y in ((a, b), (b, a)):
        if x.head.i == y.i or (x.head.head.i == y.i and x.head.dep_ in ("prep", "agent", "pcomp")):
            return True
    return False


def fold_sentence(items: list[tuple[Token, Mention]]) -> list[Mention]:
    """Fold linked mentions of one event in one sentence ('killed three and wounded 11 others')."""
    groups: list[tuple[list[Token], Mention]] = []
    for trigger, mention in items:
        for index, (tokens, kept) in enumerate(groups):
            if any(linked(trigger, t) for t in tokens) and loosely_compatible(kept, mention):
                groups[index] = ([*tokens, trigger], fold(kept, mention))
                break
        else:
            groups.append(([trigger], mention))
    return [m for _, m in groups]


def within_document(
    mentions: list[Mention],
    text: str,
    focus: Place | None = None,
) -> list[Event]:
    """Decide Event.evidence: one event per real-world event, every telling as an evidence span."""
    groups: list[tuple[Mention, list[Mention]]] = []
    for mention in mentions:
        report_of = casualty_target(groups, mention)
        if report_of is not None:
            kept, members = groups[report_of]
            # told in the event's own sentence, the toll is the event's, not other victims'
            same = mention.sentence == members[-1].sentence
            joined = fold(kept, mention) if same else add_casualties(kept, mention)
            groups[report_of] = (joined, [*members, mention])
            continue
        if not mention.standalone:
            continue
        # "Earlier, 20 died in arson attacks": an event told as before the ones already told is
        # none of them (it may still join the other tellings of its own sentence)
        before = told_as_before(mention.sentence)
        candidates = [
            (agreement(kept, mention), index)
            for index, (kept, members) in enumerate(groups)
            if compatible(kept, mention)
            and not (before and all(m.sentence != mention.sentence for m in members))
        ]
        if candidates:
            _, index = max(candidates, key=lambda c: (c[0], -c[1]))
            kept, members = groups[index]
            groups[index] = (fold(kept, mention), [*members, mention])
        else:
            groups.append((mention, [mention]))
    text_hash = hashlib.sha1(text.encode("utf-8")).hexdigest()
    # an event told without a place happened where the report's other events did
    told_here = [m for m in mentions if m.kind.type in PHYSICAL_TYPES and not m.flags.historical]
    focus = voted_place(told_here) or focus
    return [to_event(merged, members, text_hash, focus) for merged, members in groups]


def located_actor(actor: Actor | None, place: Place | None) -> Actor | None:
    """Decide an actor's missing Actor.country from where it acts: 'an army post in Mali' is Mali's.

    ACLED codes actors the same way ("Protesters (Algeria)"); international groups keep none.
    """
    if actor is None or actor.country or place is None or place.country is None:
        return actor
    if actor.sector is None or actor.code in GROUP_CODES or actor.sector in ("IGO", "NGO"):
        return actor
    code = place.country + actor.sector
    return replace(actor, country=place.country, code=code, reason=PLACE_COUNTRY)


def host_of_visit(mention: Mention, place: Place | None) -> Actor | None:
    """Decide the target of a visit that names no host: the government of the country visited."""
    if mention.kind.mode != "visit" or place is None or place.country is None:
        return None
    if mention.source is not None and mention.source.country == place.country:
        return None
    return Actor(place.country, None, place.country, "GOV", place.country + "GOV", "host of the visit")


def to_event(merged: Mention, members: list[Mention], text_hash: str, focus: Place | None = None) -> Event:
    """Build the contract record of one merged event."""
    spans = sorted(
        {(m.sentence.start, m.sentence.end): m.sentence for m in members}.values(),
        key=lambda s: s.start,
    )
    tellings = Counter(m.kind.type for m in members)
    physical = merged.kind.type in PHYSICAL_TYPES and not merged.flags.historical
    place = voted_place(members) or (focus if physical else None)
    return Event(
        id=event_id(merged.doc_id, text_hash, members[0]),
        doc_id=merged.doc_id,
        type=merged.kind.type,
        mode=merged.kind.mode,
        cameo=merged.kind.cameo,
        acled=merged.acled,
        source=located_actor(merged.source, place),
        target=located_actor(merged.target or host_of_visit(merged, place), place),
        location=place,
        date=merged.date,
        fatalities=merged.fatalities,
        injuries=merged.injuries,
        flags=merged.flags,
        attributed_to=merged.attributed_to,
        evidence=tuple(Span(s.start, s.end, s.text) for s in spans),
        confidence=merged.confidence,  # the most confident telling's (the model's calibrated p)
        reason=merged.reason,
        extra={"tellings": sum(tellings.values())},
    )
