"""Find the agent and patient of a trigger in the dependency tree: active, passive, nominal."""

from __future__ import annotations

from spacy.tokens import Span, Token

from eventcoder import ontology
from eventcoder.extract.triggers import token_pos

SUBJECTS = frozenset({"nsubj", "csubj"})
OBJECTS = frozenset({"dobj", "obj", "dative"})
PATIENT_PREPOSITIONS = frozenset({"on", "against", "at", "upon", "into"})
PARTNER_PREPOSITIONS = frozenset({"with", "to"})
AGENT_PREPOSITIONS = frozenset({"by"})
SYMMETRIC_TYPES = frozenset({"CONSULT", "AGREE", "COOPERATE"})
MATERIAL_CONFLICT = frozenset({"ASSAULT", "COERCE", "PROTEST", "SANCTION", "MOBILIZE"})
RECIPIENT_TYPES = frozenset({"AID", "MOBILIZE", "SUPPORT"})
SUBJECT_ACTS_TYPES = frozenset({"PROTEST"})
CLAIM_VERBS = frozenset({"claim", "admit", "accept"})
CLAIMED_NOUNS = frozenset({"responsibility", "credit", "attack", "bombing", "killing"})


def children(token: Token, deps: frozenset[str]) -> list[Token]:
    """Return the dependents of token with one of the given relations."""
    return [c for c in token.children if c.dep_ in deps]


def prep_objects(token: Token, prepositions: frozenset[str]) -> list[Token]:
    """Return objects of the given prepositions attached to token."""
    found: list[Token] = []
    for prep in token.children:
        if prep.dep_ in ("prep", "agent", "dative") and prep.lower_ in prepositions:
            found.extend(c for c in prep.children if c.dep_ == "pobj")
    return found


def is_weaponry(token: Token) -> bool:
    """Say whether a noun phrase names weapons fired or thrown ("dozens of rockets", "tear gas")."""
    table = ontology.weapons()
    return any(t.lower_ in table or t.lemma_.lower() in table for t in token.subtree)


def reduced_passive(verb: Token) -> bool:
    """Say whether a headline-style participle hides a passive: 'soldier killed', '2 shot dead'."""
    if any(c.lower_ == "dead" for c in verb.children) and not any(c.dep_ == "dobj" for c in verb.children):
        return any(c.dep_ in SUBJECTS for c in verb.children)
    if verb.tag_ != "VBN" or any(c.dep_ in ("aux", "auxpass", "dobj") for c in verb.children):
        return False
    return any(c.dep_ in SUBJECTS for c in verb.children)


def is_passive(token: Token) -> bool:
    """Say whether a verb is in the passive voice."""
    return any(c.dep_ in ("nsubjpass", "auxpass") for c in token.children)


def clause_subject(token: Token, depth: int = 0) -> Token | None:
    """Return who does what a verb says, looking up through conjunctions and complements."""
    if depth > 4:
        return None
    found = children(token, SUBJECTS)
    if found:
        return found[0]
    if is_passive(token):
        agents = prep_objects(token, frozenset({"by"}))
        return agents[0] if agents else None
    if token.dep_ == "xcomp" and is_passive(token.head):
        # "helicopters were reported to have attacked"
        reported = children(token.head, frozenset({"nsubjpass"}))
        if reported:
            return reported[0]
    if token.dep_ in ("conj", "xcomp") and token.head.i != token.i:
        return clause_subject(token.head, depth + 1)
    if token.dep_ in ("acl", "advcl", "pcomp") and token.head.i != token.i:
        head = token.head
        if head.dep_ == "prep":
            head = head.head
        if head.lemma_ in ontology.word_set("speech_verbs"):
            return None
        if token_pos(head) == "NOUN":
            return clause_subject(head.head, depth + 1) if head.head.i != head.i else None
        return clause_subject(head, depth + 1)
    return None


def governing_verb(noun: Token) -> Token | None:
    """Return the verb a nominal trigger hangs from: its own head, or through a preposition."""
    head = noun.head
    if head.i == noun.i:
        return None
    if head.dep_ in ("prep", "agent") or head.pos_ == "ADP":
        head = head.head
    return head if token_pos(head) == "VERB" else None


def verb_roles(verb: Token, event_type: str) -> tuple[Token | None, Token | None]:
    """Return (agent, patient) of a verbal trigger."""
    if verb.lemma_.lower() in ontology.word_set("victim_subject_verbs"):
        subject = children(verb, SUBJECTS)
        return None, subject[0] if subject else None
    # a crowd that protests is the actor of its protest, even where the tagger reads "protested" as VBN
    if event_type not in SUBJECT_ACTS_TYPES and reduced_passive(verb):  # "Six soldiers killed in attack"
        subject = children(verb, SUBJECTS)
        agents = prep_objects(verb, frozenset({"by"}))
        return (agents[0] if agents else None), (subject[0] if subject else None)
    if is_passive(verb):
        patients = children(verb, frozenset({"nsubjpass"}))
        agents = prep_objects(verb, frozenset({"by"}))
        return (agents[0] if agents else None), (patients[0] if patients else None)
    agent = clause_subject(verb)
    objects = children(verb, OBJECTS)
    if objects and is_weaponry(objects[0]):  # "fired rockets at Israel": weapons are never the patient
        objects = prep_objects(verb, PATIENT_PREPOSITIONS) or prep_objects(objects[0], PATIENT_PREPOSITIONS)
    if event_type in RECIPIENT_TYPES:
        objects = prep_objects(verb, frozenset({"to"})) or objects  # "sent supplies to Lebanon"
    if not objects:
        wanted = PATIENT_PREPOSITIONS | (
            PARTNER_PREPOSITIONS if event_type in SYMMETRIC_TYPES else frozenset()
        )
        if verb.lemma_.lower() in ontology.word_set("mutual_verbs"):
            wanted = wanted | frozenset({"with"})  # "troops clashed with fighters"
        objects = prep_objects(verb, wanted)
    patient = objects[0] if objects else None
    if patient is None and verb.dep_ in ("acl", "relcl") and token_pos(verb.head) == "NOUN":
        patient = verb.head if verb.tag_ == "VBN" else None
    if patient is None and verb.dep_ == "conj" and token_pos(verb.head) == "VERB":
        patient = verb_roles(verb.head, event_type)[1]
    return agent, patient


def noun_roles(noun: Token, event_type: str) -> tuple[Token | None, Token | None]:
    """Return (agent, patient) of a nominal trigger ("a Russian airstrike on X", "talks with Y")."""
    agent: Token | None = None
    sector_words = ontology.sectors()
    named = [
        c
        for c in noun.children
        if c.dep_ == "poss" or (c.dep_ in ("amod", "compound", "nmod") and c.text[:1].isupper())
    ]
    sectored = [
        c
        for c in noun.children
        if c.dep_ in ("amod", "compound", "nmod") and c.lemma_.lower() in sector_words
    ]
    if named or sectored:
        agent = (named or sectored)[0]  # "Russian airstrike", "Russia's strike", "army shelling"
    by = prep_objects(noun, AGENT_PREPOSITIONS)
    for participle in children(noun, frozenset({"acl"})):
        by = by or prep_objects(participle, AGENT_PREPOSITIONS)  # "drones launched by the RSF"
    if by:
        agent = by[0]
    between = prep_objects(noun, frozenset({"between"}))
    if between:
        partner = next((c for c in between[0].children if c.dep_ == "conj"), None)
        return between[0], partner  # "clashes between farmers and herders"
    verb = governing_verb(noun)
    # who says, condemns or investigates an attack ("Obama condemned the attack") did not do it
    speech = ontology.word_set("speech_verbs") | ontology.word_set("reaction_verbs")
    suffering = verb is not None and (
        verb.lemma_.lower() in ontology.word_set("victim_subject_verbs")
        or (is_passive(verb) and noun.dep_ != "dobj")
    )
    if (
        agent is None
        and verb is not None
        and noun.dep_ != "nsubj"
        and (
            verb.lemma_.lower() not in speech
            or verb.lemma_.lower() in ontology.word_set("authoritative_verbs")
        )
        and not suffering  # "three soldiers died in the attack": they are its victims
    ):
        agent = clause_subject(verb)
        if agent is not None and agent.i == noun.i:
            agent = None
    wanted = PATIENT_PREPOSITIONS | frozenset({"of", "with"})
    if event_type in SYMMETRIC_TYPES:
        wanted = PARTNER_PREPOSITIONS
    elif event_type not in MATERIAL_CONFLICT:
        wanted = PARTNER_PREPOSITIONS | PATIENT_PREPOSITIONS
    objects = prep_objects(noun, wanted)
    if not objects and verb is not None and noun.dep_ in OBJECTS:
        objects = prep_objects(verb, PARTNER_PREPOSITIONS)
    patient = objects[0] if objects else None
    if patient is not None and patient.i == (agent.i if agent is not None else -1):
        patient = None
    return agent, patient


def find_roles(trigger: Token, event_type: str) -> tuple[Token | None, Token | None]:
    """Decide who acts (source) and who is acted upon (target) for one trigger."""
    if token_pos(trigger) == "VERB":
        return verb_roles(trigger, event_type)
    return noun_roles(trigger, event_type)


def conjoined(token: Token) -> Token | None:
    """Return the first actor coordinated with this one ("Russia and Turkey")."""
    for child in token.children:
        if child.dep_ == "conj":
            return child
    return None


def is_claim(verb: Token) -> bool:
    """Say whether a verb claims an attack: 'X claimed responsibility', 'the attack was claimed by X'."""
    if verb.lemma_.lower() not in CLAIM_VERBS:
        return False
    if is_passive(verb):
        return bool(prep_objects(verb, AGENT_PREPOSITIONS))
    return any(c.dep_ in OBJECTS and c.lemma_.lower() in CLAIMED_NOUNS for c in verb.children)


def claimant(sentence: Span) -> Token | None:
    """Decide Event.source of an attack told without its agent: whoever claims it in the sentence."""
    for token in sentence:
        if not is_claim(token):
            continue
        if is_passive(token):
            return prep_objects(token, AGENT_PREPOSITIONS)[0]
        subjects = children(token, SUBJECTS)
        if subjects:
            return subjects[0]
    return None


def is_victim(agent: Token, patient: Token | None) -> bool:
    """Say whether an agent found for a trigger is in fact who suffers it: a victim is never the agent."""
    if patient is not None and agent.i == patient.i:
        return True
    if agent.dep_ == "nsubjpass":
        return True  # "two soldiers were killed ...": whatever the trigger, they suffered
    return agent.dep_ in SUBJECTS and agent.head.lemma_.lower() in ontology.word_set("victim_subject_verbs")
