"""Find who the text says an event comes from ("X said", "according to X", quotes)."""

from __future__ import annotations

from spacy.tokens import Span, Token

from eventcoder import ontology
from eventcoder.extract.phrases import phrase_span
from eventcoder.extract.roles import is_claim
from eventcoder.extract.triggers import sentence_words

SPEAKER_DEPS = frozenset({"nsubj", "nsubjpass"})


def speakers_of(verb: Token) -> list[Span]:
    """Return the subjects of a speech verb and of speech verbs coordinated with it."""
    found = []
    for child in verb.children:
        if child.dep_ in SPEAKER_DEPS:
            found.append(phrase_span(child))
        elif child.dep_ == "conj" and child.lemma_.lower() in ontology.word_set("speech_verbs"):
            found.extend(speakers_of(child))
    return found


def according_to(sentence: Span, trigger: Token) -> list[Span]:
    """Return the X of every 'according to X' that governs the trigger's clause."""
    found: list[Span] = []
    if "according" not in sentence_words(sentence)[0]:
        return found  # most sentences: no token to walk
    governing = {trigger.i, *(a.i for a in trigger.ancestors)}
    for token in sentence:
        if token.lower_ == "according" and token.head.i in governing:
            for prep in token.children:
                found.extend(phrase_span(p) for p in prep.children if p.dep_ == "pobj")
    return found


def find_attribution(trigger: Token, sentence: Span) -> list[Span]:
    """Decide Event.attributed_to: the speakers whose speech contains the trigger."""
    speech = ontology.word_set("speech_verbs")
    spans: list[Span] = []
    current = trigger
    while current.head.i != current.i:
        child, current = current, current.head
        if current.lemma_.lower() in speech and child.dep_ not in SPEAKER_DEPS and not is_claim(current):
            spans.extend(speakers_of(current))  # who claims an attack is its source, not a speaker
    for ancestor in [trigger, *trigger.ancestors]:
        for child in ancestor.children:
            if child.dep_ in ("parataxis", "advcl") and child.lemma_.lower() in speech:
                spans.extend(speakers_of(child))
    spans.extend(according_to(sentence, trigger))
    unique: dict[int, Span] = {}
    for span in spans:
        if not (span.start <= trigger.i < span.end):
            unique.setdefault(span.start, span)
    return [unique[k] for k in sorted(unique)]
