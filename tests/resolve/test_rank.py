"""The place ranker: a real training run on a hand-written fixture, saving and loading its files."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from eventcoder.errors import ModelNotFound
from eventcoder.resolve.place_cli import train_places
from eventcoder.resolve.places import FEATURES, resolve_place
from eventcoder.resolve.rank import Ranker, fit, load_ranker, save_ranker

FIXTURE = Path(__file__).resolve().parents[1] / "data" / "places" / "tiny.xml"


def test_rank_fit_prefers_the_feature_of_the_right_candidates():
    groups = [([[1.0, 0.0], [0.0, 1.0]], 0), ([[0.0, 1.0], [1.0, 0.0], [0.0, 0.0]], 1)] * 5
    weights = fit(groups, ("a", "b"))
    assert weights[0] > weights[1]


def test_rank_probabilities_sum_to_one():
    ranker = Ranker(("a", "b"), np.array([1.0, -1.0]))
    probs = ranker.probabilities([[1.0, 0.0], [0.0, 1.0], [0.5, 0.5]])
    assert probs.sum() == pytest.approx(1.0)
    assert int(probs.argmax()) == 0


def test_rank_save_and_load_keep_weights_and_card(tmp_path):
    ranker = Ranker(("a", "b"), np.array([0.5, -2.0]), card={"sources": {"x": "y"}})
    save_ranker(tmp_path, ranker)
    loaded = load_ranker(str(tmp_path))
    assert loaded.features == ("a", "b")
    assert loaded.weights == pytest.approx([0.5, -2.0])
    assert loaded.card == {"sources": {"x": "y"}}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.json", "weights.npz"]


def test_rank_missing_folder_names_the_fix(tmp_path):
    with pytest.raises(ModelNotFound, match="train-places"):
        load_ranker(str(tmp_path / "nothing"))


def test_rank_train_command_writes_a_ranker_the_resolver_uses(tmp_path, nlp, gazetteer):
    out = tmp_path / "ranker"
    result = CliRunner().invoke(train_places, ["-o", str(out), "--corpus", str(FIXTURE)])
    assert result.exit_code == 0, result.output
    assert "place-ranker 1.0: validation top-1" in result.output
    meta = json.loads((out / "model.json").read_text(encoding="utf-8"))
    assert meta["features"] == list(FEATURES)
    assert meta["card"]["toponyms"]["tiny"] >= 3
    ranker = load_ranker(str(out))
    place = resolve_place(nlp("Floods hit Paris, Texas.")[:], gazetteer, ["USA"], ranker=ranker)
    assert place is not None
    assert (place.name, place.country) == ("Paris", "USA")
    assert place.reason.endswith(f"place-ranker 1.0 p={place.score:.2f}")


def test_rank_train_command_without_data_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(train_places, ["-o", str(tmp_path / "r"), "--data", str(tmp_path)])
    assert result.exit_code == 2
    assert "no training data" in result.output


def test_rank_shipped_ranker_matches_the_features_and_is_small():
    ranker = load_ranker()
    assert ranker.features == FEATURES
    folder = Path(__file__).resolve().parents[2] / "src" / "eventcoder" / "resolve" / "models" / "places"
    assert sum(p.stat().st_size for p in folder.iterdir()) < 2_000_000
