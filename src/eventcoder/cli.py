"""The `eventcoder` command: thin commands over the library.

Commands other than `extract` live beside the stage they drive and are imported only when
called, so `eventcoder extract` never pays for FastAPI or SQLAlchemy.
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import os
import sys
from collections.abc import Iterator
from typing import Any

import click

from eventcoder.errors import BadDocument
from eventcoder.records import Document

# command name -> "module:attribute" of a click command
LAZY_COMMANDS = {
    "ingest": "eventcoder.store.cli:ingest",
    "events": "eventcoder.store.cli:events",
    "export": "eventcoder.store.cli:export",
    "split": "eventcoder.store.cli:split",
    "serve": "eventcoder.api.cli:serve",
    "eval": "eventcoder.evaluate.cli:evaluate",
    "spark": "eventcoder.spark_cli:spark",
    "train": "eventcoder.classify.cli:train",
    "geoparse": "eventcoder.resolve.place_cli:geoparse",
    "train-places": "eventcoder.resolve.place_cli:train_places",
    "train-actors": "eventcoder.resolve.actor_cli:train_actors",
}

MODEL_HELP = (
    "Event model: a directory from `eventcoder train`, 'default' (shipped) or 'rules' (rules only); "
    "default: $EVENTCODER_MODEL, else the shipped model."
)


def use_model(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """Check the --model value loads, and export it as $EVENTCODER_MODEL for workers to inherit."""
    if value is None:
        return None
    from eventcoder.classify.decide import load_classifier
    from eventcoder.classify.model import DEFAULT, MODEL_ENV, RULES
    from eventcoder.errors import ModelNotFound

    chosen = value if value in (DEFAULT, RULES) else os.path.abspath(value)
    try:
        load_classifier(chosen)
    except ModelNotFound as error:
        raise click.BadParameter(str(error)) from None
    os.environ[MODEL_ENV] = chosen  # batch workers, the API's coder and Spark executors read it
    return chosen


def model_option(command: Any) -> Any:
    """Add the --model option of commands that code through workers (it sets $EVENTCODER_MODEL)."""
    option = click.option(
        "--model",
        default=None,
        metavar="DIR|default|rules",
        help=MODEL_HELP,
        callback=use_model,
        expose_value=False,
    )
    return option(command)


class LazyGroup(click.Group):
    """A click group that imports each lazy command's module only when it is called."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        """List every command, lazy ones included."""
        return sorted({*LAZY_COMMANDS, *self.commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """Import and return the named command."""
        if cmd_name in self.commands:
            return self.commands[cmd_name]
        target = LAZY_COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, attribute = target.split(":")
        command: Any = getattr(importlib.import_module(module_name), attribute)
        return command  # type: ignore[no-any-return]


@click.group(cls=LazyGroup)
@click.version_option(package_name="eventcoder")
def main() -> None:
    """Turn news text into PLOVER/CAMEO/ACLED event records with evidence spans."""


# one-shot commands whose process holds nothing to clean up once their output is written
FAST_EXIT_COMMANDS = frozenset({"extract"})


def run() -> None:
    """The console script: `main`, then for one-shot commands an exit that skips the teardown.

    Freeing the spaCy model and the gazetteer object by object takes a few tenths of a second at
    interpreter exit; a one-shot `extract` has written and flushed everything by then.
    """
    try:
        main()
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
        if len(sys.argv) > 1 and sys.argv[1] in FAST_EXIT_COMMANDS:
            if done.code is not None and not isinstance(done.code, int):
                print(done.code, file=sys.stderr)
            for stream in (sys.stdout, sys.stderr):
                try:
                    stream.flush()
                except OSError:  # a reader that closed the pipe early (`| head`): nothing to add
                    code = code or 1
            os._exit(code)
        raise


def parse_day(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date | None:
    """Parse a YYYY-MM-DD option value, or fail with a usage error."""
    if value is None:
        return None
    from eventcoder.ingest.read import published_problem

    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date; write it as YYYY-MM-DD") from None
    problem = published_problem(day)
    if problem:
        raise click.BadParameter(problem)
    return day


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["jsonl", "json"]),
    default="jsonl",
    show_default=True,
    help="One record per line, or one JSON array.",
)
@click.option(
    "--published",
    callback=parse_day,
    metavar="YYYY-MM-DD",
    help="Date relative dates are resolved against (a .jsonl document's own wins).",
)
@click.option(
    "--model",
    default=None,
    metavar="DIR|default|rules",
    help=MODEL_HELP,
    callback=use_model,
)
def extract(paths: tuple[str, ...], fmt: str, published: dt.date | None, model: str | None) -> None:
    """Code PATHS (.txt, .html, .jsonl, folders, feeds, or - for stdin) and print event records.

    Records go to standard output; bad documents are reported on standard error and skipped.
    Exit status: 0 if at least one document was coded, 1 if none, 2 for a usage error.
    """
    from eventcoder.ingest.read import iter_documents
    from eventcoder.pipeline import code_documents

    good = bad = 0
    records: list[dict[str, Any]] = []

    def documents() -> Iterator[Document]:
        for item in iter_documents(list(paths), published):
            if isinstance(item, BadDocument):
                report(item)
            else:
                yield item

    def report(item: BadDocument) -> None:
        nonlocal bad
        bad += 1
        click.echo(f"eventcoder: skipped {item.doc_id}: {item.reason}", err=True)

    for _document, events in code_documents(documents(), on_error=report, model=model):
        good += 1
        for event in events:
            if fmt == "jsonl":
                sys.stdout.write(json.dumps(event.to_dict(), ensure_ascii=False) + "\n")
            else:
                records.append(event.to_dict())
    if fmt == "json":
        sys.stdout.write(json.dumps(records, ensure_ascii=False, indent=2) + "\n")
    click.echo(f"eventcoder: {good} document(s) coded, {bad} skipped", err=True)
    if good == 0:
        sys.exit(1)
