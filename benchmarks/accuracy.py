"""Accuracy on the development sets, rules-only beside the learned model: markdown for the README.

    python benchmarks/accuracy.py                 # 500 records per split, seed 2024
    python benchmarks/accuracy.py --sample 200 --sets acled-asia-2015
    python benchmarks/accuracy.py --models rules  # the rules alone, as before the learned stage

Every learned figure is on records its model never trained on:
  * in-domain: the shipped model's own held-out 10% of a set (training/recipe.py's seeded split);
  * cross-region: an event model, an actor model and a document-country head trained by the same
    recipes without the whole set (train on Africa 2016, score Asia 2015, and the reverse);
  * the in-domain ACLED rows place events with a document-country head trained without the
    held-out notes (training/country_recipe.py), as the shipped head's own split holds most of them;
  * sets the recipe never trains on use the shipped model: PETRARCH-2 validation whole, and of
    ConfliBERT-CAMEO train the half that did not tune the back-off to the rules (recipe.tuning_halves).
Reads only the development sets of ../shared/data (see its README); never the held-out ones.
Prints figures, never asserts them. Texts are coded with no publication date.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "training"))

import actors_recipe
import country_recipe
import recipe

from eventcoder.classify.train import Example, labels_of, rules_version, split
from eventcoder.evaluate.cli import code_gold, select_records
from eventcoder.evaluate.gold import GoldFormat, GoldRecord, read_gold
from eventcoder.evaluate.score import (
    Report,
    asserted,
    matched_event,
    primary_event,
    score_document,
    summarize,
)
from eventcoder.resolve.gazetteer import cache_dir
from eventcoder.resolve.place_country import COUNTRY_MODEL_ENV
from eventcoder.resolve.place_country import default_folder as default_country_folder
from eventcoder.store.export import write_acled_csv

ACTOR_MODEL_ENV = "EVENTCODER_ACTOR_MODEL"

# name -> (path under the data folder, gold format, how learned figures are taken)
DEV_SETS: dict[str, tuple[str, GoldFormat, str]] = {
    "acled-africa-2016": (recipe.DEV_SOURCES["acled-africa-2016"][0], "acled", "both"),
    "acled-asia-2015": (recipe.DEV_SOURCES["acled-asia-2015"][0], "acled", "both"),
    "cameo-conflibert-annotations": ("cameo-conflibert-annotations", "case", "held"),
    "petrarch2-gsr-validation": ("petrarch2-gsr-validation/petr2_gsr_validation.jsonl", "plover", "never"),
    "conflibert-cameo (train)": (recipe.TUNING_SET[0], recipe.TUNING_SET[1], "tuned"),
}

# column header -> field of Report (or a violent-event figure)
COLUMNS = {
    "ACLED type": "acled_type",
    "ACLED type (any event)": "acled_type_any",
    "sub-type": "acled_sub_type",
    "PLOVER type": "plover_type",
    "CAMEO root": "cameo_root",
    "PentaClass": "penta",
    "actor-1 country": "actor1_country",
    "actor-2 country": "actor2_country",
    "inter1": "actor1_inter",
    "inter2": "actor2_inter",
    "actor-1 name": "actor1_name",
    "actor-2 name": "actor2_name",
    "fatalities": "fatalities",
    "place ≤25 km": "place_25km",
    "violent P": "violent_precision",
    "violent R": "violent_recall",
}
Row = tuple[str, str, str, Report, float]


def default_data_folder() -> Path:
    """Return ../shared/data beside the repository, where the datasets live."""
    return Path(__file__).resolve().parents[2] / "shared" / "data"


def cell(report: Report, field: str) -> str:
    """Format one figure as 'xx.x% (n)' or a dash where the set does not code it."""
    if field == "violent_precision":
        value, n = report.violent_precision(), report.violent["tp"] + report.violent["fp"]
    elif field == "violent_recall":
        value, n = report.violent_recall(), report.violent["tp"] + report.violent["fn"]
    else:
        value, n = report.accuracy(field), report.scored[field]
    return "-" if value is None else f"{100 * value:.1f}% ({n})"


def markdown_table(rows: Sequence[Row], only: Sequence[str] = ()) -> str:
    """Render one row per set, split and model with the figures the set codes (`only` these columns)."""
    used = [
        h
        for h, f in COLUMNS.items()
        if (not only or h in only) and any(cell(r, f) != "-" for *_, r, _ in rows)
    ]
    header = ["set", "split", "model", "docs", *used, "docs/s"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for name, part, model, report, seconds in rows:
        values = [cell(report, COLUMNS[h]) for h in used]
        rate = report.documents / seconds if seconds else 0.0
        lines.append(
            "| " + " | ".join([name, part, model, str(report.documents), *values, f"{rate:.0f}"]) + " |"
        )
    return "\n".join(lines)


def validation_model(data: Path, leave_out: str) -> str:
    """Return a model built by the recipe without `leave_out` (cached per rules version)."""
    folder = cache_dir() / "validation-models" / f"without-{leave_out}-{rules_version()}-{recipe.VERSION}"
    if not (folder / "model.json").exists():
        print(f"training a validation model without {leave_out} ...", file=sys.stderr)
        print(recipe.build(data, folder, 2024, leave_out, os.cpu_count() or 1), file=sys.stderr)
    return str(folder)


def held_out(data: Path, name: str, records: list[GoldRecord]) -> list[GoldRecord]:
    """Return the records of a set that the shipped model held out for validation (never trained on).

    The split depends only on which records carry a label (train.examples_from keeps those), so
    it is taken here without running the rules.
    """
    _, _, modes_coded, weight = recipe.DEV_SOURCES[name]
    labelled = [
        Example(r.text, (), labels, name, weight)
        for r in records
        if any((labels := labels_of(r, modes_coded)).values())
    ]
    _, validation = split(labelled, 0.1, 2024)
    texts = {e.text for e in validation}
    return [r for r in records if r.text in texts]


def run(
    records: list[GoldRecord],
    model: str,
    reliability: list[tuple[float, bool]],
    exported: list[dict[str, Any]] | None = None,
) -> tuple[Report, float]:
    """Code and score records with one model; add (confidence, type right) pairs to reliability.

    `exported`: gets each note's matched event as a store record, for the ACLED export round trip.
    """
    started = time.perf_counter()
    scores = []
    for gold, events in code_gold(records, model=model):
        if exported is not None:
            match = matched_event(gold, asserted(events))
            if match is not None:
                exported.append({**match.to_dict(), "id": gold.id, "sources": [{"doc_id": gold.id}]})
        result = score_document(gold, events)
        scores.append(result)
        right = result.fields.get("acled_type", result.fields.get("plover_type"))
        primary = primary_event([e for e in events if not (e.flags.negated or e.flags.hypothetical)])
        if right is not None and primary is not None:
            reliability.append((primary.confidence, bool(right)))
    return summarize(scores), time.perf_counter() - started


def reliability_table(pairs: list[tuple[float, bool]]) -> str:
    """Render confidence bands against how often the primary event's type was right."""
    lines = ["| confidence | events | mean confidence | type right |", "|---|---|---|---|"]
    for low, high in ((0.0, 0.5), (0.5, 0.7), (0.7, 0.9), (0.9, 1.01)):
        inside = [(c, r) for c, r in pairs if low <= c < high]
        if inside:
            mean = sum(c for c, _ in inside) / len(inside)
            right = sum(r for _, r in inside) / len(inside)
            lines.append(
                f"| {low:.1f}-{min(high, 1.0):.1f} | {len(inside)} | {mean:.2f} | {100 * right:.1f}% |"
            )
    return "\n".join(lines)


ACTOR_COLUMNS = (
    "ACLED type",
    "actor-1 country",
    "actor-2 country",
    "inter1",
    "inter2",
    "actor-1 name",
    "actor-2 name",
)


def actor_figures(args: argparse.Namespace) -> int:
    """Score the actor fields on the ACLED sets: in-domain held-out and cross-region."""
    rows: list[Row] = []
    trips: list[str] = []
    for name in args.sets or ("acled-africa-2016", "acled-asia-2015"):
        relative, fmt, _ = DEV_SETS[name]
        if fmt != "acled":
            continue
        records = list(read_gold(args.data / relative, fmt))
        splits = [
            ("in-domain held-out", held_out(args.data, name, records), "default", False),
            ("cross-region", records, validation_model(args.data, name), True),
        ]
        for part, chosen, event_model, cross in splits:
            sample = select_records(chosen, None, args.sample, args.seed)
            models = unseen_models(args.data, name, cross)
            os.environ.update(models)
            label = f"events {Path(event_model).name}, actors {Path(models[ACTOR_MODEL_ENV]).name}"
            print(f"{name} / {part}: coding {len(sample)} records ({label})", file=sys.stderr)
            exported: list[dict[str, Any]] = []
            report, seconds = run(sample, event_model, [], exported)
            rows.append((name, part, label, report, seconds))
            trips.append(f"{name} / {part}: {round_trip(sample, exported)}")
    for variable in (ACTOR_MODEL_ENV, COUNTRY_MODEL_ENV):
        os.environ.pop(variable, None)
    print(f"Actor figures on the ACLED development sets, up to {args.sample} (seed {args.seed}) per split.\n")
    print(markdown_table(rows, ACTOR_COLUMNS))
    print("\nThe ACLED CSV export of the same notes, read back by evaluate/gold.py's ACLED reader:\n")
    print("\n".join(f"- {line}" for line in trips))
    return 0


def round_trip(gold: list[GoldRecord], exported: list[dict[str, Any]]) -> str:
    """Export records as ACLED CSV, read them back as gold and score their actor columns."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export.csv"
        with path.open("w", encoding="utf-8", newline="") as out:
            write_acled_csv(exported, out)
        back = {r.id: r for r in read_gold(path, "acled")}
    figures = []
    for label, get in (
        ("actor-1 country", lambda r: r.actor1_country),
        ("inter1", lambda r: r.inter1),
        ("actor-1 name", lambda r: r.actor1),
        ("actor-2 country", lambda r: r.actor2_country),
        ("inter2", lambda r: r.inter2),
    ):
        scored = [g for g in gold if get(g) is not None]
        right = sum(1 for g in scored if g.id in back and get(back[g.id]) == get(g))
        figures.append(f"{label} {100 * right / max(len(scored), 1):.1f}% ({len(scored)})")
    return f"{len(back)} rows; " + ", ".join(figures)


def unseen_models(data: Path, name: str, cross: bool) -> dict[str, str]:
    """Return the environment that codes a split of `name` with an actor model and a document-country
    head that never saw its notes, as its event model never did.

    In domain: the shipped actor model (the event recipe's split) and a country head trained without
    the event recipe's held-out notes (the shipped head's place split holds most of them); across
    regions: both trained without the whole set. Other sets: the shipped models.
    """
    if name not in actors_recipe.SETS:
        return {ACTOR_MODEL_ENV: "default", COUNTRY_MODEL_ENV: str(default_country_folder())}
    if not cross:
        return {ACTOR_MODEL_ENV: "default", COUNTRY_MODEL_ENV: str(country_recipe.validation_model(data))}
    return {
        ACTOR_MODEL_ENV: str(actors_recipe.validation_model(data, name)),
        COUNTRY_MODEL_ENV: str(country_recipe.validation_model(data, name)),
    }


def main(argv: list[str] | None = None) -> int:
    """Score rules-only and learned models on each development split and print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=500, help="records per split (default 500)")
    parser.add_argument("--seed", type=int, default=2024, help="sample seed (default 2024)")
    parser.add_argument("--data", type=Path, default=default_data_folder(), help="data folder")
    parser.add_argument("--sets", nargs="*", choices=sorted(DEV_SETS), help="only these sets")
    parser.add_argument("--models", default="rules,learned", help="rules, learned or both (default)")
    parser.add_argument(
        "--actors",
        action="store_true",
        help="the ACLED sets' actor figures only, with the ACLED CSV export read back: cross-region "
        "rows code with an event model and an actor model trained without the scored set",
    )
    args = parser.parse_args(argv)
    kinds = args.models.split(",")
    if args.actors:
        return actor_figures(args)
    rows: list[Row] = []
    pairs: list[tuple[float, bool]] = []
    for name in args.sets or DEV_SETS:
        relative, fmt, how = DEV_SETS[name]
        path = args.data / relative
        if not path.exists():
            print(f"{name}: {path} not found; skipped", file=sys.stderr)
            continue
        records = list(read_gold(path, fmt))
        splits: list[tuple[str, list[GoldRecord], str]] = []
        if how == "both":
            splits.append(("in-domain held-out", held_out(args.data, name, records), "default"))
            splits.append(("cross-region", records, "leave-out"))
        elif how == "held":
            splits.append(("in-domain held-out", held_out(args.data, name, records), "default"))
        elif how == "tuned":
            splits.append(("scored half (never trained on)", recipe.tuning_halves(args.data)[1], "default"))
        else:
            splits.append(("never trained on", records, "default"))
        for part, chosen, learned in splits:
            sample = select_records(chosen, None, args.sample, args.seed)
            os.environ.update(unseen_models(args.data, name, learned == "leave-out"))
            for kind in kinds:
                model, label = ("rules", "rules only") if kind == "rules" else (learned, "learned (shipped)")
                if model == "leave-out":
                    model, label = validation_model(args.data, name), f"learned (without {part})"
                print(f"{name} / {part}: coding {len(sample)} records with {label}", file=sys.stderr)
                report, seconds = run(sample, model, pairs if kind == "learned" else [])
                rows.append((name, part, label, report, seconds))
    for variable in (ACTOR_MODEL_ENV, COUNTRY_MODEL_ENV):
        os.environ.pop(variable, None)
    print(
        f"Accuracy on the development sets, a seeded sample of up to {args.sample} "
        f"(seed {args.seed}) per split.\n"
    )
    print(markdown_table(rows))
    if pairs:
        print("\nReliability of the learned models' confidence (primary event, every learned row above):\n")
        print(reliability_table(pairs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
