"""The `ingest`, `events` and `export` commands: thin wrappers over the store."""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from collections.abc import Callable
from typing import Any, TextIO, TypeVar

import click

from eventcoder.cli import model_option, parse_day
from eventcoder.errors import StoreError
from eventcoder.store.db import DEFAULT_SQLITE, Store
from eventcoder.store.filters import EventFilter

F = TypeVar("F", bound=Callable[..., Any])
DB_HELP = (
    f"SQLite file path or postgresql://user@host:port/db URL [default: ./{DEFAULT_SQLITE}; env EVENTCODER_DB]"
)
TABLE_COLUMNS = (
    ("id", 16),
    ("date", 10),
    ("type", 9),
    ("mode", 12),
    ("country", 7),
    ("location", 18),
    ("source", 10),
    ("target", 10),
    ("deaths", 11),
    ("sources", 7),
)


def db_option(command: F) -> F:
    """Add the --db option."""
    return click.option("--db", envvar="EVENTCODER_DB", default=None, help=DB_HELP)(command)


def parse_near(
    ctx: click.Context, param: click.Parameter, value: str | None
) -> tuple[float, float, float] | None:
    """Parse --near LAT,LON,KM."""
    if value is None:
        return None
    parts = value.split(",")
    try:
        lat, lon, km = (float(p) for p in parts)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not LAT,LON,KM; write it like 49.99,36.23,50") from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180 and km > 0):
        raise click.BadParameter(
            f"{value!r}: latitude must be in [-90, 90], longitude in [-180, 180], km above 0"
        )
    return lat, lon, km


def filter_options(command: F) -> F:
    """Add the event filter options."""
    day = click.DateTime(formats=["%Y-%m-%d"])
    options = [
        click.option("--type", "type_", help="PLOVER event type, e.g. ASSAULT"),
        click.option("--country", help="ISO 3166-1 alpha-3 code of where it happened, e.g. UKR"),
        click.option("--actor", help="text in a source or target name, words or code"),
        click.option("--near", callback=parse_near, metavar="LAT,LON,KM", help="within KM of a point"),
        click.option("--since", type=day, help="on or after YYYY-MM-DD"),
        click.option("--until", type=day, help="on or before YYYY-MM-DD"),
        click.option("--text", help="text in the evidence sentences"),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def make_filter(
    type_: str | None,
    country: str | None,
    actor: str | None,
    near: tuple[float, float, float] | None,
    since: dt.datetime | None,
    until: dt.datetime | None,
    text: str | None,
) -> EventFilter:
    """Build the EventFilter the options ask for."""
    return EventFilter(
        type=type_,
        country=country,
        actor=actor,
        near=near,
        since=since.date() if since else None,
        until=until.date() if until else None,
        text=text,
    )


def open_store(db: str | None, create: bool = True) -> Store:
    """Open the store or exit with the reason (status 1); create=False refuses a missing file."""
    try:
        return Store.open(db, create=create)
    except StoreError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(1)


@click.command()
@click.argument("inputs", nargs=-1, required=True)
@db_option
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="processes that code documents [default: the number of cores]",
)
@click.option(
    "--published",
    callback=parse_day,
    metavar="YYYY-MM-DD",
    help="publication date (YYYY-MM-DD) of documents that carry none",
)
@click.option(
    "--batch-size",
    type=click.IntRange(min=1),
    default=8,
    show_default=True,
    help="documents per task sent to a worker",
)
@model_option
@click.option(
    "--progress/--no-progress",
    default=True,
    show_default=True,
    help="show a progress bar on standard error",
)
def ingest(
    inputs: tuple[str, ...],
    db: str | None,
    workers: int | None,
    published: dt.date | None,
    batch_size: int,
    progress: bool,
) -> None:
    """Code documents and store them with their events, merged across reports.

    INPUT is a .txt, .html or .jsonl file, an RSS/Atom feed file, a folder, or - for standard
    input. Running it again, or after a crash, stores nothing twice and loses nothing.
    """
    from eventcoder.store.batch import ingest as run

    store = open_store(db)
    try:
        summary = run(
            inputs,
            store,
            workers=workers or os.cpu_count() or 1,
            published=published,
            batch_size=batch_size,
            progress=sys.stderr if progress else None,
            report_bad=sys.stderr,
        )
    finally:
        store.close()
    click.echo(summary.line(), err=True)
    if summary.stored + summary.skipped == 0:
        sys.exit(1)


def cell(record: dict[str, Any], name: str) -> str:
    """Return one table cell of a merged event."""
    place = record.get("location") or {}
    if name == "date":
        return str((record.get("date") or {}).get("value") or "")
    if name == "country":
        return str(place.get("country") or "")
    if name == "location":
        return str(place.get("name") or place.get("text") or "")
    if name in ("source", "target"):
        actor = record.get(name) or {}
        return str(actor.get("code") or actor.get("text") or "")
    if name == "deaths":
        low, best, high = (record.get(f"fatalities_{k}") for k in ("low", "best", "high"))
        if best is None:
            return ""
        return str(best) if low == high else f"{best} ({low}-{high})"
    if name == "sources":
        return str(record.get("n_sources") or "")
    return str(record.get(name) or "")


def write_table(records: list[dict[str, Any]], out: TextIO) -> None:
    """Print merged events as a fixed-width table."""
    out.write("  ".join(name.ljust(width) for name, width in TABLE_COLUMNS).rstrip() + "\n")
    for record in records:
        cells = [cell(record, name)[:width].ljust(width) for name, width in TABLE_COLUMNS]
        out.write("  ".join(cells).rstrip() + "\n")


@click.command()
@db_option
@filter_options
@click.option("--limit", type=click.IntRange(min=0), default=100, show_default=True)
@click.option("--offset", type=click.IntRange(min=0), default=0, show_default=True)
@click.option(
    "--format",
    "format_",
    type=click.Choice(["jsonl", "table"]),
    default="jsonl",
    show_default=True,
)
@click.option(
    "--id", "event_id", default=None, help="print this one event (or the event holding this report)"
)
@click.option(
    "--explain",
    is_flag=True,
    help="with --id: why the event holds its reports, pair by pair, and which linked ones it kept out",
)
def events(
    db: str | None,
    type_: str | None,
    country: str | None,
    actor: str | None,
    near: tuple[float, float, float] | None,
    since: dt.datetime | None,
    until: dt.datetime | None,
    text: str | None,
    limit: int,
    offset: int,
    format_: str,
    event_id: str | None,
    explain: bool,
) -> None:
    """Print stored events (one per real-world event, with all its sources), latest first."""
    if explain and event_id is None:
        raise click.UsageError("--explain needs the event: give it with --id EVENT_ID")
    if event_id is not None:
        show_event(db, event_id, explain, format_)
        return
    f = make_filter(type_, country, actor, near, since, until, text)
    store = open_store(db, create=False)
    try:
        found = store.query_events(f, limit=limit, offset=offset)
        total = store.count_events(f)
    finally:
        store.close()
    if format_ == "table":
        write_table(found, sys.stdout)
    else:
        for record in found:
            click.echo(json.dumps(record, ensure_ascii=False))
    click.echo(f"{len(found)} of {total} matching events", err=True)


def write_explanation(found: dict[str, Any], out: TextIO) -> None:
    """Print an event's explanation: its reports, every pair compared, linked reports kept out."""
    out.write(f"event {found['id']}: {len(found['reports'])} reports\n")
    for report in found["reports"]:
        out.write(f"  {report['doc_id']}: {report['merge_reason'] or 'alone'}\n")
    if found["pairs"]:
        out.write("pairs:\n")
    for pair in found["pairs"]:
        how = f"{pair['relation']} (score {pair['score']})"
        out.write(f"  {pair['a']} ~ {pair['b']}: {how}: {pair['reason']}\n")
    if found["kept_out"]:
        out.write("linked but kept out:\n")
    for other in found["kept_out"]:
        out.write(f"  {other['doc_id']} (in {other['event_id']}): {other['why_not']}\n")
    if found["splits"]:
        out.write(f"{found['splits']} pairs of its reports split apart by a user\n")


def show_event(db: str | None, event_id: str, explain: bool, format_: str) -> None:
    """Print one event, or its explanation; exit 1 when there is no such event."""
    store = open_store(db, create=False)
    try:
        found = store.explain(event_id) if explain else store.get_event(event_id)
    finally:
        store.close()
    if found is None:
        click.echo(f"error: no event {event_id!r}; list events with `eventcoder events`", err=True)
        sys.exit(1)
    if explain and format_ == "table":
        write_explanation(found, sys.stdout)
    elif format_ == "table":
        write_table([found], sys.stdout)
    else:
        click.echo(json.dumps(found, ensure_ascii=False))


@click.command()
@click.argument("event_id")
@click.argument("doc_id")
@db_option
def split(event_id: str, doc_id: str, db: str | None) -> None:
    """Detach document DOC_ID's reports from event EVENT_ID, for good.

    The store records the split, so no later ingest or re-clustering puts them back together.
    DOC_ID is the document's id or content hash. Prints the ids of the events now holding them.
    """
    store = open_store(db, create=False)
    try:
        moved = store.split(event_id, doc_id)
    except StoreError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(1)
    finally:
        store.close()
    if moved is None:
        click.echo(f"error: no event {event_id!r}; list events with `eventcoder events`", err=True)
        sys.exit(1)
    for new_id in moved:
        click.echo(new_id)
    click.echo(f"split {doc_id} from {event_id}: now in {', '.join(moved)}", err=True)


@click.command()
@db_option
@filter_options
@click.option(
    "--format",
    "format_",
    type=click.Choice(["acled-csv", "jsonl", "geojson", "parquet"]),
    default="jsonl",
    show_default=True,
)
@click.option(
    "-o",
    "--output",
    default=None,
    help="file to write [default: standard output; parquet needs it]",
)
def export(
    db: str | None,
    type_: str | None,
    country: str | None,
    actor: str | None,
    near: tuple[float, float, float] | None,
    since: dt.datetime | None,
    until: dt.datetime | None,
    text: str | None,
    format_: str,
    output: str | None,
) -> None:
    """Export stored events as ACLED-style CSV, JSON lines, GeoJSON or Parquet."""
    from eventcoder.store import export as writers

    if format_ == "parquet" and output is None:
        raise click.UsageError("--format parquet writes a binary file: give one with -o FILE")
    f = make_filter(type_, country, actor, near, since, until, text)
    store = open_store(db, create=False)
    try:
        records = store.iter_events(f)
        if format_ == "parquet":
            written, left = writers.write_parquet(records, str(output))
        else:
            text_writers = {
                "acled-csv": writers.write_acled_csv,
                "jsonl": writers.write_jsonl,
                "geojson": writers.write_geojson,
            }
            if output is None:
                written, left = text_writers[format_](records, sys.stdout)
            else:
                with open(output, "w", encoding="utf-8", newline="") as out:
                    written, left = text_writers[format_](records, out)
    finally:
        store.close()
    why = {"acled-csv": "with no ACLED counterpart", "geojson": "with no place"}.get(format_, "")
    tail = f", left out {left} {why}" if left else ""
    click.echo(f"exported {written} events{tail}", err=True)
