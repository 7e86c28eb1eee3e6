"""What a model sees of a candidate event: hashed word and character n-grams, and the rules' findings.

Features are strings hashed into a fixed number of columns (the hashing trick), so a model file
holds weights only: no vocabulary, no text of the data it was trained on.
"""

from __future__ import annotations

import math
import re
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from typing import Any

import numpy as np
from numpy.typing import NDArray

from eventcoder.records import DocumentSignals, Mention

WORD = re.compile(r"[^\W\d_]+|\d+", re.UNICODE)
CHAR_GRAMS = (3, 4, 5)
RULE_WEIGHT = 1.0  # the rules' block counts as much as the text block (both have unit length)


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


@dataclass(frozen=True, slots=True, eq=False)
class SparseRow:
    """One sparse feature row: hashed columns and their values (a column may repeat: values add)."""

    columns: NDArray[np.int64]
    values: NDArray[np.float64]

    def as_dict(self) -> dict[int, float]:
        """Return column -> summed value (for reading and testing; models use the arrays)."""
        summed: dict[int, float] = {}
        for column, value in zip(self.columns.tolist(), self.values.tolist(), strict=True):
            summed[column] = summed.get(column, 0.0) + value
        return summed


def counted(hashes: Sequence[int], bits: int) -> SparseRow:
    """Sum hashes into 2**bits signed columns (the sign halves collision bias), one entry a column."""
    h = np.asarray(hashes, dtype=np.uint32)
    columns, inverse = np.unique((h & ((1 << bits) - 1)).astype(np.int64), return_inverse=True)
    values = np.bincount(inverse, weights=np.where(h & 0x80000000, 1.0, -1.0), minlength=len(columns))
    keep = values != 0
    return SparseRow(columns[keep], values[keep])


def _unit(row: SparseRow) -> SparseRow:
    """Scale a bag of hashed columns to unit length."""
    norm = math.sqrt(float(row.values @ row.values))
    return SparseRow(row.columns, row.values / norm) if norm else row


def hashed(features: Iterable[str], bits: int) -> SparseRow:
    """Hash feature strings into 2**bits signed columns (the sign halves collision bias)."""
    return counted([zlib.crc32(f.encode("utf-8")) for f in features], bits)


@lru_cache(maxsize=1 << 16)
def _word_hashes(word: str) -> tuple[int, tuple[int, ...]]:
    """Return the hashes of a word's unigram feature and of its character n-grams, once per word."""
    padded = f" {word} "
    grams = tuple(
        zlib.crc32(f"c {padded[i : i + n]}".encode()) for n in CHAR_GRAMS for i in range(len(padded) - n + 1)
    )
    return zlib.crc32(f"w {word}".encode()), grams


def text_hashes(text: str) -> list[int]:
    """Return the hashes of `text_features(text)`, in its order, without building its strings again."""
    words = words_of(text)
    hashes = [_word_hashes(w) for w in words]
    found = [unigram for unigram, _ in hashes]
    found.extend(zlib.crc32(f"b {a} {b}".encode()) for a, b in pairwise(words))
    for _, grams in hashes:
        found.extend(grams)
    return found


@lru_cache(maxsize=64)
def _text_block(text: str, bits: int) -> SparseRow:
    """Return a text's unit block, once per text: a sentence's candidates share their sentence."""
    return _unit(counted(text_hashes(text), bits))


def vectorize(text: str, rules: Iterable[str], bits: int) -> SparseRow:
    """Return one sparse row: the unit text block plus the unit rules block."""
    text_block, rule_block = _text_block(text, bits), _unit(hashed(rules, bits))
    return SparseRow(
        np.concatenate([text_block.columns, rule_block.columns]),
        np.concatenate([text_block.values, RULE_WEIGHT * rule_block.values]),
    )


def sparse_matrix(rows: Iterable[SparseRow], bits: int) -> Any:
    """Return rows as one scipy CSR matrix of 2**bits columns (repeated columns summed)."""
    from scipy.sparse import csr_matrix

    columns, values, indptr = [], [], [0]
    for row in rows:
        columns.append(row.columns)
        values.append(row.values)
        indptr.append(indptr[-1] + len(row.columns))
    empty = np.zeros(0)
    matrix = csr_matrix(
        (np.concatenate([empty, *values]), np.concatenate([empty.astype(np.int64), *columns]), indptr),
        shape=(len(indptr) - 1, 1 << bits),
        dtype=np.float64,
    )
    matrix.sum_duplicates()
    return matrix
