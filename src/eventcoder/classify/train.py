"""`eventcoder train`: fit an event model directory from gold files, seeded and reproducible.

Each gold text is run through the rules (extract/) so the model learns from what the rules find
as well as from the words; the labels come from whatever scheme the gold codes (ACLED, PLOVER,
CAMEO, eventcoder JSON lines), carried across schemes by acled_plover.csv and plover_acled.csv.
"""

from __future__ import annotations

import hashlib
import math
import random
import sys
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal, TextIO

import numpy as np
from numpy.typing import NDArray

from eventcoder.classify.decide import NO_MODE, NONE, data_rows
from eventcoder.classify.features import rule_features, sparse_matrix, vectorize
from eventcoder.classify.model import HEADS, save_model
from eventcoder.classify.rules import rules_reading
from eventcoder.errors import GoldFormatError
from eventcoder.evaluate.gold import GoldRecord, acled_sub_types
from eventcoder.evaluate.score import ACLED_SEVERITY, PLOVER_SEVERITY
from eventcoder.keyed_cache import cache_writer, read_cache
from eventcoder.records import Document

DEFAULT_BITS = 16
DEFAULT_C = 10.0
# per-head inverse regularisation where it differs from DEFAULT_C, chosen on the cross-region split
# (train without one ACLED region, score it; docs/MODEL_CARD.md): the ACLED head transfers better
# regularised harder (C 3: Africa 75.6%, Asia 82.2% against C 10's 74.8% and 81.8%), where the
# PLOVER and sub-type heads lose by it (sub-type 76.4% / 84.7% against 77.1% / 86.1%)
HEAD_C = {"acled": 3.0}
SOURCE_CAP = 6000.0  # a source of more examples than this weighs as much as this many
TEMPERATURES = tuple(round(0.5 + 0.1 * i, 1) for i in range(26))  # 0.5 .. 3.0


@dataclass(frozen=True, slots=True)
class Example:
    """One training text: its rules' findings, a label per head (None: not coded) and its source."""

    text: str
    rules: tuple[str, ...]
    labels: dict[str, str | None]
    source: str
    weight: float = 1.0


@dataclass
class Fitted:
    """One fitted head and what validation said of it."""

    classes: list[str]
    weights: NDArray[np.float64]
    intercept: NDArray[np.float64]
    temperature: float = 1.0
    rule_trust: dict[str, float] = field(default_factory=dict)
    validation: dict[str, Any] = field(default_factory=dict)


@cache
def acled_to_plover() -> dict[str, tuple[str | None, str | None]]:
    """Map each ACLED sub-event type to how a coder codes it in PLOVER (type, mode)."""
    return {
        r["sub_event_type"]: (r["type"] or None, r["mode"] or None) for r in data_rows("acled_plover.csv")
    }


# ACLED event types without a sub-type: the PLOVER type is clear, the mode is not
ACLED_TYPE_PLOVER = {
    "Battles": ("ASSAULT", None),
    "Explosions/Remote violence": ("ASSAULT", None),
    "Violence against civilians": ("ASSAULT", None),
    "Protests": ("PROTEST", None),
    "Riots": ("PROTEST", "riot"),
    NONE: (NONE, None),
}


def plover_to_acled(kind: str, mode: str | None) -> tuple[str | None, str | None]:
    """Return how ACLED would code a PLOVER event (event type, sub-type); (None, None) if it depends."""
    rows = data_rows("plover_acled.csv")
    for row in rows:
        if row["type"] == kind and row["mode"] and row["mode"] == mode:
            return _acled_cell(row)
    for row in rows:
        if row["type"] == kind and not row["mode"]:
            return _acled_cell(row)
    return None, None


def _acled_cell(row: dict[str, str]) -> tuple[str | None, str | None]:
    """Return a plover_acled.csv row's (event type, sub-type); "?" means it depends."""
    if row["event_type"] == "?":
        return None, None
    return row["event_type"], row["sub_event_type"] or None


def labels_of(gold: GoldRecord, modes_coded: bool) -> dict[str, str | None]:
    """Return the label of each head for one gold record; None where the gold does not say.

    `modes_coded`: the source codes a mode whenever one applies, so no mode means "no mode".
    """
    kind = gold.plover_types[0] if gold.plover_types else None
    if kind is None and gold.cameo_roots:
        kind = NONE  # a CAMEO code with no PLOVER type: a statement, no event
    mode = gold.plover_mode
    event_type, sub = gold.acled_type, gold.acled_sub_type
    if event_type is None and kind is not None:
        event_type, sub = (NONE, None) if kind == NONE else plover_to_acled(kind, mode)
    if kind is None and event_type is not None:
        kind, mode = acled_to_plover().get(sub or "", ACLED_TYPE_PLOVER.get(event_type, (None, None)))
        modes_coded = False
    mode_label = None
    if kind not in (None, NONE):
        mode_label = f"{kind} {mode}" if mode else (f"{kind} {NO_MODE}" if modes_coded else None)
    return {"plover": kind, "mode": mode_label, "acled": event_type, "sub": sub}


def check_labels(records: Sequence[GoldRecord]) -> None:
    """Refuse gold whose labels lie outside the ontology, naming the file and line.

    Raises:
        GoldFormatError: an ACLED type or sub-type that is not ACLED's.
    """
    types = {*acled_sub_types().values(), NONE}
    for record in records:
        where = record.origin or record.id
        if record.acled_type is not None and record.acled_type not in types:
            raise GoldFormatError(
                f"{where}: ACLED event type {record.acled_type!r} is not one of "
                f"{', '.join(sorted(types - {NONE}))} (or a pre-2019 type)"
            )
        if record.acled_sub_type is not None and record.acled_sub_type not in acled_sub_types():
            raise GoldFormatError(f"{where}: {record.acled_sub_type!r} is not one of ACLED's sub-event types")


# what the rules' features depend on (places are not among them, so the place resolver can change
# without invalidating cached rule features)
RULE_SOURCES = ("ontology", "extract")
RULE_FILES = (
    "resolve/actors.py",
    "resolve/mentions.py",
    "resolve/countries.py",
    "resolve/dates.py",
    "resolve/data/datewords.csv",
    "resolve/data/demonyms.csv",
    "resolve/data/titles.txt",
    "resolve/data/leaders.csv",
    "classify/features.py",
    "classify/rules.py",
    "merge.py",
)


def rules_version() -> str:
    """Return a hash of the rules' data and code: cached rule features are valid while it holds."""
    digest = hashlib.sha1()
    package = resources.files("eventcoder")
    for folder in RULE_SOURCES:
        for item in sorted(package.joinpath(folder).iterdir(), key=lambda p: p.name):
            if item.is_file() and item.name.endswith((".py", ".csv", ".json", ".txt")):
                digest.update(item.name.encode() + item.read_bytes())
    for name in RULE_FILES:
        digest.update(name.encode() + package.joinpath(*name.split("/")).read_bytes())
    return digest.hexdigest()[:12]


CACHE_FORMAT = 2  # entries: {"key": sha1 of the text, "mentions": [[feature, ...] per candidate]}
MentionRules = tuple[tuple[str, ...], ...]


def rules_of(items: Sequence[tuple[str, str]]) -> list[tuple[str, MentionRules]]:
    """Run the rules on (key, text) pairs; return (key, rules' features per standalone candidate).

    A text the pipeline rejects is left out of the result (it has no candidates to learn from).
    """
    from eventcoder.pipeline import document_candidates  # imported here: loads the spaCy model

    documents = (Document(id=k, text=t) for k, t in items)
    return [
        (
            document.id,
            tuple(tuple(rule_features(rules_reading(m), signals)) for m in mentions if m.standalone),
        )
        for document, mentions, signals in document_candidates(documents, on_error=lambda b: None)
    ]


CHUNK = 250  # texts per task when the rules run in several processes


def _run_rules(missing: list[tuple[str, str]], workers: int) -> Iterator[tuple[str, MentionRules]]:
    """Yield the rules' features of each missing text, in one process or spread over `workers`."""
    if workers <= 1:
        for start in range(0, len(missing), CHUNK):
            yield from rules_of(missing[start : start + CHUNK])
        return
    from concurrent.futures import ProcessPoolExecutor

    chunks = [missing[start : start + CHUNK] for start in range(0, len(missing), CHUNK)]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for result in pool.map(rules_of, chunks):
            yield from result


def cached_rules(
    texts: Sequence[str], cache_dir: Path | None, progress: TextIO | None = None, workers: int = 1
) -> list[MentionRules]:
    """Return the rules' features of each text's candidate events, from the cache where it has them.

    workers: processes the rules run in for texts the cache lacks (the features are the same).
    """
    keys = [hashlib.sha1(t.encode("utf-8")).hexdigest() for t in texts]
    cache_file = cache_dir / f"rules-v{CACHE_FORMAT}-{rules_version()}.jsonl" if cache_dir else None
    known: dict[str, MentionRules] = {
        k: tuple(tuple(m) for m in v) for k, v in read_cache(cache_file, "mentions").items()
    }
    by_key = dict(zip(keys, texts, strict=True))
    missing = [(k, by_key[k]) for k in dict.fromkeys(k for k in keys if k not in known)]
    with cache_writer(cache_file, "mentions", bool(missing)) as write:
        for done, (key, told) in enumerate(_run_rules(missing, workers), start=1):
            known[key] = told
            write(key, told)
            if progress is not None and done % 1000 == 0:
                print(f"train: rules run on {done}/{len(missing)} texts", file=progress)
    return [known.get(k, ()) for k in keys]


def telling_rules(mentions: MentionRules, labels: dict[str, str | None]) -> tuple[str, ...]:
    """Return the rules' features a gold record's event is seen with: those of the candidate that
    tells it (the rules agree on its PLOVER and ACLED type, or on one), else all candidates'.

    At coding time the model sees one candidate at a time; a gold record codes one event of its
    text, so the candidate that tells that event is the one to learn from.
    """
    if not mentions:
        return ("r no candidate",)
    wanted = {f"r type {labels['plover']}", f"r acled {labels['acled']}"}
    best = max(mentions, key=lambda m: len(wanted & set(m)))
    if wanted & set(best):
        return best
    return tuple(sorted({f for m in mentions for f in m}))


def primary_rules(mentions: MentionRules) -> tuple[str, ...]:
    """Return the rules' features of the candidate the rules read as the most severe ACLED event.

    That is the candidate a report's primary event most often comes from at coding time. Learning
    from it, rather than from the candidate that agrees with the gold (`telling_rules`), keeps
    the gold out of the features: the model learns how far the rules' reading can be trusted.
    """
    if not mentions:
        return ("r no candidate",)

    def severity(candidate: tuple[str, ...]) -> int:
        said = [f.removeprefix("r acled ") for f in candidate if f.startswith("r acled ")]
        ranks = [ACLED_SEVERITY.index(a) for a in said if a in ACLED_SEVERITY]
        return min(ranks, default=len(ACLED_SEVERITY))

    return min(mentions, key=severity)


Pick = Literal["telling", "primary"]


def examples_from(
    records: Sequence[GoldRecord],
    source: str,
    modes_coded: bool = False,
    weight: float = 1.0,
    cache_dir: Path | None = None,
    progress: TextIO | None = None,
    workers: int = 1,
    pick: Pick = "telling",
) -> list[Example]:
    """Turn gold records into training examples: labels per head and the rules' findings.

    pick: whose rules' features an example gets: the candidate telling the gold event
    (`telling_rules`; texts of several events, as stories are) or the rules' most severe
    candidate (`primary_rules`; one-event reports, as ACLED notes are).
    """
    rules = cached_rules([r.text for r in records], cache_dir, progress, workers)
    examples = []
    for record, mentions in zip(records, rules, strict=True):
        labels = labels_of(record, modes_coded)
        if any(labels.values()):
            told = primary_rules(mentions) if pick == "primary" else telling_rules(mentions, labels)
            examples.append(Example(record.text, told, labels, source, weight))
    return examples


def split(examples: Sequence[Example], share: float, seed: int) -> tuple[list[Example], list[Example]]:
    """Split examples into (train, validation) at random, seeded."""
    order = list(range(len(examples)))
    random.Random(seed).shuffle(order)
    cut = round(len(order) * share)
    held = set(order[:cut])
    return [e for i, e in enumerate(examples) if i not in held], [
        e for i, e in enumerate(examples) if i in held
    ]


def matrix(examples: Sequence[Example], bits: int) -> Any:
    """Return the sparse feature matrix of the examples (one row each)."""
    return sparse_matrix((vectorize(e.text, e.rules, bits) for e in examples), bits)


def sample_weights(examples: Sequence[Example], labels: Sequence[str]) -> NDArray[np.float64]:
    """Weigh each example: big sources capped (SOURCE_CAP), classes balanced by the square root."""
    per_source = Counter(e.source for e in examples)
    per_class = Counter(labels)
    mean_class = len(labels) / len(per_class)
    return np.array(
        [
            e.weight * min(1.0, SOURCE_CAP / per_source[e.source]) * math.sqrt(mean_class / per_class[label])
            for e, label in zip(examples, labels, strict=True)
        ]
    )


def fit_head(x: Any, labels: list[str], weights: NDArray[np.float64], c: float) -> Fitted:
    """Fit one multinomial logistic regression head."""
    from sklearn.linear_model import LogisticRegression

    classes = sorted(set(labels))
    if len(classes) == 1:  # one class only: a constant head
        return Fitted(classes, np.zeros((1, x.shape[1])), np.zeros(1))
    model = LogisticRegression(C=c, max_iter=300, tol=1e-3)
    model.fit(x, labels, sample_weight=weights)
    coef, intercept = model.coef_, model.intercept_
    if len(classes) == 2:  # binary: sklearn keeps one row; the softmax needs one per class
        coef, intercept = (
            np.vstack([-coef[0] / 2, coef[0] / 2]),
            np.array([-intercept[0] / 2, intercept[0] / 2]),
        )
    return Fitted([str(c) for c in model.classes_], coef, intercept)


def scores_of(head: Fitted, x: Any) -> NDArray[np.float64]:
    """Return the head's raw class scores for each row."""
    result: NDArray[np.float64] = np.asarray(x @ head.weights.T) + head.intercept
    return result


def softmax(scores: NDArray[np.float64], temperature: float) -> NDArray[np.float64]:
    """Return row-wise probabilities of scores at a temperature."""
    z = scores / temperature
    z = np.exp(z - z.max(axis=1, keepdims=True))
    result: NDArray[np.float64] = z / z.sum(axis=1, keepdims=True)
    return result


# the heads whose rules' label is mixed in, and how a document's rules' features name that label;
# not the sub-type head: trusting the rules' "Peaceful protest" (0.9, fit in domain) cost 3 points of
# sub-type across regions (Africa 2016: 59.1% -> 56.1%), where force against protesters is common
RULE_LABELS = {"plover": "r type ", "acled": "r acled ", "mode": "r mode "}
TRUST_GRID = tuple(round(0.1 * i, 1) for i in range(10))
MIN_TRUST_EXAMPLES = 20


def rule_label(rules: Sequence[str], head: str) -> str:
    """Return the rules' label of a document for a head: its most severe candidate's, or none."""
    prefix = RULE_LABELS[head]
    found = {f[len(prefix) :] for f in rules if f.startswith(prefix)} - {"None"}
    if head == "mode":  # "ASSAULT aerial", "CONSULT None" -> "CONSULT -", as the mode head names them
        found = {label.replace(" None", f" {NO_MODE}") for label in found}
    if not found:
        return NONE
    order = PLOVER_SEVERITY if head == "plover" else ACLED_SEVERITY
    return min(found, key=lambda label: (order.index(label) if label in order else len(order), label))


def mixed_loss(right: NDArray[np.float64], said: NDArray[np.bool_], weight: float) -> float:
    """Return the log-loss of the model mixed with the rules: right = model's p of the truth."""
    mixed = (1 - weight) * right + weight * said
    return float(-np.log(np.maximum(mixed, 1e-12)).mean())


def fit_trust(
    probabilities: NDArray[np.float64], classes: list[str], truth: NDArray[np.int64], rules: list[str]
) -> dict[str, float]:
    """Choose, per rules' label, the weight of that label beside the model that minimises log-loss."""
    trust = {}
    for label in sorted(set(rules)):
        if label not in classes:
            continue
        rows = [i for i, r in enumerate(rules) if r == label]
        if len(rows) < MIN_TRUST_EXAMPLES:
            continue
        right = probabilities[rows][np.arange(len(rows)), truth[rows]]
        said = truth[rows] == classes.index(label)
        best = min(TRUST_GRID, key=lambda w: mixed_loss(right, said, w))
        if best:
            trust[label] = best
    return trust


def calibrate(head: Fitted, x: Any, labels: list[str], rules: list[str] | None = None) -> None:
    """Choose the temperature (and rules' trust) that minimise validation log-loss; record figures."""
    known = [i for i, label in enumerate(labels) if label in head.classes]
    if not known:
        return
    scores = scores_of(head, x[known])
    truth = np.array([head.classes.index(labels[i]) for i in known])

    def loss(t: float) -> float:
        p = softmax(scores, t)[np.arange(len(truth)), truth]
        return float(-np.log(np.maximum(p, 1e-12)).mean())

    head.temperature = min(TEMPERATURES, key=loss)
    probabilities = softmax(scores, head.temperature)
    if rules is not None:
        head.rule_trust = fit_trust(probabilities, head.classes, truth, [rules[i] for i in known])
        for label, weight in head.rule_trust.items():
            rows = np.array([rules[i] == label for i in known])
            probabilities[rows] *= 1 - weight
            probabilities[rows, head.classes.index(label)] += weight
    predicted = probabilities.argmax(axis=1)
    head.validation = {
        "n": len(labels),
        "accuracy": float((predicted == truth).sum() / len(labels)),
        "log_loss": round(loss(head.temperature), 4),
        "reliability": reliability(probabilities.max(axis=1), predicted == truth),
    }


def reliability(confidence: NDArray[np.float64], correct: NDArray[np.bool_]) -> list[dict[str, Any]]:
    """Return a reliability table: per confidence band, how many and how often right."""
    table = []
    for low in (0.0, 0.5, 0.7, 0.9):
        high = {0.0: 0.5, 0.5: 0.7, 0.7: 0.9, 0.9: 1.01}[low]
        inside = (confidence >= low) & (confidence < high)
        if inside.any():
            table.append(
                {
                    "band": f"{low:.1f}-{min(high, 1.0):.1f}",
                    "n": int(inside.sum()),
                    "mean_confidence": round(float(confidence[inside].mean()), 3),
                    "accuracy": round(float(correct[inside].mean()), 3),
                }
            )
    return table


def fit(
    train: Sequence[Example],
    validation: Sequence[Example],
    bits: int = DEFAULT_BITS,
    c: float | None = None,
    progress: TextIO | None = None,
    heads: Sequence[str] = HEADS,
) -> dict[str, Fitted]:
    """Fit each head on the examples labelled for it and calibrate it on the validation examples.

    c: the inverse regularisation of every head; None: `head_c` (HEAD_C, else DEFAULT_C).
    heads: the heads to fit (the event model's by default); one with no labelled example is left out.
    """
    x_train, x_valid = matrix(train, bits), matrix(validation, bits) if validation else None
    fitted = {}
    for head in heads:
        rows = [i for i, e in enumerate(train) if e.labels.get(head) is not None]
        if not rows:
            continue
        labels = [str(train[i].labels[head]) for i in rows]
        if progress is not None:
            print(f"train: head {head}: {len(rows)} examples, {len(set(labels))} classes", file=progress)
        weights = sample_weights([train[i] for i in rows], labels)
        fitted[head] = fit_head(x_train[rows], labels, weights, head_c(head, c))
        if x_valid is not None:
            held = [i for i, e in enumerate(validation) if e.labels.get(head) is not None]
            if held:
                rules = [rule_label(validation[i].rules, head) for i in held] if head in RULE_LABELS else None
                calibrate(fitted[head], x_valid[held], [str(validation[i].labels[head]) for i in held], rules)
    return fitted


def head_c(head: str, c: float | None = None) -> float:
    """Return a head's inverse regularisation: `c` when given, else its default (HEAD_C, DEFAULT_C)."""
    return HEAD_C.get(head, DEFAULT_C) if c is None else c


def validation_table(fitted: dict[str, Fitted]) -> str:
    """Render the validation figures of each head as a small table."""
    lines = [
        "| head | validation examples | accuracy | log-loss | temperature | rules' trust |",
        "|---|---|---|---|---|---|",
    ]
    for head, result in fitted.items():
        figures = result.validation
        trust = ", ".join(f"{k} {v}" for k, v in sorted(result.rule_trust.items())) or "-"
        if figures:
            lines.append(
                f"| {head} | {figures['n']} | {100 * figures['accuracy']:.1f}% | {figures['log_loss']} "
                f"| {result.temperature} | {trust} |"
            )
        else:
            lines.append(f"| {head} | 0 | - | - | {result.temperature} | {trust} |")
    return "\n".join(lines)


def train_model(
    sources: Iterable[tuple[str, list[Example]]],
    output: Path,
    name: str,
    version: str,
    seed: int = 0,
    validation_share: float = 0.1,
    validation: Sequence[Example] = (),
    bits: int = DEFAULT_BITS,
    c: float | None = None,
    card: dict[str, Any] | None = None,
    progress: TextIO | None = sys.stderr,
) -> dict[str, Fitted]:
    """Fit, calibrate and write a model directory; return the fitted heads with their figures.

    Validation is `validation` when given, else a seeded `validation_share` of every source.
    """
    train: list[Example] = []
    held: list[Example] = list(validation)
    counts = {}
    for source, examples in sources:
        counts[source] = len(examples)
        if validation:
            train.extend(examples)
        else:
            part, rest = split(examples, validation_share, seed)
            train.extend(part)
            held.extend(rest)
    if not train:
        raise GoldFormatError("no training examples: the gold files hold no labelled text")
    fitted = fit(train, held, bits, c, progress)
    details = dict(card or {})
    details.update(
        {
            "seed": seed,
            "bits": bits,
            "C": {h: head_c(h, c) for h in fitted},
            "examples": counts,
            "validation": {h: f.validation for h, f in fitted.items()},
        }
    )
    save_model(
        output,
        name,
        version,
        bits,
        {h: (f.classes, f.weights, f.intercept, f.temperature, f.rule_trust) for h, f in fitted.items()},
        details,
    )
    return fitted
