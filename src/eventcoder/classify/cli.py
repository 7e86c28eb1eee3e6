"""`eventcoder train`: fit an event model from gold files and print its validation table."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from eventcoder.classify.train import (
    DEFAULT_BITS,
    DEFAULT_C,
    HEAD_C,
    check_labels,
    examples_from,
    train_model,
    validation_table,
)
from eventcoder.errors import GoldFormatError
from eventcoder.evaluate.gold import FORMATS, GoldFormat, read_gold


def default_cache() -> Path:
    """Return the folder where the rules' findings on gold texts are cached between runs."""
    from eventcoder.resolve.gazetteer import cache_dir

    return cache_dir() / "train"


@click.command()
@click.argument("gold", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(FORMATS), required=True, help="Format of the gold files.")
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), required=True, help="Model directory to write."
)
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the validation split.")
@click.option(
    "--validation-share", type=float, default=0.1, show_default=True, help="Share held out for validation."
)
@click.option(
    "--validate",
    type=click.Path(path_type=Path),
    help="A gold file (same format) to validate and calibrate on instead of a held-out share.",
)
@click.option(
    "--name", default=None, help="Model name the records' reasons carry (default: the folder name)."
)
@click.option(
    "--bits", type=int, default=DEFAULT_BITS, show_default=True, help="Hashed feature columns: 2**bits."
)
@click.option(
    "--c",
    "c",
    type=float,
    default=None,
    help=f"Inverse regularisation of every head (default: {DEFAULT_C}, the ACLED head {HEAD_C['acled']}).",
)
@click.option(
    "--no-cache", is_flag=True, help="Run the rules on every text again instead of using the cache."
)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="Processes the rules run in on texts the cache lacks (the model is the same).",
)
def train(
    gold: tuple[Path, ...],
    fmt: GoldFormat,
    output: Path,
    seed: int,
    validation_share: float,
    validate: Path | None,
    name: str | None,
    bits: int,
    c: float | None,
    no_cache: bool,
    workers: int,
) -> None:
    """Train an event model on GOLD files; use it with --model DIR (or EVENTCODER_MODEL=DIR).

    The model decides PLOVER type and mode, ACLED event and sub-event type, and "no event" for each
    candidate event the rules find. Exit status 0 when the model is written, 2 for bad gold files.
    """
    if not 0.0 <= validation_share < 1.0 or not 8 <= bits <= 22:
        raise click.UsageError("--validation-share must lie in [0, 1) and --bits in [8, 22]")
    cache = None if no_cache else default_cache()
    try:
        sources = []
        for path in gold:
            records = list(read_gold(path, fmt))
            if not records:
                raise GoldFormatError(
                    f"{path}: no gold records in this file; is it empty, or the wrong --format?"
                )
            check_labels(records)
            sources.append(
                (
                    path.name,
                    examples_from(
                        records,
                        path.name,
                        modes_coded=fmt == "jsonl",
                        cache_dir=cache,
                        progress=sys.stderr,
                        workers=workers,
                        pick="primary" if fmt == "acled" else "telling",
                    ),
                )
            )
        held = []
        if validate is not None:
            records = list(read_gold(validate, fmt))
            check_labels(records)
            held = examples_from(
                records, validate.name, modes_coded=fmt == "jsonl", cache_dir=cache, workers=workers
            )
        fitted = train_model(
            sources,
            output,
            name or output.resolve().name,
            "1",
            seed=seed,
            validation_share=validation_share,
            validation=held,
            bits=bits,
            c=c,
            card={"trained_on": [str(p) for p in gold], "format": fmt},
        )
    except GoldFormatError as error:
        click.echo(f"eventcoder train: {error}", err=True)
        sys.exit(2)
    click.echo(validation_table(fitted))
    click.echo(f"eventcoder train: model written to {output}; use it with --model {output}", err=True)
