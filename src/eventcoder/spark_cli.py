"""The `eventcoder spark` command: code a Parquet or JSON-lines corpus on Spark into Parquet.

Kept apart from `eventcoder.spark` so `eventcoder --help` works without pyspark installed.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from eventcoder.cli import model_option

# bad documents named one per line on stderr; the rest are only in the errors Parquet
MAX_REPORTED = 20


def errors_path(output: str) -> str:
    """Return where bad documents go beside OUTPUT: out.parquet -> out.errors.parquet."""
    path = Path(output)
    stem = path.name[: -len(".parquet")] if path.name.endswith(".parquet") else path.name
    return str(path.with_name(f"{stem}.errors.parquet"))


@click.command()
@click.argument("input_path", metavar="INPUT", type=click.Path(exists=True))
@click.argument("output", metavar="OUTPUT")
@model_option
@click.option("--master", default="local[2]", show_default=True, help="Spark master URL.")
@click.option(
    "--partitions",
    type=click.IntRange(min=1),
    help="Repartition the documents into N partitions [default: at least the cores of the master].",
)
@click.option("--errors", "errors", help="Where bad documents go [default: OUTPUT's name + .errors.parquet].")
@click.option("--overwrite", is_flag=True, help="Replace OUTPUT and the errors file if they exist.")
def spark(
    input_path: str, output: str, master: str, partitions: int | None, errors: str | None, overwrite: bool
) -> None:
    """Code INPUT (.parquet, or .jsonl with one document per line) on Spark and write events to OUTPUT.

    Documents need columns id and text (or html), optionally published (YYYY-MM-DD), title, url.
    OUTPUT is a Parquet folder with one row per event, the record's keys as columns (nested
    ones as structs). Bad documents are written with their reason to the errors Parquet and
    named on standard error. Exit status: 0 if at least one document was coded, 1 if none,
    2 for a usage error.
    """
    try:
        from eventcoder import spark as coder
    except ImportError as error:
        raise click.ClickException(
            f"pyspark is not installed ({error}); install it: pip install 'eventcoder[spark]'"
        ) from error
    errors = errors or errors_path(output)
    for target in (output, errors):
        if os.path.exists(target) and not overwrite:
            raise click.UsageError(f"{target} exists; remove it or pass --overwrite")
    click.echo(f"eventcoder: starting Spark ({master})", err=True)
    # a session already running (a notebook, a test) is joined and left running
    owned = not coder.session_running()
    session = coder.start_session(master)
    try:
        documents = coder.read_documents(session, input_path)
        try:
            coder.document_columns(documents)
        except ValueError as problem:
            raise click.UsageError(str(problem)) from None
        if partitions is None:
            partitions = max(documents.rdd.getNumPartitions(), session.sparkContext.defaultParallelism)
        total = documents.count()
        results = coder.code_results(documents, partitions).persist()
        events, bad = coder.split_results(results)
        events.write.mode("overwrite").parquet(output)
        bad.write.mode("overwrite").parquet(errors)
        reported = bad.limit(MAX_REPORTED).collect()
        n_bad, n_events = bad.count(), events.count()
        results.unpersist()
    finally:
        if owned:
            session.stop()
    for row in reported:
        click.echo(f"eventcoder: skipped {row['doc_id']}: {row['reason']}", err=True)
    if n_bad > len(reported):
        click.echo(f"eventcoder: ... and {n_bad - len(reported)} more in {errors}", err=True)
    # each input row is either coded or one bad-document row
    coded = total - n_bad
    click.echo(
        f"eventcoder: {coded} document(s) coded, {n_bad} skipped, {n_events} event(s) in {output}",
        err=True,
    )
    if coded <= 0:
        sys.exit(1)
