"""`eventcoder eval`: run the pipeline on a gold file's texts and print per-field accuracy."""

from __future__ import annotations

import json
import random
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, TextIO

import click

from eventcoder.cli import model_option
from eventcoder.errors import BadDocument, GoldFormatError
from eventcoder.evaluate.gold import FORMATS, GoldFormat, GoldRecord, read_gold
from eventcoder.evaluate.score import (
    Report,
    disagreement,
    format_report,
    is_disagreement,
    score_document,
    summarize,
)
from eventcoder.records import Document, Event


def select_records(
    records: Sequence[GoldRecord], limit: int | None, sample: int | None, seed: int
) -> list[GoldRecord]:
    """Return a seeded random sample of the records (in file order), then the first `limit`."""
    chosen = list(records)
    if sample is not None and sample < len(chosen):
        keep = set(random.Random(seed).sample(range(len(chosen)), sample))
        chosen = [r for i, r in enumerate(chosen) if i in keep]
    return chosen[:limit] if limit is not None else chosen


def code_gold(
    records: Sequence[GoldRecord], batch_size: int = 16, model: str | None = None
) -> Iterator[tuple[GoldRecord, list[Event]]]:
    """Code each gold text with the pipeline (no publication date) and yield it with its events.

    A text the pipeline rejects (BadDocument) is reported on stderr and scored as no events.
    """
    from eventcoder.pipeline import code_documents  # imported here: loads the model

    by_id = {str(i): r for i, r in enumerate(records)}

    def report(bad: BadDocument) -> None:
        click.echo(f"{by_id[bad.doc_id].id}: {bad.reason}", err=True)

    documents = (Document(id=i, text=record.text) for i, record in by_id.items())
    results = code_documents(documents, batch_size=batch_size, on_error=report, model=model)
    coded = next(results, None)
    for i, record in by_id.items():
        if coded is not None and coded[0].id == i:
            yield record, coded[1]
            coded = next(results, None)
        else:
            yield record, []  # rejected: scored as no events


def evaluate_records(
    records: Sequence[GoldRecord],
    on_disagreement: Callable[[dict[str, Any]], object] | None = None,
    progress: TextIO | None = None,
    model: str | None = None,
) -> Report:
    """Code the records, score every document and return the Report."""
    scores = []
    started = time.perf_counter()
    for done, (gold, events) in enumerate(code_gold(records, model=model), start=1):
        result = score_document(gold, events)
        scores.append(result)
        if on_disagreement is not None and is_disagreement(result):
            on_disagreement(disagreement(gold, events, result))
        if progress is not None and done % 200 == 0:
            rate = done / (time.perf_counter() - started)
            print(f"{done}/{len(records)} documents, {rate:.1f}/s", file=progress)
    return summarize(scores)


@click.command("eval")
@click.argument("gold", type=click.Path(path_type=Path))
@model_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    required=True,
    help="acled: ACLED CSV (notes as text); plover: PLOVER/CAMEO JSON; case: sentence labels.",
)
@click.option("--limit", type=click.IntRange(min=1), help="Score only the first N records.")
@click.option("--sample", type=click.IntRange(min=1), help="Score a random sample of N records.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of --sample.")
@click.option(
    "--disagreements",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Write each disagreement (text, gold, predicted events) to this JSONL file.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON, not a table.")
def evaluate(
    gold: Path,
    fmt: GoldFormat,
    limit: int | None,
    sample: int | None,
    seed: int,
    disagreements: Path | None,
    as_json: bool,
) -> None:
    """Code a gold file's texts and print per-field accuracy against the human coding.

    Texts are coded without a publication date. Figures go to stdout, progress to stderr.
    """
    try:
        records = select_records(list(read_gold(gold, fmt)), limit, sample, seed)
    except GoldFormatError as error:
        raise click.UsageError(str(error)) from None
    if not records:
        click.echo(f"{gold}: no gold records with text; nothing to score", err=True)
        sys.exit(1)
    started = time.perf_counter()
    if disagreements is not None:
        with disagreements.open("w", encoding="utf-8") as out:
            report = evaluate_records(
                records,
                lambda row: out.write(json.dumps(row, ensure_ascii=False) + "\n"),
                progress=sys.stderr,
            )
    else:
        report = evaluate_records(records, progress=sys.stderr)
    seconds = time.perf_counter() - started
    if as_json:
        click.echo(json.dumps({"gold": str(gold), "seconds": round(seconds, 1), **report.to_dict()}))
    else:
        click.echo(format_report(report, f"{gold.name}, --format {fmt}"))
    click.echo(f"{len(records)} documents coded in {seconds:.1f} s", err=True)
