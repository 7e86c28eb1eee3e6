"""Sport, business, culture, weather and entertainment news must not become violence.

Each line of tests/data/nonviolent.txt is a non-political sentence full of violent metaphors
("a bomb at the box office") or natural hazards (storms, floods: not political violence). The
real pipeline codes them all; none may yield a violent event: PLOVER ASSAULT, or an ACLED
event type among Battles, Violence against civilians, Explosions/Remote violence, Riots.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from eventcoder.evaluate.score import is_violent
from eventcoder.records import Document, Event

SENTENCES = [
    line.strip()
    for line in (Path(__file__).parent / "data" / "nonviolent.txt").read_text("utf-8").splitlines()
    if line.strip()
]


@pytest.fixture(scope="module")
def coded() -> dict[str, list[Event]]:
    """Code every sentence once with the real pipeline."""
    from eventcoder.pipeline import code_documents

    documents = [Document(id=str(i), text=text) for i, text in enumerate(SENTENCES)]
    return {doc.text: events for doc, events in code_documents(documents)}


def test_nonviolent_has_enough_sentences():
    assert len(SENTENCES) >= 40
    assert len(set(SENTENCES)) == len(SENTENCES)


@pytest.mark.slow
@pytest.mark.parametrize("sentence", SENTENCES)
def test_nonviolent_sentence_has_no_violent_event(coded, sentence):
    violent = [
        (e.type, e.mode, e.acled.event_type if e.acled else None) for e in coded[sentence] if is_violent(e)
    ]
    assert violent == []
