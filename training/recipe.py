"""Build eventcoder's shipped event model from the development sets only.

    python training/recipe.py --data ../shared/data -o src/eventcoder/classify/models/default

`scripts/train-default` runs exactly this. The held-out sets of the data folder are never read.
`sources()` is also what benchmarks/accuracy.py trains its validation models from, leaving out
the set it scores.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from eventcoder.classify.backoff import fit_backoff
from eventcoder.classify.cli import default_cache
from eventcoder.classify.train import Example, examples_from, train_model, validation_table
from eventcoder.evaluate.gold import GoldRecord, read_gold

HERE = Path(__file__).resolve().parent
VERSION = "1.8"

# name -> (path under the data folder, gold format, modes coded, weight); development sets only
DEV_SOURCES = {
    "acled-africa-2016": ("acled-africa-2016/acled_africa_2016-01-01_to_2016-05-28.csv", "acled", False, 1.0),
    "acled-asia-2015": ("acled-asia-2015/acled_asia_2015-04_to_2015-10.csv", "acled", False, 1.0),
    "ngec-synthetic": ("ngec-synthetic/gpt_synthetic_events_2023-10-19_19.csv", "plover", True, 1.0),
    "cameo-conflibert-annotations": ("cameo-conflibert-annotations", "case", False, 1.0),
}


def india_police(data: Path) -> list[GoldRecord]:
    """Read IndiaPoliceEvents train+dev sentences where police killed, used force or arrested."""
    records = []
    for part in ("train", "dev"):
        path = data / "india-police-events" / f"sents_{part}.csv"
        with path.open(encoding="utf-8", newline="") as handle:
            for line, row in enumerate(csv.DictReader(handle), start=2):
                violent = row["KILL"] == "1" or row["FORCE"].strip('"') == "1"
                if violent or row["ARREST"] == "1":
                    kind, mode = ("ASSAULT", None) if violent else ("COERCE", "arrest")
                    records.append(
                        GoldRecord(
                            id=f"{part}:{line}",
                            text=row["text"],
                            plover_types=(kind,),
                            plover_mode=mode,
                            origin=f"{path}:{line}",
                        )
                    )
    return records


def gold_of(data: Path, name: str) -> list[GoldRecord]:
    """Read one development source's gold records."""
    relative, fmt, _, _ = DEV_SOURCES[name]
    return list(read_gold(data / relative, fmt))  # type: ignore[arg-type]


def sources(
    data: Path, leave_out: str | None = None, progress: object = sys.stderr, workers: int = 1
) -> Iterator[tuple[str, list[Example]]]:
    """Yield (source, examples) of every development source, without `leave_out`'s scored part.

    leave_out: a DEV_SOURCES name, left out whole. workers: processes the rules run in.
    """
    cache = default_cache()
    for name, (_, fmt, modes_coded, weight) in DEV_SOURCES.items():
        if name == leave_out:
            continue
        records = gold_of(data, name)
        print(f"recipe: {name}: {len(records)} records", file=progress)  # type: ignore[arg-type]
        pick = "primary" if fmt == "acled" else "telling"  # ACLED notes: one event per note
        yield name, examples_from(records, name, modes_coded, weight, cache, progress, workers, pick)  # type: ignore[arg-type]
    yield (
        "india-police-events",
        examples_from(india_police(data), "india-police-events", False, 1.0, cache, workers=workers),
    )
    handwritten = list(read_gold(HERE / "handwritten.jsonl", "jsonl"))
    yield "handwritten", examples_from(handwritten, "handwritten", True, 2.0, cache, workers=workers)


# news sentences the model never trains on; one seeded half tunes the back-off to the rules
# (classify/backoff.py), the other half is what benchmarks/accuracy.py scores
TUNING_SET = ("conflibert-cameo/cameo_class_train.tsv", "case")


def tuning_halves(data: Path) -> tuple[list[GoldRecord], list[GoldRecord]]:
    """Return (tuning half, scored half) of TUNING_SET, split by a hash of each record's id."""
    records = list(read_gold(data / TUNING_SET[0], TUNING_SET[1]))  # type: ignore[arg-type]
    tune = [r for r in records if int(hashlib.sha1(r.id.encode()).hexdigest(), 16) % 2 == 0]
    ids = {r.id for r in tune}
    return tune, [r for r in records if r.id not in ids]


def build(data: Path, output: Path, seed: int = 2024, leave_out: str | None = None, workers: int = 1) -> str:
    """Train a model by the recipe, fit its back-off to the rules; return its validation table."""
    fitted = train_model(
        list(sources(data, leave_out, workers=workers)),
        output,
        "eventcoder-default" if leave_out is None else f"eventcoder-without-{leave_out}",
        VERSION,
        seed=seed,
        card={
            "recipe": "training/recipe.py",
            "sources": [*DEV_SOURCES, "india-police-events", "handwritten"],
            "backoff tuned on": f"{TUNING_SET[0]} (the half of even id hash)",
        },
    )
    backoff = fit_backoff(output, tuning_halves(data)[0])
    return (
        validation_table(fitted)
        + f"\n\nback-off to the rules below p={backoff.below} "
        + (f"(rules right {100 * backoff.confidence:.0f}% there on the tuning half)")
    )


def main(argv: list[str] | None = None) -> int:
    """Train the default model and print its validation table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=HERE.parents[1] / "shared" / "data")
    parser.add_argument(
        "-o", "--output", type=Path, default=HERE.parent / "src/eventcoder/classify/models/default"
    )
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument(
        "--leave-out", choices=sorted(DEV_SOURCES), help="train a validation model without this set"
    )
    parser.add_argument("--backoff-only", action="store_true", help="only refit the back-off of -o")
    parser.add_argument(
        "--workers", type=int, default=os.cpu_count() or 1, help="processes the rules run in (default: all)"
    )
    args = parser.parse_args(argv)
    if args.backoff_only:
        print(fit_backoff(args.output, tuning_halves(args.data)[0]))
    else:
        print(build(args.data, args.output, args.seed, args.leave_out, args.workers))
    return 0


if __name__ == "__main__":
    sys.exit(main())
