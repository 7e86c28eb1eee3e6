"""Build eventcoder's shipped ACLED actor-type model from the ACLED development sets only.

    OMP_NUM_THREADS=1 python training/actors_recipe.py --data ../shared/data \
        -o src/eventcoder/resolve/models/actors

Every set is split as the shipped event model splits it (recipe.py's sources, train.split with
share 0.1 and seed 2024 over the records that carry a label), so benchmarks/accuracy.py's
in-domain figures are on notes neither model trained on. `validation_model()` trains the same
recipe without one whole set, for the cross-region figures. The held-out sets are never read.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path

import recipe

from eventcoder.classify.train import Example, labels_of, rules_version, split
from eventcoder.evaluate.gold import GoldRecord, read_gold
from eventcoder.resolve.actor_cli import (
    actor_examples,
    country_examples,
    event_model_id,
    train_actor_model,
    validation_line,
)
from eventcoder.resolve.gazetteer import cache_dir

VERSION = "1.7"
SETS = ("acled-africa-2016", "acled-asia-2015")
SEED = 2024
CARD = {
    "data": "ACLED development notes (acled-africa-2016, acled-asia-2015): ACTOR1/INTER1, ACTOR2/INTER2",
    "licence": "ACLED terms of use: attribution to ACLED required; weights only, no ACLED text stored",
}


def held_out_records(name: str, records: list[GoldRecord]) -> tuple[list[GoldRecord], list[GoldRecord]]:
    """Split a set's records as the shipped event model did: (trained on, held out)."""
    _, _, modes_coded, weight = recipe.DEV_SOURCES[name]
    labelled = [
        Example(r.text, (), labels, name, weight)
        for r in records
        if any((labels := labels_of(r, modes_coded)).values())
    ]
    _, validation = split(labelled, 0.1, SEED)
    held = {e.text for e in validation}
    return [r for r in records if r.text not in held], [r for r in records if r.text in held]


def sources(data: Path, leave_out: str | None = None) -> Iterator[tuple[str, list[Example], list[Example]]]:
    """Yield (set, training examples, validation examples) of each ACLED set but `leave_out`."""
    for name in SETS:
        if name == leave_out:
            continue
        records = list(read_gold(data / recipe.DEV_SOURCES[name][0], "acled"))
        trained, held = held_out_records(name, records)
        print(
            f"actors recipe: {name}: {len(trained)} notes to train on, {len(held)} held out", file=sys.stderr
        )
        cache = cache_dir() / "actors"
        yield (
            name,
            actor_examples(trained, name, "default", cache, sys.stderr) + country_examples(trained, name),
            actor_examples(held, name, "default", cache, sys.stderr) + country_examples(held, name),
        )


def validation_model(data: Path, leave_out: str) -> Path:
    """Return an actor model trained by this recipe without `leave_out` (cached per rules version)."""
    coder = event_model_id("default")  # the contexts' event model: a retrained one makes a new model
    folder = (
        cache_dir()
        / "actors"
        / "validation-models"
        / f"without-{leave_out}-{rules_version()}-{coder}-{VERSION}"
    )
    if not (folder / "model.json").exists():
        print(f"training an actor model without {leave_out} ...", file=sys.stderr)
        fitted = train_actor_model(
            sources(data, leave_out), folder, f"eventcoder-actors-without-{leave_out}", VERSION, card=CARD
        )
        print(validation_line(fitted), file=sys.stderr)
    return folder


def main(argv: list[str] | None = None) -> int:
    """Train the shipped actor model and print its validation figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="the shared data folder")
    parser.add_argument("-o", "--output", type=Path, required=True, help="model directory to write")
    args = parser.parse_args(argv)
    fitted = train_actor_model(sources(args.data), args.output, "eventcoder-actors", VERSION, card=CARD)
    print(validation_line(fitted))
    order = json.loads((args.output / "model.json").read_text(encoding="utf-8"))["card"]["validation"]
    print(f"order head validation: {order.get('order')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
