"""Read the numbers of killed and wounded a trigger states, in words or digits."""

from __future__ import annotations

import re
from functools import lru_cache

from spacy.tokens import Span, Token

from eventcoder import ontology

DIGITS = re.compile(r"^\d{1,3}(?:[,.]\d{3})*$|^\d+$")


def number_value(token: Token) -> int | None:
    """Return the integer a number token states ("three", "11", "1,200"), else None."""
    text = token.lower_
    if DIGITS.match(text):
        return int(re.sub(r"[,.]", "", text))
    words = ontology.words()["number_words"]
    if "-" in text and all(part in words for part in text.split("-")):
        return sum(int(words[part]) for part in text.split("-"))  # "twenty-three"
    if text in words:
        value = int(words[text])
        for child in token.children:
            if child.lower_ in words and child.i < token.i:
                left = int(words[child.lower_])
                # "two hundred" multiplies; "twenty three" adds
                value = left * value if value >= 100 else left + value
        return value
    multipliers = ontology.words()["multipliers"]
    if text in multipliers:
        base = [number_value(c) for c in token.children if c.dep_ in ("compound", "nummod")]
        first = next((b for b in base if b is not None), None)
        return first * int(multipliers[text]) if first is not None else None
    return None


def count_of(token: Token | None) -> int | None:
    """Return how many people a noun phrase names, adding coordinated groups ("two ... and three ...")."""
    if token is None:
        return None
    total = single_count(token)
    for child in token.children:
        if child.dep_ == "conj" and total is not None:
            more = single_count(child)
            total = total + more if more is not None else total
    return total


def single_count(token: Token) -> int | None:
    """Return how many people one noun names: 'three soldiers' 3, '11 others' 11, 'no one' 0."""
    if token.lemma_.lower() in ontology.word_set("quantity_nouns"):  # "a total of 89 children"
        for prep in token.children:
            if prep.lower_ == "of":
                return next((count_of(p) for p in prep.children if p.dep_ == "pobj"), None)
    if token.lower_ in ontology.word_set("zero_words"):
        return 0  # "nobody", "none"
    if token.lower_ == "one" and any(c.lower_ == "no" for c in token.children):
        return 0  # "no one"
    if token.lower_ in ("himself", "herself"):
        return 1  # "killing himself and 4 others"
    if token.like_num:
        return number_value(token)
    if token.lower_ in ontology.word_set("vague_numbers"):
        return None
    for child in token.children:
        if child.dep_ == "nummod":
            value = number_value(child)
            if value is not None:
                return value
        if child.dep_ == "det" and child.lower_ == "no":
            return 0
    for child in token.children:
        if child.dep_ == "det" and child.lower_ in ("a", "an") and token.tag_ == "NN":
            return 1
    return None


def to_death(trigger: Token) -> bool:
    """Say whether the trigger states a death: 'beaten to death', 'shot dead', 'fatally stabbed'."""
    for child in trigger.children:
        if child.lower_ in ("dead", "fatally"):
            return True
        if child.dep_ == "prep" and child.lower_ == "to" and any(g.lemma_ == "death" for g in child.children):
            return True
    return False


def casualty_kind(token: Token) -> str | None:
    """Say whether a trigger word states deaths ('killed', 'stabbed to death') or injuries
    ('wounded', 'stabbed'), else None."""
    if to_death(token):
        return "killed"
    forms = {token.lemma_.lower(), token.lower_}
    if forms & ontology.word_set("kill_lemmas"):
        return "killed"
    if forms & ontology.word_set("wound_lemmas"):
        return "wounded"
    return None


def counts_wounds(token: Token) -> bool:
    """Say whether a casualty word is (or qualifies) the noun "wound": "eight stab wounds" counts
    the wounds of one person, not people wounded."""
    noun = token.head if token.dep_ in ("compound", "amod") else token
    return noun.pos_ == "NOUN" and noun.lemma_.lower() == "wound"


@lru_cache(maxsize=32)  # each candidate of a sentence asks
def stated_casualties(sentence: Span) -> tuple[int | None, int | None]:
    """Decide Event.fatalities / Event.injuries from "left 18 people dead", "eight were injured"."""
    killed = wounded = None
    for token in sentence:
        if token.pos_ not in ("ADJ", "VERB", "NOUN"):
            continue  # asked first: casualty_kind walks the token's children
        kind = casualty_kind(token)
        if kind is None or counts_wounds(token):
            continue
        value = None
        for left in reversed(sentence.doc[max(sentence.start, token.i - 6) : token.i]):
            if left.like_num:
                before = left.nbor(-1).lower_ if left.i > 0 else ""
                value = 0 if before == "no" else number_value(left)  # "no one was killed"
                break
            if left.is_punct or (
                left.pos_ == "VERB" and left.lemma_ not in ontology.word_set("hearsay_verbs")
            ):
                break
            if left.lower_ not in ontology.word_set("casualty_skip") and left.pos_ not in (
                "ADJ",
                "NOUN",
                "PROPN",
                "AUX",
            ):
                break
        if value is None:
            continue
        if kind == "killed" and killed is None:
            killed = value
        elif kind == "wounded" and wounded is None:
            wounded = value
    return killed, wounded
