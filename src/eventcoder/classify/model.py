"""A trained model directory: `model.json` (heads, classes, calibration) and `weights.npz`.

Each head is a multinomial logistic regression over hashed features; weights are stored as int8
with one scale per class (a quarter of float32's size, no measurable loss), never as text.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from eventcoder.classify.features import SparseRow
from eventcoder.errors import ModelNotFound

FORMAT_VERSION = 1
HEADS = ("plover", "mode", "acled", "sub")  # PLOVER type, PLOVER type+mode, ACLED type, sub-event type
MODEL_ENV = "EVENTCODER_MODEL"  # a model directory, "default" or "rules"
DEFAULT = "default"
RULES = "rules"


@dataclass(frozen=True)
class Head:
    """One decision: its classes, weights (2**bits x classes) and calibration temperature."""

    classes: tuple[str, ...]
    weights: NDArray[np.int8]  # the file's (classes x columns) transposed: a row's columns lie together
    scales: NDArray[np.float32]
    intercept: NDArray[np.float32]
    temperature: float
    rule_trust: dict[str, float]  # rules' label -> weight of the rules beside the model, fit on validation

    def probabilities(self, row: SparseRow, rule: str | None = None) -> dict[str, float]:
        """Return the calibrated probability of each class, mixed with the rules' label where trusted."""
        probabilities = self.model_probabilities(row)
        trust = self.rule_trust.get(rule or "", 0.0)
        if trust and rule in probabilities:
            probabilities = {c: (1 - trust) * p + trust * (c == rule) for c, p in probabilities.items()}
        return probabilities

    def model_probabilities(self, row: SparseRow) -> dict[str, float]:
        """Return the calibrated probability of each class for one sparse row, the model alone."""
        values = row.values.astype(np.float32)
        scores = (values @ self.weights[row.columns].astype(np.float32)) * self.scales + self.intercept
        scores = scores / self.temperature
        scores = np.exp(scores - scores.max())
        scores /= scores.sum()
        return dict(zip(self.classes, scores.tolist(), strict=True))


@dataclass(frozen=True)
class Backoff:
    """When the model is unsure, the rules' own decision stands: below `below`, with `confidence`.

    Both are fit on a tuning set of news sentences the model never trained on (training/backoff.py):
    `below` is the joint confidence under which the rules were right more often than the model,
    `confidence` how often the rules were then right.
    """

    below: float
    confidence: float


@dataclass(frozen=True)
class LearnedModel:
    """A loaded model: its name, version, feature size and heads."""

    name: str
    version: str
    bits: int
    heads: dict[str, Head]
    card: dict[str, Any]
    backoff: Backoff = field(default_factory=lambda: Backoff(0.0, 0.0))

    @property
    def label(self) -> str:
        """Return the model's name and version as records' reasons name it."""
        return f"{self.name} {self.version}"


def quantize(weights: NDArray[np.float64]) -> tuple[NDArray[np.int8], NDArray[np.float32]]:
    """Return int8 weights and one scale per row, so that weights ~ int8 * scale."""
    scales = np.abs(weights).max(axis=1) / 127.0
    scales[scales == 0] = 1.0
    return np.round(weights / scales[:, None]).astype(np.int8), scales.astype(np.float32)


def save_model(
    folder: Path,
    name: str,
    version: str,
    bits: int,
    heads: dict[str, tuple[list[str], NDArray[np.float64], NDArray[np.float64], float, dict[str, float]]],
    card: dict[str, Any],
) -> None:
    """Write a model directory: heads as (classes, weights, intercept, temperature, rule trust), a card."""
    folder.mkdir(parents=True, exist_ok=True)
    arrays: dict[str, NDArray[Any]] = {}
    meta: dict[str, Any] = {"format": FORMAT_VERSION, "name": name, "version": version, "bits": bits}
    meta["heads"] = {}
    for head, (classes, weights, intercept, temperature, trust) in heads.items():
        quantized, scales = quantize(weights)
        arrays[f"{head}.weights"], arrays[f"{head}.scales"] = quantized, scales
        arrays[f"{head}.intercept"] = intercept.astype(np.float32)
        meta["heads"][head] = {"classes": classes, "temperature": temperature, "rule_trust": trust}
    meta["card"] = card
    np.savez_compressed(folder / "weights.npz", allow_pickle=False, **arrays)
    (folder / "model.json").write_text(
        json.dumps(meta, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )


def default_folder() -> Path:
    """Return the folder of the model shipped in the package."""
    return Path(str(resources.files("eventcoder.classify").joinpath("models", DEFAULT)))


def resolve_choice(choice: str | os.PathLike[str] | None) -> str:
    """Return the model asked for: the argument, else $EVENTCODER_MODEL, else the shipped default."""
    if choice is None or str(choice) == "":
        return os.environ.get(MODEL_ENV) or DEFAULT
    return str(choice)


def read_model_files(path: Path, what: str, train_hint: str, retrain_hint: str) -> tuple[dict[str, Any], Any]:
    """Read a model directory's model.json and open its weights.npz (arrays load on first use).

    Raises:
        ModelNotFound: a file is missing ("no {what} here; {train_hint}") or unreadable.
    """
    meta_file, weights_file = path / "model.json", path / "weights.npz"
    if not meta_file.is_file() or not weights_file.is_file():
        raise ModelNotFound(f"{path}: no {what} here (model.json and weights.npz); {train_hint}")
    try:
        meta = json.loads(meta_file.read_text(encoding="utf-8"))
        arrays = np.load(weights_file)
    except (OSError, ValueError) as error:
        raise ModelNotFound(f"{path}: unreadable {what} ({error}); {retrain_hint}") from None
    return meta, arrays


@lru_cache(maxsize=4)
def load_model(folder: str) -> LearnedModel:
    """Load a model directory once per process.

    Raises:
        ModelNotFound: the folder holds no model.json and weights.npz of this format.
    """
    path = Path(folder)
    meta, arrays = read_model_files(
        path,
        "model",
        "train one with `eventcoder train GOLD -o DIR`, or use --model default or --model rules",
        "retrain it with `eventcoder train`",
    )
    if meta.get("format") != FORMAT_VERSION:
        raise ModelNotFound(
            f"{path}: model format {meta.get('format')!r}, this eventcoder reads {FORMAT_VERSION}; retrain it"
        )
    heads = {
        head: Head(
            classes=tuple(spec["classes"]),
            weights=np.ascontiguousarray(arrays[f"{head}.weights"].T),
            scales=arrays[f"{head}.scales"],
            intercept=arrays[f"{head}.intercept"],
            temperature=float(spec["temperature"]),
            rule_trust={k: float(v) for k, v in spec.get("rule_trust", {}).items()},
        )
        for head, spec in meta["heads"].items()
    }
    backoff = meta.get("backoff") or {}
    return LearnedModel(
        meta["name"],
        meta["version"],
        int(meta["bits"]),
        heads,
        meta.get("card", {}),
        Backoff(float(backoff.get("below", 0.0)), float(backoff.get("confidence", 0.0))),
    )


def write_backoff(folder: Path, backoff: Backoff) -> None:
    """Record a model's back-off to the rules in its model.json (see Backoff)."""
    meta_file = folder / "model.json"
    meta = json.loads(meta_file.read_text(encoding="utf-8"))
    meta["backoff"] = {"below": backoff.below, "confidence": backoff.confidence}
    meta_file.write_text(json.dumps(meta, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    load_model.cache_clear()
