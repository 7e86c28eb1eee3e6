"""Fit a model's back-off to the rules: below which confidence the rules' own decision stands.

A model trained mostly on ACLED notes and synthetic stories is sure of itself on text like them,
and unsure on wire copy it never saw ("Pakistan has rejected US assertions ..."), where the rules
read the verb right more often. The threshold is chosen on a tuning set the model never trained
on, by the figure that set codes (PLOVER type, PentaClass or ACLED type of the primary event).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from eventcoder.classify.decide import BACKED_OFF
from eventcoder.classify.model import Backoff, load_model, write_backoff
from eventcoder.evaluate.gold import GoldRecord
from eventcoder.evaluate.score import primary_event, score_document

GRID = (0.0, 0.3, 0.4, 0.5, 0.6, 0.7)
FIELDS = ("plover_type", "acled_type", "penta")  # the first the gold codes is scored


def tuning_score(records: Sequence[GoldRecord], folder: Path) -> tuple[float, float]:
    """Code the records with the model as its model.json stands; return (accuracy, rules' accuracy).

    The rules' accuracy is over the primary events the rules decided (reason names the back-off).
    """
    from eventcoder.evaluate.cli import code_gold  # imported here: loads the spaCy model

    right = total = backed = backed_right = 0
    for gold, events in code_gold(records, model=str(folder)):
        fields = score_document(gold, events).fields
        verdict = next((fields[f] for f in FIELDS if fields.get(f) is not None), None)
        if verdict is None:
            continue
        total += 1
        right += bool(verdict)
        primary = primary_event([e for e in events if not (e.flags.negated or e.flags.hypothetical)])
        if primary is not None and BACKED_OFF in primary.reason:
            backed += 1
            backed_right += bool(verdict)
    return (right / total if total else 0.0), (backed_right / backed if backed else 0.0)


TIE = 0.005  # tuning accuracies this close are one sentence in 200: a tie


def choose_threshold(results: Sequence[tuple[float, float, float]]) -> Backoff:
    """Return the back-off of the highest threshold whose (accuracy, threshold, rules' accuracy)
    ties with the best accuracy (within TIE)."""
    best = max(accuracy for accuracy, _, _ in results)
    _, below, rules_right = max((r for r in results if r[0] >= best - TIE), key=lambda r: r[1])
    return Backoff(below, round(rules_right, 3))


def fit_backoff(folder: Path, records: Sequence[GoldRecord], progress: TextIO | None = sys.stderr) -> Backoff:
    """Choose and write the back-off threshold that codes the tuning records best; return it.

    Of thresholds that tie with the best (within TIE), the highest is chosen: a statement the
    rules decide names the trigger it was read from, where the model's reading only has a score.
    """
    write_backoff(folder, Backoff(0.0, 0.0))
    results = [(tuning_score(records, folder)[0], 0.0, 0.0)]  # as trained: no back-off
    if progress is not None:
        print(f"backoff: none: {100 * results[0][0]:.1f}%", file=progress)
    for below in GRID[1:]:
        write_backoff(folder, Backoff(below, 0.5))
        accuracy, rules_right = tuning_score(records, folder)
        if progress is not None:
            print(
                f"backoff: below {below}: {100 * accuracy:.1f}% (rules right {100 * rules_right:.0f}%)",
                file=progress,
            )
        results.append((accuracy, below, rules_right))
    chosen = choose_threshold(results)
    write_backoff(folder, chosen)
    load_model(str(folder))
    return chosen
