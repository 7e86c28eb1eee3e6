"""Where the learned model may not fall below the rules: a killing the text states is an event.

The shipped model reads some headline-like sentences ("Old man killed after fire ...") as no
event; the rules read the killing and its toll off the words, and their decision stands there.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from eventcoder.classify.decide import BACKED_OFF, states_killing
from eventcoder.evaluate.score import is_violent
from eventcoder.records import Event, EventType, Flags, Mention, Span

# the shipped model gives each of these "no event" (p 0.45-0.59 of the joint mass)
STATED_KILLINGS = [
    "Old man killed after fire from across the river.",
    "Teenage boy killed after firing across the line of control.",
]
NEGATED_KILLING = "Old man not killed after fire from across the river, police said."


@pytest.fixture(scope="module")
def coded() -> dict[str, list[Event]]:
    """Code each sentence once with the real pipeline and the shipped model."""
    from eventcoder.pipeline import code_documents
    from eventcoder.records import Document

    texts = [*STATED_KILLINGS, NEGATED_KILLING]
    documents = [Document(id=str(i), text=text) for i, text in enumerate(texts)]
    return {doc.text: events for doc, events in code_documents(documents, model="default")}


@pytest.mark.slow
@pytest.mark.parametrize("sentence", STATED_KILLINGS)
def test_decide_rules_floor_stated_killing_is_an_event(coded, sentence):
    (event,) = coded[sentence]
    assert (event.type, event.fatalities, is_violent(event)) == ("ASSAULT", 1, True)
    assert "against a stated killing" in event.reason
    assert BACKED_OFF in event.reason


@pytest.mark.slow
def test_decide_rules_floor_negated_killing_stays_the_models(coded):
    assert [e for e in coded[NEGATED_KILLING] if is_violent(e) and not e.flags.negated] == []


def killing(**changes: object) -> Mention:
    """Return the rules' reading of 'A trader was shot dead', with changes."""
    text = "A trader was shot dead."
    told = Span(0, len(text), text)
    kind = EventType("ASSAULT", "firearms", "190")
    base = Mention("doc", kind, told, told, None, None, None, None, 1, None, Flags(), (), 0.5)
    return replace(base, **changes)  # type: ignore[arg-type]  # the cases pass Mention fields


@pytest.mark.parametrize(
    ("changes", "stated"),
    [
        ({}, True),
        ({"fatalities": None}, False),
        ({"fatalities": 0}, False),
        ({"kind": EventType("COERCE", "arrest", "173")}, False),
        ({"flags": Flags(negated=True)}, False),
        ({"flags": Flags(hypothetical=True)}, False),
        ({"flags": Flags(accidental=True)}, False),
        ({"flags": Flags(historical=True)}, False),
    ],
)
def test_decide_rules_floor_states_killing_needs_a_toll_told_as_fact(changes, stated):
    assert states_killing(killing(**changes)) is stated
