"""One sentence becomes its event mentions: nominal triggers fold into their verbs, one per event."""

from __future__ import annotations

import pytest

from eventcoder.extract.mentions import document_mentions
from eventcoder.records import Actor


def code(actor: Actor | None) -> str | None:
    """Return an actor's CAMEO-style code, or None for no actor."""
    return actor.code if actor is not None else None


def test_mentions_killed_and_wounded_is_one_event(code_mentions):
    mentions = code_mentions("The gunmen killed three soldiers and wounded 11 others.")
    assert [(m.kind.type, m.fatalities, m.injuries) for m in mentions] == [("ASSAULT", 3, 11)]


def test_mentions_others_with_their_own_predicate_are_not_counted_twice(nlp):
    # "3 others injured" is the subject of its own participle, not a second object of "killed"
    doc = nlp("3 people were killed and 3 others injured during an attack by Nyatura fighters.")
    killed = next(m for m in document_mentions(doc) if m.trigger is not None and m.trigger.text == "killed")
    assert (killed.fatalities, killed.injuries) == (3, 3)


@pytest.mark.parametrize(
    ("text", "tolls"),
    [
        ("Attackers stabbed five people at a market in Multan.", (None, 5)),  # a stabbing wounds
        ("Two people were stabbed to death and three were stabbed in Multan.", (2, 3)),
        ("Gunmen fatally shot two police officers in Kano on Sunday.", (2, None)),
        ("Police shot dead three robbers in Lagos.", (3, None)),
    ],
)
def test_mentions_a_stabbing_wounds_unless_told_fatal(code_mentions, text, tolls):
    (mention,) = code_mentions(text)
    assert (mention.fatalities, mention.injuries) == tolls


def test_mentions_wounds_counted_are_no_people(code_mentions):
    # "eight stab wounds" are one man's wounds: no toll of eight dead or wounded
    mentions = code_mentions("Gunmen attacked a reporter in Quetta. The reporter suffered eight stab wounds.")
    assert [(m.fatalities, m.injuries) for m in mentions if m.kind.type == "ASSAULT"] == [(None, None)]


def test_mentions_nominal_trigger_folds_into_its_verb(code_mentions):
    (mention,) = code_mentions("A Russian airstrike killed 34 Turkish soldiers in Idlib.", ("TUR", "SYR"))
    assert (mention.kind.type, mention.kind.mode, mention.kind.cameo) == ("ASSAULT", "aerial", "195")
    assert (code(mention.source), code(mention.target), mention.fatalities) == ("RUSMIL", "TURMIL", 34)
    assert mention.location is not None
    assert (mention.location.name, mention.location.country) == ("Idlib", "SYR")


def test_mentions_passive_bombing_has_no_source(code_mentions):
    (mention,) = code_mentions("Thirty people were killed by the bombing.")
    assert (mention.kind.mode, mention.source, mention.fatalities) == ("explosives", None, 30)


def test_mentions_threatened_attack_is_the_threat(code_mentions):
    mentions = code_mentions("Hezbollah threatened to attack Israeli troops.")
    assert [(m.kind.type, code(m.source), code(m.target)) for m in mentions] == [
        ("THREATEN", "LBNREB", "ISRMIL")
    ]


@pytest.mark.parametrize(
    ("text", "pair"),
    [
        ("The Russian and Turkish presidents met in Moscow.", ("RUSGOV", "TURGOV")),
        (
            "Russian President Vladimir Putin met with his Turkish counterpart in Moscow.",
            ("RUSGOV", "TURGOV"),
        ),
        ("Police arrested 20 protesters in Ankara.", ("COP", "CVL")),
    ],
)
def test_mentions_source_and_target(code_mentions, text, pair):
    (mention,) = code_mentions(text, ("TUR", "RUS"))
    assert (code(mention.source), code(mention.target)) == pair


def test_mentions_negation_reaches_the_record(code_mentions):
    (mention,) = code_mentions("Russian troops did not attack the convoy.")
    assert mention.flags.negated
    assert not mention.flags.hypothetical


def test_mentions_spans_slice_the_text(code_mentions):
    text = "It rained on Monday. Rebels attacked the army base near Aleppo."
    (mention,) = code_mentions(text, ("SYR",))
    assert mention.trigger.text == text[mention.trigger.start : mention.trigger.end] == "attacked"
    assert mention.sentence.text == text[mention.sentence.start : mention.sentence.end]
    assert mention.sentence.text == "Rebels attacked the army base near Aleppo."


@pytest.mark.xfail(
    reason="'drone' (head 'strike') and 'strike' (child 'drone') both fire; the strike row "
    "child:air|aerial|drone|missile gives mode aerial, and the drone mention is not linked to "
    "'killed', so the sentence yields two mentions",
    strict=True,
)
def test_mentions_drone_strike_is_one_drone_event(code_mentions):
    mentions = code_mentions("A Turkish drone strike killed five militants.")
    assert [(m.kind.mode, code(m.source), m.fatalities) for m in mentions] == [("drone", "TURMIL", 5)]


@pytest.mark.parametrize(
    ("text", "trigger", "kind", "findings"),
    [
        # extraction gives the trigger's reading; a crowd's arson is a finding, not a riot yet
        ("Protesters set fire to the police station.", "set", ("ASSAULT", "destroy"), {"crowd agent"}),
        ("Soldiers burned houses in the village.", "burned", ("ASSAULT", "destroy"), set()),
        (
            "Houses were torched overnight in the town.",
            "torched",
            ("ASSAULT", "destroy"),
            {"unclaimed crude violence"},
        ),
        (
            "Thousands of workers filled the streets, demanding higher wages.",
            "demanding",
            ("REQUEST", None),
            {"crowd agent", "gerund"},
        ),
        ("The spokesman demanded the release of the prisoners.", "demanded", ("REQUEST", None), set()),
    ],
)
def test_mentions_give_the_trigger_reading_and_its_findings(nlp, text, trigger, kind, findings):
    (mention,) = [
        m for m in document_mentions(nlp(text)) if m.trigger is not None and m.trigger.text == trigger
    ]
    assert (mention.kind.type, mention.kind.mode) == kind
    assert findings <= mention.findings
    assert not ({"crowd agent", "unclaimed crude violence", "gerund"} - findings) & mention.findings
