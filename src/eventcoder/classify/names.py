"""Names masked out of what an event model reads: the words that differ most between regions.

Names of places, people and groups ("Dhaka", "Maiduguri", "BNP") differ most between regions
and least between event types: a model that learns from them transfers worse to a region it
never saw. A model trained with `mask_names` (model.json) reads each capitalised word inside a
sentence as one placeholder; the first word of a sentence keeps its own form.

Kept apart from features.py, whose bytes key the rules' cache (train.rules_version): masking
names changes no feature the rules find.
"""

from __future__ import annotations

import re

NAME = "Xx"  # what a capitalised word inside a sentence becomes
WORD = re.compile(r"[^\W\d_]+", re.UNICODE)  # features.WORD without digits, which are never names
SENTENCE_START = frozenset(".!?:;\"'(")  # a capital after these, or first in the text, opens a sentence


def is_inside(text: str, start: int) -> bool:
    """Say whether the word at `start` sits inside a sentence (not first, not after a full stop)."""
    before = text[:start].rstrip()
    return bool(before) and before[-1] not in SENTENCE_START


def mask_names(text: str) -> str:
    """Return the text with each capitalised word inside a sentence replaced by NAME."""
    return WORD.sub(
        lambda m: NAME if m.group(0)[:1].isupper() and is_inside(text, m.start()) else m.group(0), text
    )
