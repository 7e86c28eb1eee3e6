"""What a model sees of a candidate event: hashed word and character n-grams, and the rules' findings.

Features are strings hashed into a fixed number of columns (the hashing trick), so a model file
holds weights only: no vocabulary, no text of the data it was trained on.
"""

from __future__ import annotations

import math
import re
import zlib
from collections.abc import Iterable
from functools import lru_cache
from itertools import pairwise

from eventcoder.records import DocumentSignals, Mention

WORD = re.compile(r"[^\W\d_]+|\d+", re.UNICODE)
CHAR_GRAMS = (3, 4, 5)
RULE_WEIGHT = 1.0  # the rules' block counts as much as the text block (both have unit length)
SparseRow = dict[int, float]


def words_of(text: str) -> list[str]:
    """Return the lower-cased words of a text, every number written as 0."""
    return ["0" if w.isdigit() else w for w in WORD.findall(text.lower())]


def text_features(text: str) -> list[str]:
    """Return the text's word unigrams and bigrams and the character 3-5-grams of its words."""
    words = words_of(text)
    features = [f"w {w}" for w in words]
    features.extend(f"b {a} {b}" for a, b in pairwise(words))
    for word in words:
        padded = f" {word} "
        for n in CHAR_GRAMS:
            features.extend(f"c {padded[i : i + n]}" for i in range(len(padded) - n + 1))
    return features


def rule_features(mention: Mention, signals: DocumentSignals) -> list[str]:
    """Return the rules' findings about a mention as the rules read it (`rules.rules_reading`, which
    the caller applies once): trigger, the rules' type, mode and ACLED guess, what the words found
    (crowd agent, riot words), actors, tolls."""
    from eventcoder.classify.rules import actor_class, rules_acled  # rules.py imports this module

    kind = mention.kind
    if kind.type == "(none)":  # a short report the rules found no trigger in (decide.report_candidates)
        return ["r no candidate"]
    acled = rules_acled(mention)
    features = [
        f"r type {kind.type}",
        f"r mode {kind.type} {kind.mode}",
        f"r cameo {kind.cameo}",
        f"r root {(kind.cameo or '')[:2]}",
        f"r trigger {mention.trigger.text.lower()}",
        f"r acled {acled.event_type if acled else None}",
        f"r sub {acled.sub_event_type if acled else None}",
    ]
    for role, actor in (("source", mention.source), ("target", mention.target)):
        features.append(f"r {role} {actor.sector if actor else None}")
        features.append(f"r {role} class {actor_class(actor)}")
    flags = mention.flags
    named = [
        ("killed", mention.fatalities is not None and mention.fatalities > 0),
        ("wounded", mention.injuries is not None and mention.injuries > 0),
        ("negated", flags.negated),
        ("hypothetical", flags.hypothetical),
        ("accidental", flags.accidental),
        ("historical", flags.historical),
        ("casualty report", mention.casualty_report),
        ("document rioting", signals.rioting),
        ("document fighting back", signals.fighting_back),
    ]
    features.extend(f"r {name}" for name, present in named if present)
    features.extend(f"r finding {finding}" for finding in sorted(mention.findings))
    return features


def _unit(counts: dict[int, float]) -> SparseRow:
    """Scale a bag of hashed columns to unit length."""
    norm = math.sqrt(sum(v * v for v in counts.values()))
    return {k: v / norm for k, v in counts.items() if v} if norm else {}


def hashed(features: Iterable[str], bits: int) -> dict[int, float]:
    """Hash feature strings into 2**bits signed columns (the sign halves collision bias)."""
    mask = (1 << bits) - 1
    counts: dict[int, float] = {}
    for feature in features:
        h = zlib.crc32(feature.encode("utf-8"))
        column = h & mask
        counts[column] = counts.get(column, 0.0) + (1.0 if h & 0x80000000 else -1.0)
    return counts


@lru_cache(maxsize=64)
def _text_block(text: str, bits: int) -> SparseRow:
    """Return a text's unit block, once per text: a sentence's candidates share their sentence."""
    return _unit(hashed(text_features(text), bits))


def vectorize(text: str, rules: Iterable[str], bits: int) -> SparseRow:
    """Return one sparse row: the unit text block plus the unit rules block."""
    row = dict(_text_block(text, bits))  # a copy: the cached block is shared
    for column, value in _unit(hashed(rules, bits)).items():
        row[column] = row.get(column, 0.0) + RULE_WEIGHT * value
    return row
