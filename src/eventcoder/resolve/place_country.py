"""The document-country head: which country a text's words say it happened in, when it names none.

ACLED notes often name only a village the gazetteer lacks ("Farmers protested in Kotha Guru") or
no place at all, yet their words tell the country: parties, forces, currencies, offices ("BJP
members", "FARDC soldiers", "hartal"). A multinomial logistic regression over hashed words and
character n-grams (`classify/features.vectorize`, the event model's features and file format)
reads the whole text and names a country with a calibrated probability. It is trained on the
training part of the place split (`place_corpora.split_of`) of the development ACLED notes
(labelled with the note's country) and LGL articles (the country most of their gold toponyms lie
in); it knows only those countries, so it is asked only when the document names no country.
"""

from __future__ import annotations

import datetime as dt
import os
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from eventcoder.classify.features import sparse_matrix, vectorize
from eventcoder.classify.model import LearnedModel, load_model, save_model

HEAD = "country"
COUNTRY_MODEL_ENV = "EVENTCODER_PLACE_COUNTRY_MODEL"  # a country-head directory instead of the shipped one
NAME = "place-country"
VERSION = "1.0"
BITS = 14
C = 4.0  # inverse ridge strength of the logistic regression
VALIDATION_SHARE = 0.15
# classes weighted by count ** -BALANCE: without it the largest class (India's many notes) becomes the
# guess for any text of no telling words ("Police arrested two men after a fight")
BALANCE = 0.5
# the head names a country only above the lowest probability at which this share of its validation
# guesses were right; the threshold chosen is in the card ("min_guess_p")
GUESS_PRECISION = 0.95
THRESHOLDS = tuple(round(0.3 + 0.05 * i, 2) for i in range(14))  # 0.3 .. 0.95
MIN_GUESS_P = 0.7  # a model whose card names none


def default_folder() -> Path:
    """Return the folder of the country head shipped in the package."""
    return Path(str(resources.files("eventcoder.resolve").joinpath("models", "places", "country")))


def load_country_model(folder: str = "") -> LearnedModel:
    """Load a country-head directory once per process ("": $EVENTCODER_PLACE_COUNTRY_MODEL, else the
    shipped one).

    Raises:
        ModelNotFound: the folder holds no model of the event model's format.
    """
    return _load(folder or os.environ.get(COUNTRY_MODEL_ENV) or str(default_folder()))


@lru_cache(maxsize=4)
def _load(folder: str) -> LearnedModel:
    """Load one country-head directory (cached per folder)."""
    return load_model(folder)


def country_probabilities(text: str, model: LearnedModel) -> dict[str, float]:
    """Return the head's probability of each country it knows for a text ({} for an empty text)."""
    if not text.strip() or HEAD not in model.heads:
        return {}
    return model.heads[HEAD].model_probabilities(vectorize(text, (), model.bits))


def min_guess_p(model: LearnedModel) -> float:
    """Return the probability below which the head's guess is no evidence (from its card)."""
    return float(model.card.get("min_guess_p", MIN_GUESS_P))


def guess_country(text: str, model: LearnedModel) -> tuple[str, float] | None:
    """Decide Event.location's fallback country from a text's words: (ISO3, p), or None when unsure."""
    probabilities = country_probabilities(text, model)
    if not probabilities:
        return None
    best = max(probabilities, key=probabilities.__getitem__)
    return (best, probabilities[best]) if probabilities[best] >= min_guess_p(model) else None


def sure_threshold(confidence: Any, right: Any) -> float:
    """Return the lowest threshold at which GUESS_PRECISION of the guesses at or above it were right."""
    for threshold in THRESHOLDS:
        sure = confidence >= threshold
        if sure.any() and float(right[sure].mean()) >= GUESS_PRECISION:
            return threshold
    return THRESHOLDS[-1]


def _matrix(texts: Sequence[str], bits: int) -> Any:
    """Return the sparse feature rows of texts."""
    return sparse_matrix((vectorize(text, (), bits) for text in texts), bits)


def train_country_head(
    examples: Sequence[tuple[str, str]],
    folder: Path,
    sources: dict[str, int],
    bits: int = BITS,
    balance: float = BALANCE,
) -> dict[str, Any]:
    """Fit the head on (text, ISO3) examples, calibrate it on every n-th one, write it; return its card.

    The held-out examples choose the temperature and give the card's figures; the shipped weights
    are fitted on the others.
    """
    from eventcoder.classify.train import calibrate, fit_head, scores_of, softmax

    step = round(1 / VALIDATION_SHARE)
    train = [e for k, e in enumerate(examples) if k % step]
    held = [e for k, e in enumerate(examples) if not k % step]
    counts = Counter(c for _, c in train)
    weights = np.array([(len(train) / counts[c] / len(counts)) ** balance for _, c in train])
    fitted = fit_head(_matrix([t for t, _ in train], bits), [c for _, c in train], weights, C)
    x_held = _matrix([t for t, _ in held], bits)
    calibrate(fitted, x_held, [c for _, c in held])
    p = softmax(scores_of(fitted, x_held), fitted.temperature)
    right = np.array([fitted.classes[int(k)] == c for k, (_t, c) in zip(p.argmax(axis=1), held, strict=True)])
    threshold = sure_threshold(p.max(axis=1), right)
    sure = p.max(axis=1) >= threshold
    card = {
        "trained": dt.date.today().isoformat(),
        "task": "the country a text happened in, from its words (the fallback when it names none)",
        "examples": sources,
        "countries": len(fitted.classes),
        "validation": {k: v for k, v in fitted.validation.items() if k != "reliability"},
        "min_guess_p": threshold,
        "validation_sure_share": round(float(sure.mean()), 4),
        "validation_sure_accuracy": round(float(right[sure].mean()) if sure.any() else 0.0, 4),
    }
    no_rules: dict[str, float] = {}  # the head stands alone: no rules' label beside it
    save_model(
        folder,
        NAME,
        VERSION,
        bits,
        {HEAD: (fitted.classes, fitted.weights, fitted.intercept, fitted.temperature, no_rules)},
        card,
    )
    return card
