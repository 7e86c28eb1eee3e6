"""Find event triggers in a parsed sentence with the ontology's trigger lexicon."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache

from spacy.tokens import Span, Token

from eventcoder import ontology
from eventcoder.extract.phrases import group_of
from eventcoder.nlp import span_text, token_words
from eventcoder.ontology import Condition, TriggerRow

VERB_TAGS = frozenset({"VERB", "AUX"})
NOUN_TAGS = frozenset({"NOUN", "PROPN"})
SPEECH_ACT_TYPES = frozenset({"ACCUSE", "REQUEST", "THREATEN", "REJECT", "SUPPORT", "AGREE"})
ARMED_GROUP_SECTORS = frozenset({"MIL", "COP", "REB", "PRM", "UAF", "SPY"})


@dataclass(frozen=True, slots=True)
class Trigger:
    """A token that the lexicon says states an event, with its lexicon row."""

    token: Token
    row: TriggerRow


def token_pos(token: Token) -> str | None:
    """Return VERB or NOUN for the lexicon's purposes, else None."""
    if token.pos_ in VERB_TAGS or token.tag_.startswith("VB"):
        return "VERB"
    if token.pos_ in NOUN_TAGS:
        return "NOUN"
    return None


def word_forms(token: Token) -> tuple[str, ...]:
    """Return the lemma and lower-case form of a token (lemmas fail on title case)."""
    lemma = token.lemma_.lower()
    lower = token.lower_
    return (lemma, lower) if lemma != lower else (lemma,)


def patient_of(token: Token) -> Token | None:
    """Return what a trigger acts upon: object, passive subject, or 'of'/'on' object."""
    passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in token.children)
    if token.tag_ == "VBN" and not any(c.dep_ in ("aux", "auxpass", "dobj") for c in token.children):
        subjects = [c for c in token.children if c.dep_ == "nsubj"]
        if subjects:
            return subjects[0]  # "Six soldiers killed in attack"
    for child in token.children:
        if passive and child.dep_ == "nsubjpass":
            return child
        if not passive and child.dep_ in ("dobj", "obj"):
            return child
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ in ("of", "on", "against", "at"):
            objects = [c for c in child.children if c.dep_ == "pobj"]
            if objects:
                return objects[0]
    if token.dep_ in ("amod", "acl", "relcl") and token.head.pos_ in NOUN_TAGS:
        return token.head  # "the killed soldiers", "soldiers killed in ..."
    if token.dep_ == "conj":
        return patient_of(token.head) if token.head.pos_ == token.pos_ else None
    return None


def person_like(token: Token) -> bool:
    """Say whether a noun looks like people: counted ("four members") or a person-word ("musician")."""
    if token.pos_ not in NOUN_TAGS or token.lemma_.lower() in ontology.word_set("not_persons"):
        return False
    if any(c.dep_ == "nummod" for c in token.children):
        return True
    return token.lower_.endswith(tuple(ontology.word_set("person_suffixes")))


@cache
def _amount_words() -> frozenset[str]:
    """Return the words of an amount whose "of" says who ("dozens of", "a total of"), once."""
    return ontology.word_set("vague_numbers") | {"total", "number"}


@cache
def _people_words() -> frozenset[str]:
    """Return the person nouns and the sector words (words.json, sectors.csv), once."""
    return ontology.word_set("person_nouns") | set(ontology.sectors())


def is_kind(token: Token, kind: str) -> bool:
    """Say whether a token names a person/group, an aircraft or a building."""
    forms = set(word_forms(token))
    if kind in ("person", "group") and forms & _amount_words():
        return any(  # "dozens of civilians"
            is_kind(pobj, kind) for prep in token.children if prep.lower_ == "of" for pobj in prep.children
        ) or not any(c.lower_ == "of" for c in token.children)
    if kind in ("person", "group"):
        if token.like_num or token.ent_type_ in ("PERSON", "NORP"):
            return True
        if person_like(token):
            return True
        people = _people_words()
        if token.lemma_.lower() not in ontology.word_set("not_persons") and any(
            c.dep_ == "compound" and set(word_forms(c)) & people for c in token.children
        ):
            return True  # "one police conscript", "army recruits": a modifier that names people says who
        if token.lower_ in ontology.named_actors():
            return True
        return bool(forms & people)
    if kind == "aircraft":
        return bool(forms & ontology.word_set("aircraft_nouns"))
    if kind == "building":
        return bool(forms & ontology.word_set("building_nouns"))
    return False


@lru_cache(maxsize=32)
def sentence_words(sentence: Span) -> tuple[frozenset[str], str]:
    """Return the lower-case forms and lemmas of a sentence's words, and its lower-case text, once
    per sentence."""
    forms = frozenset(form for token in sentence for form in (token.lower_, token.lemma_.lower()))
    return forms, span_text(sentence).lower()


@lru_cache(maxsize=32)
def sentence_lemmas(sentence: Span) -> frozenset[str]:
    """Return the lower-case lemmas of a sentence's words, once per sentence."""
    return frozenset(token.lemma_.lower() for token in sentence)


def sentence_has(sentence: Span, list_name: str) -> bool:
    """Say whether the sentence contains a word or group name of a words.json list."""
    wanted = ontology.word_set(list_name)
    forms, text = sentence_words(sentence)
    if list_name == "riot_context" and "effigy" in text:
        return False  # burning an effigy is a peaceful protest's act
    if list_name == "armed_context":
        group = group_of(sentence)
        if group is not None and group.sector in ARMED_GROUP_SECTORS:
            return True
    if not wanted.isdisjoint(forms):
        return True
    return any(f" {phrase} " in f" {text} " for phrase in wanted if " " in phrase)  # "turned violent"


def heads_of(token: Token) -> list[Token]:
    """Return the governing word, looking through prepositions and conjunctions."""
    head = token.head
    found = [head]
    if head.dep_ in ("prep", "agent") or head.pos_ == "ADP" or token.dep_ == "conj":
        found.append(head.head)
    return found


def meets(token: Token, condition: Condition, sentence: Span) -> bool:
    """Say whether a trigger token meets one condition of its lexicon row."""
    values = condition.values
    if condition.kind == "child":
        near = [*token.children]
        near.extend(g for c in token.children if c.dep_ in ("prep", "agent") for g in c.children)
        return any(set(word_forms(c)) & values for c in near)
    if condition.kind == "head":
        return any(set(word_forms(h)) & values for h in heads_of(token) if h.i != token.i)
    if condition.kind == "patient":
        patient = patient_of(token)
        return patient is not None and any(is_kind(patient, kind) for kind in values)
    if condition.kind == "bare":  # "on strike": no article or adjective of its own
        return not any(c.dep_ in ("det", "amod", "poss") for c in token.children)
    if condition.kind == "unless":
        return sentence_lemmas(sentence).isdisjoint(values)
    if condition.kind == "ctx":
        return all(sentence_has(sentence, f"{name}_context") for name in values)
    raise ValueError(f"unknown condition {condition.kind!r} in triggers.csv")


def match_row(token: Token, sentence: Span) -> TriggerRow | None:
    """Return the first lexicon row whose lemma, part of speech and conditions fit the token."""
    pos = token_pos(token)
    if pos is None:
        return None
    table = ontology.triggers()
    forms = word_forms(token)
    if pos == "NOUN" and token.lower_.endswith("s"):
        forms = (*forms, token.lower_[:-1])  # "Protests" as a proper noun keeps its plural lemma
    for form in forms:
        for row in table.get((form, pos), ()):
            if all(meets(token, c, sentence) for c in row.needs):
                return row
    return None


def find_triggers(sentence: Span) -> list[Trigger]:
    """Decide Event.type, Event.mode and Event.cameo candidates: every lexicon trigger in the sentence."""
    found = []
    words = token_words(sentence.doc)[0]
    for token in sentence:
        if token.ent_type_ in ("DATE", "TIME"):
            continue  # "On March 9" is no march
        i = token.i
        if i >= 2 and words[i - 1] == "-" and words[i - 2].lower() in ontology.word_set("negating_prefixes"):
            continue  # "non-coordination" is the absence of the event
        row = match_row(token, sentence)
        if row is not None and row.type in SPEECH_ACT_TYPES and token.dep_ == "acl" and token.tag_ == "VBN":
            continue  # "a man accused of spying" describes the man; nobody accuses here
        if row is not None:
            found.append(Trigger(token, row))
    return found
