"""Decide each actor's ACLED actor type (inter code 1-8) and ACLED-style name, after classify.

A learned head reads the actor's words (hashed word and character n-grams, as classify/ does),
the words of its sentence and the rules' findings (PLOVER sector, named group and its type,
whether the actor names a country and whether it is the event's, the event's PLOVER and ACLED
types and the actor's role), and returns the probability of each ACLED actor type. Events ACLED
would code with an actor the text leaves unnamed ("a bomb went off", "crowds took to the
streets", "dozens were arrested": ACLED codes an actor 1 for every event) get an *implied*
actor of the predicted type in the country of the event's place, as ACLED codes "Unidentified
Armed Group (Mali)", "Protesters (Algeria)" or, for an arrest, "Police Forces of Kenya".

The model directory follows classify/model.py (`save_model`, `load_model`, int8 weights, no
vocabulary and no data text); `--actor-model`-style choice through $EVENTCODER_ACTOR_MODEL.
"""

from __future__ import annotations

import csv
import os
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, replace
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from eventcoder.classify.features import SparseRow, vectorize, words_of
from eventcoder.classify.model import LearnedModel, load_model
from eventcoder.merge import PLACE_COUNTRY
from eventcoder.records import Actor, Event, Place
from eventcoder.resolve.countries import country_of, is_demonym
from eventcoder.resolve.gazetteer import Gazetteer, fold

ACTOR_MODEL_ENV = "EVENTCODER_ACTOR_MODEL"  # an actor model directory, "default" or "rules"
HEAD = "inter"
ORDER_HEAD = "order"  # which of two named actors ACLED lists first: KEEP (the source) or SWAP
KEEP, SWAP = "keep", "swap"
COUNTRY_HEAD = "country"  # the country a note is about, from its words: the last fallback
MIN_COUNTRY_P = 0.5  # below this the country head's guess is left unsaid
OVERRULE_P, DOUBT_P = 0.9, 0.02  # the head overrules a place it is this sure against
SURE_PLACE = 0.7  # a place the ranker gives less is a weak clue to the country
NO_ACTOR = "0"  # an implied target ACLED would not code: no actor 2
IMPLIED = "implied by the event"  # the reason of an actor the text does not name
STATE_FORCES, REBELS = 1, 2
STATE_SECTORS = frozenset({"MIL", "COP", "GOV"})  # the sectors whose actors are a country's state forces
STATE_TYPES = frozenset({"1", "8"})  # state forces at home and abroad
# ACLED types whose actor 1 is the crowd: the state forces that meet it are its actor 2
CROWD_FIRST = frozenset({"Protests", "Riots"})
INTER_NAMES = {
    1: "State forces",
    2: "Rebel groups",
    3: "Political militias",
    4: "Identity militias",
    5: "Rioters",
    6: "Protesters",
    7: "Civilians",
    8: "External/Other forces",
}
# actor types that take the country of the event's place when the text names none
DOMESTIC_TYPES = frozenset({1, 3, 4, 5, 6, 7})


@dataclass(frozen=True, slots=True)
class ActorContext:
    """What the actor-type model sees of one actor: its phrase, identity, role and event."""

    role: str  # "source" or "target"
    text: str  # the actor's words; "" for an implied actor
    name: str | None
    country: str | None
    sector: str | None
    code: str | None
    event_type: str
    mode: str | None
    acled_type: str | None
    sub_type: str | None
    place_country: str | None
    sentence: str

    def to_dict(self) -> dict[str, Any]:
        """Return the context as JSON-ready fields (the training cache's entries)."""
        return asdict(self)


def actor_context(event: Event, role: str) -> ActorContext:
    """Return the context of an event's source or target (an implied one when it has none)."""
    actor = event.source if role == "source" else event.target
    place = event.location
    return ActorContext(
        role=role,
        text=actor.text if actor else "",
        name=actor.name if actor else None,
        country=actor.country if actor else None,
        sector=actor.sector if actor else None,
        code=actor.code if actor else None,
        event_type=event.type,
        mode=event.mode,
        acled_type=event.acled.event_type if event.acled else None,
        sub_type=event.acled.sub_event_type if event.acled else None,
        place_country=place.country if place else None,
        sentence=event.evidence[0].text if event.evidence else "",
    )


@dataclass(frozen=True, slots=True)
class GroupType:
    """A named group's ACLED type and name, from ontology/named_actors.csv."""

    inter: int | None
    acled_name: str | None


@cache
def group_types() -> dict[str, GroupType]:
    """Return named actor name -> its ACLED type and ACLED name (named_actors.csv)."""
    text = resources.files("eventcoder.ontology").joinpath("named_actors.csv").read_text(encoding="utf-8")
    return {
        row["name"]: GroupType(int(row["inter"]) if row.get("inter") else None, row.get("acled_name") or None)
        for row in csv.DictReader(text.splitlines())
    }


@cache
def acled_countries() -> dict[str, str]:
    """Return ISO3 -> the country's name as ACLED writes it, where it differs from pycountry's."""
    text = resources.files("eventcoder.resolve").joinpath("data", "acled_countries.csv").read_text("utf-8")
    return {row["iso3"]: row["acled_name"] for row in csv.DictReader(text.splitlines())}


@cache
def acled_country(iso3: str | None) -> str | None:
    """Return a country's name as ACLED writes it ("Democratic Republic of Congo", "Turkey")."""
    if not iso3:
        return None
    if iso3 in acled_countries():
        return acled_countries()[iso3]
    import pycountry  # imported here: only names and exports need it

    country = pycountry.countries.get(alpha_3=iso3)
    if country is None:
        return iso3
    return str(getattr(country, "common_name", None) or country.name)


def stands_for_state(text: str, country: str | None, sector: str | None) -> bool:
    """Say whether an actor is a bare country name ("Turkey agreed to ..."): its state acts.

    Demonyms are left out: "Syrians" are people, not a government.
    """
    return (
        sector is None
        and country is not None
        and bool(text)
        and not is_demonym(text)
        and country_of(text) == country
    )


def typing_sector(context: ActorContext) -> str | None:
    """Return the sector the type head reads: a bare country is its government (GOV)."""
    if stands_for_state(context.text, context.country, context.sector):
        return "GOV"
    return context.sector


def rule_findings(context: ActorContext) -> list[str]:
    """Return the rules' findings about an actor: sector, named group, country, role, event."""
    from eventcoder.classify.rules import actor_class  # classify/ reads actors the same way

    role = context.role
    sector = typing_sector(context)
    actor = (
        None if not context.text else Actor(context.text, context.name, context.country, sector, context.code)
    )
    group = group_types().get(context.name or "")
    if not context.text:
        relation = "implied"
    elif context.country is None:
        relation = "no country"
    elif context.place_country is None:
        relation = "country, no place"
    else:
        relation = "country of the place" if context.country == context.place_country else "foreign"
    found = [
        f"a role {role}",
        f"a sector {sector}",
        f"a role sector {role} {sector}",
        f"a class {role} {actor_class(actor)}",
        f"a country {relation}",
        f"a sector country {sector} {relation}",
        f"e type {role} {context.event_type}",
        f"e mode {role} {context.event_type} {context.mode}",
        f"e acled {role} {context.acled_type}",
        f"e sub {role} {context.sub_type}",
        f"e acled sector {role} {context.acled_type} {sector}",
    ]
    if group is not None:
        found.append(f"a group inter {group.inter}")
    if context.text and context.name and context.name != context.text:
        found.append("a named")
    found.extend(f"s {role} {w}" for w in dict.fromkeys(words_of(context.sentence)))
    return found


def actor_row(context: ActorContext, bits: int) -> SparseRow:
    """Return the sparse feature row of one actor: its words beside the rules' findings."""
    return vectorize(context.text, rule_findings(context), bits)


@cache
def sector_inters(restricting: bool = False) -> dict[str, frozenset[str]]:
    """Return PLOVER sector -> the ACLED types an actor of it plainly has (resolve/data/sector_inter.csv).

    restricting: only the sectors whose types bound the model's choice (`restricts` yes: state forces).
    """
    text = resources.files("eventcoder.resolve").joinpath("data", "sector_inter.csv").read_text("utf-8")
    return {
        row["sector"]: frozenset(row["inter"].split())
        for row in csv.DictReader(text.splitlines())
        if row["restricts"] == "yes" or not restricting
    }


def crowd_first(
    acled_type: str | None, source_sector: str | None, target_sector: str | None, event_type: str = ""
) -> bool:
    """Say whether an event's actors are to be swapped so that its crowd comes first.

    A protest or riot is the crowd's ("a crowd that protests is the actor of its protest"): state
    forces told as its agent ("Police broke up a march of opposition activists", "a clash between
    police and students") are its actor 2, the crowd (or, unnamed, an implied one) its actor 1.
    Force against protesters (an ASSAULT that ACLED codes as a protest: "Police beat protesters")
    is the police's act: they stay its source, as PLOVER's who-did-what-to-whom has it.
    """
    if event_type == "ASSAULT" and acled_type == "Protests":
        return False
    return acled_type in CROWD_FIRST and source_sector in STATE_SECTORS and target_sector not in STATE_SECTORS


def actor_kind(context: ActorContext) -> str | None:
    """Return what the order head knows an actor as: a known group's ACLED type ("g2"), else its
    sector as the type head reads it (typing_sector); None for an implied actor."""
    if not context.text:
        return None
    group = group_types().get(context.name or "")
    if group is not None and group.inter is not None:
        return f"g{group.inter}"
    return typing_sector(context)


def plausible_inters(context: ActorContext) -> frozenset[int]:
    """Return the ACLED types an actor's sector plainly allows (sector_inter.csv: state forces, armed
    groups); none for an implied actor or a sector that allows any."""
    if not context.text:
        return frozenset()
    return frozenset(int(i) for i in sector_inters().get(typing_sector(context) or "", ()))


def orderable(source: ActorContext, target: ActorContext) -> bool:
    """Say whether ACLED's order of an event's actors is the order head's to decide: an event ACLED
    codes between two named actors whose sectors allow different types (state forces and an
    armed group), so that the gold's order of their types tells which it lists first."""
    first, second = plausible_inters(source), plausible_inters(target)
    return source.acled_type is not None and bool(first) and bool(second) and not first & second


def order_findings(source: ActorContext, target: ActorContext) -> list[str]:
    """Return what the order head reads of an event's two named actors: their kinds in the order
    told, the event's types, and the country of its place.

    Which side ACLED lists first is a coding habit more than who attacked: in the development
    notes, Africa 2016 lists state forces first in 75% of its battles with state forces, Asia 2015
    in 39%; the place's country lets the head learn each region's habit from its coders.
    """
    first, second = actor_kind(source), actor_kind(target)
    pair = f"{first}>{second}"
    country, acled = source.place_country, source.acled_type
    return [
        f"o pair {pair}",
        f"o first {first}",
        f"o second {second}",
        f"o acled {acled} {pair}",
        f"o sub {source.sub_type} {pair}",
        f"o mode {source.event_type} {source.mode} {pair}",
        f"o country {country}",
        f"o country pair {country} {pair}",
        f"o country acled {country} {acled} {pair}",
    ]


def acled_order(model: LearnedModel, event: Event) -> tuple[str, float]:
    """Decide Acled.actor1: "target" when ACLED would list the event's target first, else "source",
    and the order head's probability of that order (1.0 where it has no say: orderable)."""
    source, target = actor_context(event, "source"), actor_context(event, "target")
    if ORDER_HEAD not in model.heads or event.target is None or not orderable(source, target):
        return "source", 1.0
    row = vectorize("", order_findings(source, target), model.bits)
    probabilities = model.heads[ORDER_HEAD].model_probabilities(row)
    p_swap = probabilities.get(SWAP, 0.0)
    return ("target", p_swap) if p_swap > 0.5 else ("source", 1.0 - p_swap)


def predict(
    model: LearnedModel, context: ActorContext, allow_none: bool, own_country: bool = True
) -> tuple[str, float]:
    """Return the most probable ACLED type of an actor and its probability (NO_ACTOR if allowed).

    An actor whose own words name its country and a state sector ("Turkish troops") competes only
    among the types sector_inter.csv allows; the rules' sectors are too noisy to restrict others,
    or an actor whose country is only the place's (`own_country` False: "party leaders" read as
    government). Words of no sector and no name are never state forces (STATE_TYPES).
    """
    probabilities = model.heads[HEAD].model_probabilities(actor_row(context, model.bits))
    allowed = (
        sector_inters(restricting=True).get(typing_sector(context) or "")
        if context.text and context.country and own_country
        else None
    )
    if allowed and any(k in allowed for k in probabilities):
        probabilities = {k: v for k, v in probabilities.items() if k in allowed or k == NO_ACTOR}
    elif context.text and not context.name and typing_sector(context) is None:
        # words naming no sector and no group ("dozens", "Okada riders") never name state forces:
        # their words would (police, troops, government), and the other types remain
        probabilities = {k: v for k, v in probabilities.items() if k not in STATE_TYPES} or probabilities
    if not allow_none:
        probabilities.pop(NO_ACTOR, None)
    best = max(probabilities, key=lambda k: probabilities[k])
    return best, probabilities[best] / (sum(probabilities.values()) or 1.0)


def unidentified(actor: Actor) -> bool:
    """Say whether an actor is named only by its weapons or anonymity ("gunmen", "armed men")."""
    return actor.sector == "UAF" or not actor.text


def acled_name(actor: Actor, inter: int, country: str | None) -> str | None:
    """Decide Actor.acled_name: the name ACLED gives an actor of this type in this country.

    Crowds are named by their type and country ("Protesters (Algeria)") even when a party leads
    them (ACLED names the party as the associated actor); armed groups and parties by their name.
    """
    place = acled_country(country)
    crowd = {5: "Rioters", 6: "Protesters", 7: "Civilians"}.get(inter)
    if crowd is not None:
        return f"{crowd} ({place})" if place else crowd
    group = group_types().get(actor.name or "")
    if group is not None and group.acled_name:
        return group.acled_name
    if actor.name and actor.sector in ("REB", "PRM", "PTY") and actor.name != actor.text:
        return actor.name  # a named group: its common name
    if inter == 1 or (
        inter == 8
        and (actor.sector in STATE_SECTORS or stands_for_state(actor.text, actor.country, actor.sector))
    ):
        if place is None:
            return None
        if actor.sector == "COP":
            return f"Police Forces of {place}"
        if actor.sector in ("GOV", "LEG", "JUD") or stands_for_state(actor.text, actor.country, actor.sector):
            return f"Government of {place}"
        return f"Military Forces of {place}"
    kind = "Communal Militia" if inter == 4 and not unidentified(actor) else "Unidentified Armed Group"
    return f"{kind} ({place})" if place else kind


def typed_actor(actor: Actor, inter: int, p: float, model: str, place_country: str | None) -> Actor:
    """Return the actor with Actor.inter, Actor.acled_name and, for domestic types, the place's country."""
    country = actor.country
    reason = actor.reason
    # merge gave the place's country to an actor the text names none for: decide it as for the rest
    from_place = reason == PLACE_COUNTRY
    # a rebel group the text does not name is one of the place's: "Unidentified Armed Group (Mali)"
    domestic = inter in DOMESTIC_TYPES or (inter == REBELS and actor.name is None)
    if (country is None or from_place) and domestic and place_country:
        country = place_country  # domestic forces and crowds act where the event happens
        reason = "country of the event" if from_place or not reason else f"{reason}; country of the event"
    code = actor.code if country == actor.country else None
    code = code or ((country or "") + (actor.sector or "")) or None
    return replace(
        actor,
        country=country,
        code=code,
        inter=inter,
        acled_name=acled_name(actor, inter, country),
        reason=f"{reason}; ACLED type {inter} by {model} (p={p:.2f})".lstrip("; "),
    )


def implied_actor(
    inter: int, p: float, model: str, place_country: str | None, sector: str | None = None
) -> Actor:
    """Return the unnamed actor ACLED codes for an event the text tells without it."""
    actor = Actor("", None, place_country, sector, None, IMPLIED)
    return typed_actor(actor, inter, p, model, place_country)


@cache
def state_forces() -> dict[tuple[str, str], str]:
    """Return (ACLED event type, sub-event type or "") -> the sector of its unnamed state forces
    (resolve/data/actor_state_forces.csv)."""
    text = resources.files("eventcoder.resolve").joinpath("data", "actor_state_forces.csv").read_text("utf-8")
    return {(r["event_type"], r["sub_event_type"]): r["sector"] for r in csv.DictReader(text.splitlines())}


def implied_sector(event: Event, inter: int) -> str | None:
    """Decide Actor.sector of an implied actor: the police for the state forces of a protest, riot
    or arrest (actor_state_forces.csv), else none (state forces are then named as the military)."""
    if inter != 1 or event.acled is None:
        return None
    table = state_forces()
    kind, sub = event.acled.event_type, event.acled.sub_event_type or ""
    return table.get((kind, sub)) or table.get((kind, ""))


PLACE_ENTITIES = frozenset({"GPE", "LOC", "FAC"})
MIN_POPULATION = 1000  # a smaller namesake is too weak a clue to a note's country


def named_place_countries(entities: Iterable[tuple[str, str]], gazetteer: Gazetteer) -> list[str]:
    """Return the countries of the places a document names, most named first.

    Each place entity (spaCy's GPE, LOC, FAC) votes for the country of its most populous
    gazetteer namesake: notes name towns and districts ("Meerut", "Nertiti") without a country.
    """
    votes: Counter[str] = Counter()
    for text, label in entities:
        if label not in PLACE_ENTITIES:
            continue
        found = [c for c in gazetteer.lookup(text) if c.country and c.population >= MIN_POPULATION]
        if found:
            votes[str(max(found, key=lambda c: c.population).country)] += 1
    return [country for country, _ in votes.most_common()]


def country_guess(model: LearnedModel | None, text: str) -> dict[str, float]:
    """Return the country head's probability of each country a text is about ({} without a head)."""
    if model is None or COUNTRY_HEAD not in model.heads or not text:
        return {}
    return model.heads[COUNTRY_HEAD].model_probabilities(vectorize(text, (), model.bits))


def weak_place(place: Place) -> bool:
    """Say whether Event.location is a weak clue to its country: read through another of its
    names ("Masala" as Masally, "Bay" as Bay County, "Hawl" as Al Hawl), not as written or as a
    distance from the place written ("Baidoa" as 15 km from Baidoa)."""
    written, named = fold(place.text or ""), fold(place.name or "")
    offset = any(ch.isdigit() for ch in named) and f" {written} " in f" {named} "
    return written != named and not offset


def doubted_place(place: Place, guess: dict[str, float]) -> bool:
    """Say whether a sure country head may overrule Event.location's country for an actor.

    A place read through another of its names may be overruled; so may one the ranker is unsure
    of in a country the head knows and gives almost none ("Rafah" in Palestine for a note about
    Sinai). A place read as written and ranked sure stands: on news about places they never saw,
    the head's words mislead more often than a sure gazetteer match does.
    """
    unsure = place.score is not None and place.score < SURE_PLACE
    return weak_place(place) or (unsure and guess.get(place.country or "", 1.0) < DOUBT_P)


def fallback_country(
    event: Event,
    countries: Sequence[str],
    model: LearnedModel | None = None,
    place_names: Sequence[str] = (),
    text: str = "",
    guess: dict[str, float] | None = None,
) -> str | None:
    """Return where a domestic actor of the event is from when the text names no country for it.

    `guess`: the country head's reading of `text` when the caller has it (one per document).

    In order: the event's place, unless the country head is sure (OVERRULE_P) of another and the
    place is in doubt (doubted_place); the country the document names most (names, demonyms, the
    country its place names share); the home of a named group in the event ("al-Shabaab":
    Somalia); the country head when sure; the country of the document's most populous place
    namesakes; the country head when at least MIN_COUNTRY_P sure (notes name villages the
    gazetteer lacks, but their words say where they are). A head only fairly sure is wrong on most
    notes of regions it never saw, a namesake less often.
    """
    if guess is None:
        guess = country_guess(model, text or " ".join(span.text for span in event.evidence))
    best = max(guess, key=lambda k: guess[k]) if guess else None
    sure = best is not None and guess[best] >= OVERRULE_P
    location = event.location
    place = location.country if location is not None else None
    if location is not None and place:
        return best if sure and best != place and doubted_place(location, guess) else place
    if countries:
        return countries[0]
    for actor in (event.source, event.target):  # a named group's home is a fact, the head a guess
        if actor is not None and actor.country and actor.name in group_types():
            return actor.country
    if sure:
        return best
    if place_names:
        return place_names[0]
    return best if best is not None and guess[best] >= MIN_COUNTRY_P else None


def actor_type(model: LearnedModel, event: Event, role: str) -> tuple[int, float, str]:
    """Return a named actor's ACLED type: named_actors.csv's for a known group, else the model's.

    An armed group's type is a fact of ACLED's actor list (al-Shabaab is a rebel group whichever
    side of a battle it is told on); the model decides every other actor, parties included
    (returns the type, its probability and who decided).
    """
    actor = event.source if role == "source" else event.target
    group = group_types().get(actor.name or "") if actor is not None else None
    # a party's supporters riot or protest as often as its militias fight: the model decides them
    if group is not None and group.inter is not None and actor is not None and actor.sector != "PTY":
        return group.inter, 1.0, "ontology/named_actors.csv"
    own = actor is not None and actor.reason != PLACE_COUNTRY
    label, p = predict(model, actor_context(event, role), allow_none=False, own_country=own)
    return int(label), p, model.label


def type_event(
    event: Event,
    model: LearnedModel,
    countries: Sequence[str] = (),
    place_names: Sequence[str] = (),
    text: str = "",
    guess: dict[str, float] | None = None,
) -> Event:
    """Decide Actor.inter and Actor.acled_name of an event's source and target (implied ones too).

    Event.source and Event.target of a protest or riot are reordered first so that the crowd is the
    source and state forces told as its agent the target (crowd_first), as ACLED lists them. Which
    of two named actors ACLED lists first is then the order head's (acled_order: Acled.actor1).
    """
    place = fallback_country(event, countries, model, place_names, text, guess)
    acled_type = event.acled.event_type if event.acled else None
    source, target = event.source, event.target
    if source is not None and crowd_first(
        acled_type, source.sector, target.sector if target else None, event.type
    ):
        event = replace(event, source=target, target=source)
        source, target = event.source, event.target
    if source is not None or acled_type is not None:  # every event ACLED codes has an actor 1
        inter, p, decided_by = actor_type(model, event, "source")
        base = source or Actor("", None, None, implied_sector(event, inter), None, IMPLIED)
        source = typed_actor(base, inter, p, decided_by, place)
    if target is not None:
        target = typed_actor(target, *actor_type(model, event, "target"), place)
    elif acled_type is not None:  # the model says whether ACLED would code an actor 2 (NO_ACTOR)
        label, p = predict(model, actor_context(event, "target"), allow_none=True)
        # the unnamed other side of state forces is not state forces, and the model knows no better
        mirror = source is not None and source.inter == STATE_FORCES and label == str(STATE_FORCES)
        if label != NO_ACTOR and not mirror:
            inter = int(label)
            target = implied_actor(inter, p, model.label, place, implied_sector(event, inter))
    event = replace(event, source=source, target=target)
    first, p = acled_order(model, event)
    if first == "target" and event.acled is not None and target is not None:
        reason = f"{target.reason}; ACLED actor 1 by {model.label} (p={p:.2f})"
        acled = replace(event.acled, actor1=first)
        event = replace(event, acled=acled, target=replace(target, reason=reason))
    return event


def type_actors(
    events: list[Event],
    model: LearnedModel | None,
    countries: Sequence[str] = (),
    place_names: Sequence[str] = (),
    text: str = "",
) -> list[Event]:
    """Decide Actor.inter and Actor.acled_name of the actors of every event ACLED would code (with an
    ACLED type); None (rules) leaves them all.

    `countries`: the countries the document names, most named first (places.document_countries);
    `place_names`: the countries of its place names' most populous namesakes (named_place_countries);
    `text`: the document's text, which the country head reads.
    """
    if model is None:
        return events
    # the country head reads the document once, not once per event (linear in document length)
    guess = country_guess(model, text) if text and any(e.acled for e in events) else None
    # ACLED codes no consultations, appeals or statements: their actors get no ACLED type
    return [type_event(e, model, countries, place_names, text, guess) if e.acled else e for e in events]


def default_actor_folder() -> Path:
    """Return the folder of the actor model shipped in the package."""
    return Path(str(resources.files("eventcoder.resolve").joinpath("models", "actors")))


def load_actor_model(choice: str | None = None) -> LearnedModel | None:
    """Return the actor model asked for: a directory, "default" (shipped) or "rules" (None: no types).

    Raises:
        ModelNotFound: the directory holds no model.
    """
    chosen = choice or os.environ.get(ACTOR_MODEL_ENV) or "default"
    if chosen == "rules":
        return None
    folder = default_actor_folder() if chosen == "default" else Path(chosen)
    return load_model(str(folder))
