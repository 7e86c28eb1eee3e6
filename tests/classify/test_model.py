"""A model directory: what is saved is what a loaded head computes."""

from __future__ import annotations

import numpy as np
import pytest

from eventcoder.classify.features import SparseRow
from eventcoder.classify.model import load_model, quantize, save_model


def test_classify_model_loaded_head_scores_the_saved_weights(tmp_path):
    rng = np.random.default_rng(7)
    bits, classes = 6, ["a", "b", "c"]
    weights, intercept = rng.normal(size=(3, 1 << bits)), rng.normal(size=3)
    save_model(tmp_path, "fixture", "0.1", bits, {"acled": (classes, weights, intercept, 2.0, {})}, {})
    head = load_model(str(tmp_path)).heads["acled"]
    row = SparseRow(np.array([1, 5, 5, 40]), np.array([0.5, -1.0, 0.25, 2.0]))
    quantized, scales = quantize(weights)
    dense = np.zeros(1 << bits)
    np.add.at(dense, row.columns, row.values)  # a repeated column adds
    scores = ((quantized.astype(np.float64) @ dense) * scales + intercept) / 2.0
    expected = np.exp(scores - scores.max()) / np.exp(scores - scores.max()).sum()
    got = head.model_probabilities(row)
    assert list(got) == classes
    assert [got[c] for c in classes] == pytest.approx(expected.tolist(), rel=1e-5)
    assert max(got.values()) < 0.99  # the fixture's scores are not one-sided: the check is not vacuous
