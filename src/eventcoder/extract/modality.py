"""Decide whether a mention is negated, hypothetical or accidental from the words around its trigger."""

from __future__ import annotations

from spacy.tokens import Token

from eventcoder import ontology

INTENT_TYPES = frozenset({"AGREE", "THREATEN", "REQUEST", "REJECT", "ACCUSE", "SUPPORT"})
CLAUSE_LINKS = frozenset({"xcomp", "ccomp", "dobj", "pcomp", "advcl", "acl", "relcl", "pobj", "prep"})


def ancestors_in_clause(token: Token, limit: int = 4) -> list[Token]:
    """Return the heads above a trigger through complements, nearest first, up to a limit."""
    found = []
    current = token
    for _ in range(limit):
        if current.head.i == current.i or current.dep_ not in CLAUSE_LINKS | {"conj"}:
            break
        current = current.head
        found.append(current)
    return found


def is_negated(trigger: Token) -> bool:
    """Decide Event.flags.negated: 'did not attack', 'no attack', 'denied carrying out the strike'."""
    if any(c.dep_ == "neg" or (c.dep_ == "det" and c.lower_ == "no") for c in trigger.children):
        return True
    if trigger.dep_ in ("xcomp", "conj", "attr", "dobj") and any(
        c.dep_ == "neg" for c in trigger.head.children
    ):
        return True  # "did not launch an attack", "was not an attack"
    negators = ontology.word_set("negating_verbs")
    return any(a.lemma_.lower() in negators for a in ancestors_in_clause(trigger))


def is_hypothetical(trigger: Token, event_type: str) -> bool:
    """Decide Event.flags.hypothetical: threatened, planned, future or conditional."""
    if event_type in INTENT_TYPES:
        return False  # an agreement or threat is itself the event, whatever its tense
    words = ontology.words()
    for child in trigger.children:
        if child.dep_ == "aux" and child.lower_ in words["hypothetical_aux"]:
            return True
        if child.dep_ == "mark" and child.lower_ in words["conditional_marks"]:
            return True
    if trigger.dep_ in ("dobj", "attr", "pobj", "nsubjpass") and trigger.head.i != trigger.i:
        verb = trigger.head.head if trigger.dep_ == "pobj" else trigger.head
        if any(c.dep_ == "aux" and c.lower_ in words["hypothetical_aux"] for c in verb.children):
            return True  # "will launch a ground offensive"
    heads = set(words["hypothetical_heads"])
    for ancestor in ancestors_in_clause(trigger, limit=2):
        if ancestor.lemma_.lower() in heads:
            return True
        if any(c.dep_ == "mark" and c.lower_ in words["conditional_marks"] for c in ancestor.children):
            return True
    # "a mission to destroy X" is planned; "staged a sit-in to protest" is what happened
    infinitive = any(c.dep_ == "aux" and c.lower_ == "to" for c in trigger.children)
    return infinitive and trigger.dep_ in ("acl", "relcl") and trigger.head.lemma_.lower() in heads


def is_accidental(trigger: Token) -> bool:
    """Decide Event.flags.accidental: 'accidentally killed', 'an unintentional strike', 'by mistake'."""
    words = ontology.word_set("accident_words")
    near = list(trigger.children)
    if trigger.head.i != trigger.i:
        near.append(trigger.head)
        near.extend(c for c in trigger.head.children if c.dep_ in ("advmod", "amod", "prep"))
    for token in near:
        forms = {token.lower_, token.lemma_.lower()}
        if forms & words:
            return True
        if token.dep_ in ("prep", "agent") and any(
            c.lower_ in words or c.lemma_.lower() in words for c in token.subtree
        ):
            return True
    return False
