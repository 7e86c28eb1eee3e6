"""The words of an actor: the noun phrase a role's head word stands for, and the group it names.

What extract/ finds and resolve/ reads: spans of the text and the ontology's named groups, no
identity decided.
"""

from __future__ import annotations

from functools import lru_cache

from spacy.tokens import Span, Token

from eventcoder import ontology

# dependents that belong to another clause or phrase, never to the actor's noun phrase
OUTSIDE_PHRASE = frozenset(
    {"relcl", "acl", "advcl", "conj", "cc", "ccomp", "xcomp", "punct", "prep", "appos", "dep"}
)
KEEP_PREPOSITIONS = frozenset({"of"})


def phrase_tokens(token: Token) -> list[Token]:
    """Return the tokens of the noun phrase headed by token, without clauses and most prepositions."""
    found = [token]
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ in KEEP_PREPOSITIONS:
            found.append(child)
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    found.extend(phrase_tokens(pobj))
        elif child.dep_ == "appos" or child.dep_ not in OUTSIDE_PHRASE:
            found.extend(phrase_tokens(child))
    return sorted(found, key=lambda t: t.i)


@lru_cache(maxsize=1024)  # the same phrase is asked for by roles, actors and attribution
def phrase_span(token: Token) -> Span:
    """Return the contiguous span covering the actor's noun phrase, trimmed of punctuation."""
    tokens = phrase_tokens(token)
    doc = token.doc
    start, end = tokens[0].i, tokens[-1].i + 1
    while start < end - 1 and (doc[start].is_punct or doc[start].is_space):
        start += 1
    while end - 1 > start and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    if start > 0 and doc[start - 1].text in "[(" and any(t.text in "])" for t in doc[start:end]):
        start -= 1  # keep the bracket of "[Turkish] General Akar"
    return doc[start:end]


def group_of(span: Span) -> ontology.NamedActor | None:
    """Return the armed group named in the phrase (Islamic State, Daesh, Taliban ...)."""
    groups = ontology.named_actors()
    words = [t.text for t in span if not t.is_punct]
    for size in (4, 3, 2, 1):
        for i in range(len(words) - size + 1):
            text = " ".join(words[i : i + size])
            group = groups.get(text.lower())
            # short aliases ("IS") only when written in capitals
            if group and (len(text) > 3 or text.isupper()):
                return group
    return None
