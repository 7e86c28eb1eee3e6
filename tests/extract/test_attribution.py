"""Who the text says an event comes from goes to attributed_to and never becomes the source."""

from __future__ import annotations

from typing import Any

import pytest

from eventcoder.extract.attribution import find_attribution
from eventcoder.extract.triggers import find_triggers


def speakers(nlp: Any, text: str, word: str) -> list[str]:
    """Return the attribution spans of the trigger written as word."""
    doc = nlp(text)
    trigger = next(t for t in find_triggers(doc[:]) if t.token.text == word)
    return [span.text for span in find_attribution(trigger.token, doc[:])]


@pytest.mark.parametrize(
    ("text", "word", "said_by"),
    [
        ("Rebels attacked the army base on Monday.", "attacked", []),
        ("Turkish officials said Russian jets struck the convoy.", "struck", ["Turkish officials"]),
        ("Rebels attacked the army base, the army said.", "attacked", ["the army"]),
        ("Moscow confirmed that Russian jets struck the convoy.", "struck", ["Moscow"]),
        ("According to the governor, rebels attacked the army base.", "attacked", ["the governor"]),
        ("Rebels attacked the army base, according to Turkish officials.", "attacked", ["Turkish officials"]),
        (
            "The ministry said and the governor confirmed that rebels attacked the army base.",
            "attacked",
            ["The ministry", "the governor"],
        ),
    ],
)
def test_attribution_speakers(nlp, text, word, said_by):
    assert speakers(nlp, text, word) == said_by


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("Turkish officials said Russian jets struck the convoy.", "Turkish officials"),
        ("The governor said the army base was attacked.", "The governor"),
        ("Moscow confirmed the airstrike on the convoy.", "Moscow"),
        ("According to the governor, rebels attacked the army base.", "the governor"),
    ],
)
def test_attribution_speaker_never_the_source(code_mentions, text, speaker):
    mentions = [m for m in code_mentions(text) if m.kind.type == "ASSAULT"]
    assert mentions, "the sentence states an assault"
    for mention in mentions:
        assert speaker in mention.attributed_to
        assert mention.source is None or speaker not in mention.source.text


def test_attribution_source_is_the_reported_actor(code_mentions):
    (mention,) = code_mentions("Turkish officials said Russian jets struck the convoy.")
    assert mention.source is not None
    assert (mention.source.country, mention.attributed_to) == ("RUS", ("Turkish officials",))
