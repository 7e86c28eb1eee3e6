"""The document-country head: a country from a text's words, only when it is sure."""

from __future__ import annotations

import numpy as np
import pytest

from eventcoder.resolve.place_country import (
    COUNTRY_MODEL_ENV,
    GUESS_PRECISION,
    THRESHOLDS,
    country_probabilities,
    default_folder,
    guess_country,
    load_country_model,
    min_guess_p,
    sure_threshold,
    train_country_head,
)


@pytest.fixture(scope="module")
def model():
    return load_country_model()


@pytest.mark.parametrize(
    ("text", "country"),
    [
        ("Party workers of the BJP and Congress staged a sit-in against the hike in rail fares.", "IND"),
        ("Al Shabaab fighters ambushed an AMISOM convoy, killing three soldiers.", "SOM"),
        ("Shibir activists hurled petrol bombs at a bus during the hartal called by the BNP.", "BGD"),
    ],
)
def test_place_country_guess_from_the_words(model, text, country):
    guess = guess_country(text, model)
    assert guess is not None
    assert guess[0] == country
    assert guess[1] >= min_guess_p(model)


def test_place_country_unsure_text_gives_no_guess(model):
    assert guess_country("Hundreds of teachers marched to demand higher pay.", model) is None


def test_place_country_empty_text_has_no_probabilities(model):
    assert country_probabilities("  ", model) == {}


def test_place_country_shipped_threshold_is_one_of_the_thresholds(model):
    assert min_guess_p(model) in THRESHOLDS


def test_place_country_sure_threshold_is_the_lowest_precise_enough():
    confidence = np.array([0.95, 0.9, 0.8, 0.6, 0.4])
    right = np.array([True, True, True, False, False])
    threshold = sure_threshold(confidence, right)
    assert threshold == 0.65
    assert right[confidence >= threshold].mean() >= GUESS_PRECISION


def test_place_country_train_writes_a_head_that_loads(tmp_path):
    kenya = [
        "Matatu drivers in Nairobi went on strike over fuel prices.",
        "Kenyan police teargassed traders.",
    ]
    peru = ["Miners in Arequipa blocked the Panamericana Sur.", "Peruvian farmers marched on Lima."]
    examples = [(t, "KEN") for t in kenya * 10] + [(t, "PER") for t in peru * 10]
    card = train_country_head(examples, tmp_path / "country", {"made up": len(examples)}, bits=10)
    loaded = load_country_model(str(tmp_path / "country"))
    assert card["countries"] == 2
    assert set(country_probabilities("Matatu drivers went on strike.", loaded)) == {"KEN", "PER"}
    assert (
        max(country_probabilities("Matatu drivers went on strike.", loaded).items(), key=lambda kv: kv[1])[0]
        == "KEN"
    )


def test_place_country_environment_swaps_the_shipped_head(tmp_path, monkeypatch):
    examples = [("Matatu drivers went on strike.", "KEN")] * 10 + [("Miners marched on Lima.", "PER")] * 10
    train_country_head(examples, tmp_path / "country", {"made up": len(examples)}, bits=10)
    shipped = set(load_country_model().heads["country"].classes)
    monkeypatch.setenv(COUNTRY_MODEL_ENV, str(tmp_path / "country"))
    assert set(load_country_model().heads["country"].classes) == {"KEN", "PER"}
    assert len(shipped) > 2
    assert set(load_country_model(str(default_folder())).heads["country"].classes) == shipped


def test_place_country_train_places_writes_the_country_head_beside_the_ranker(tmp_path):
    from pathlib import Path

    from click.testing import CliRunner

    from eventcoder.resolve.place_cli import train_places

    tiny = Path(__file__).resolve().parents[1] / "data" / "places" / "tiny.xml"
    result = CliRunner().invoke(train_places, ["-o", str(tmp_path / "r"), "--corpus", str(tiny)])
    assert result.exit_code == 0, result.output
    assert "country head: {'acled': 0, 'articles': 3}" in result.output
    assert load_country_model(str(tmp_path / "r" / "country")).heads["country"].classes
