"""The place ranker: a conditional logit that picks a toponym's gazetteer candidate.

A model directory holds `model.json` (format, name, version, the feature names, a card) and
`weights.npz` (one float32 weight per feature), the layout of `classify/model.py`: weights only,
no vocabulary or data text. Each candidate of a toponym is a dense feature row; the ranker's
probability of a candidate is the softmax of the rows' scores over the toponym's candidates.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from eventcoder.classify.model import read_model_files
from eventcoder.errors import ModelNotFound

FORMAT_VERSION = 1
NAME = "place-ranker"
VERSION = "1.0"
L2 = 0.5  # ridge penalty on the summed log-likelihood


@dataclass(frozen=True)
class Ranker:
    """A loaded ranker: feature names, weights and the card it was shipped with."""

    features: tuple[str, ...]
    weights: NDArray[np.float64]
    name: str = NAME
    version: str = VERSION
    card: dict[str, Any] = field(default_factory=dict)

    @property
    def label(self) -> str:
        """Return the ranker's name and version as Place reasons name it."""
        return f"{self.name} {self.version}"

    def probabilities(self, rows: Sequence[Sequence[float]]) -> NDArray[np.float64]:
        """Return each candidate's probability among one toponym's candidates (rows)."""
        scores = np.asarray(rows, dtype=np.float64) @ self.weights
        scores = np.exp(scores - scores.max())
        out: NDArray[np.float64] = scores / scores.sum()
        return out


def default_folder() -> Path:
    """Return the folder of the ranker shipped in the package."""
    return Path(str(resources.files("eventcoder.resolve").joinpath("models", "places")))


@lru_cache(maxsize=4)
def load_ranker(folder: str = "") -> Ranker:
    """Load a ranker directory once per process ("" is the shipped one).

    Raises:
        ModelNotFound: the folder holds no model.json and weights.npz of this format.
    """
    path = Path(folder) if folder else default_folder()
    meta, arrays = read_model_files(
        path, "place ranker", "train one with `eventcoder train-places -o DIR`", "retrain it"
    )
    try:
        weights = np.asarray(arrays["weights"], dtype=np.float64)
    except (OSError, ValueError, KeyError) as error:
        raise ModelNotFound(f"{path}: unreadable place ranker ({error}); retrain it") from None
    if meta.get("format") != FORMAT_VERSION or len(meta.get("features", ())) != len(weights):
        raise ModelNotFound(f"{path}: place ranker of another format or feature set; retrain it")
    return Ranker(tuple(meta["features"]), weights, meta["name"], meta["version"], meta.get("card", {}))


def save_ranker(folder: Path, ranker: Ranker) -> None:
    """Write a ranker directory: model.json and weights.npz."""
    folder.mkdir(parents=True, exist_ok=True)
    meta = {
        "format": FORMAT_VERSION,
        "name": ranker.name,
        "version": ranker.version,
        "features": list(ranker.features),
        "card": ranker.card,
    }
    np.savez_compressed(folder / "weights.npz", allow_pickle=False, weights=ranker.weights.astype(np.float32))
    (folder / "model.json").write_text(
        json.dumps(meta, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )


Group = tuple[list[list[float]], int]  # one toponym: candidate rows, index of the right candidate


def fit(groups: Sequence[Group], features: Sequence[str], l2: float = L2) -> NDArray[np.float64]:
    """Fit conditional-logit weights by L-BFGS: each group's right candidate against its others."""
    from scipy.optimize import minimize

    usable = [(rows, gold) for rows, gold in groups if len(rows) >= 2 and 0 <= gold < len(rows)]
    if not usable:
        return np.zeros(len(features))
    x = np.asarray([row for rows, _ in usable for row in rows], dtype=np.float64)
    sizes = np.asarray([len(rows) for rows, _ in usable])
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    gold_rows = starts + np.asarray([g for _, g in usable])
    group_of = np.repeat(np.arange(len(usable)), sizes)

    def loss(w: NDArray[np.float64]) -> tuple[float, NDArray[np.float64]]:
        """Return the penalised negative log-likelihood and its gradient."""
        s = x @ w
        peak = np.maximum.reduceat(s, starts)
        e = np.exp(s - peak[group_of])
        z = np.add.reduceat(e, starts)
        nll = float(np.sum(np.log(z) + peak - s[gold_rows]))
        p = e / z[group_of]
        grad = x.T @ p - x[gold_rows].sum(axis=0)
        return nll + l2 * float(w @ w), grad + 2 * l2 * w

    result = minimize(loss, np.zeros(x.shape[1]), jac=True, method="L-BFGS-B", options={"maxiter": 500})
    weights: NDArray[np.float64] = result.x
    return weights


def accuracy(ranker: Ranker, groups: Sequence[Group]) -> float:
    """Return how often the ranker's top candidate is the right one, over groups with a right one."""
    usable = [(rows, gold) for rows, gold in groups if rows and 0 <= gold < len(rows)]
    right = sum(int(np.argmax(ranker.probabilities(rows))) == gold for rows, gold in usable)
    return right / max(len(usable), 1)
