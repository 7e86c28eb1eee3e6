"""The back-off threshold chosen from the tuning figures."""

from __future__ import annotations

from eventcoder.classify.backoff import choose_threshold
from eventcoder.classify.model import Backoff


def test_backoff_takes_the_best_threshold():
    results = [(0.438, 0.0, 0.0), (0.464, 0.4, 0.53), (0.482, 0.6, 0.59), (0.470, 0.7, 0.57)]
    assert choose_threshold(results) == Backoff(0.6, 0.59)


def test_backoff_prefers_the_higher_of_tied_thresholds():
    results = [(0.438, 0.0, 0.0), (0.482, 0.6, 0.59), (0.480, 0.7, 0.5712)]
    assert choose_threshold(results) == Backoff(0.7, 0.571)


def test_backoff_keeps_no_back_off_when_it_codes_best():
    assert choose_threshold([(0.5, 0.0, 0.0), (0.4, 0.3, 0.6)]) == Backoff(0.0, 0.0)
