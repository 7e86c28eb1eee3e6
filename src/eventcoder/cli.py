"""The `eventcoder` command: thin commands over the library.

Commands other than `extract` live beside the stage they drive and are imported only when
called, so `eventcoder extract` never pays for FastAPI or SQLAlchemy.
"""

from __future__ import annotations

import importlib
from typing import Any

import click

# command name -> "module:attribute" of a click command
LAZY_COMMANDS = {
    "extract": "eventcoder.commands:extract",
    "ingest": "eventcoder.store.cli:ingest",
    "events": "eventcoder.store.cli:events",
    "export": "eventcoder.store.cli:export",
    "serve": "eventcoder.api.cli:serve",
    "eval": "eventcoder.evaluate.cli:evaluate",
}


class LazyGroup(click.Group):
    """A click group that imports each command's module only when it is called."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        """List every command, lazy ones included."""
        return sorted(LAZY_COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """Import and return the named command."""
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
