"""`eventcoder serve`: run the HTTP API and the map page with uvicorn."""

from __future__ import annotations

import click

from eventcoder.api.app import MAX_BODY
from eventcoder.cli import model_option


@click.command()
@click.option(
    "--db",
    "db",
    default=None,
    help="SQLite file or postgresql:// URL (default: the store's default database).",
)
@model_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option(
    "--token",
    envvar="EVENTCODER_TOKEN",
    default=None,
    help="Bearer token that allows POST /documents (or env EVENTCODER_TOKEN); "
    "without one the server is read-only.",
)
@click.option(
    "--cors-origin",
    "cors_origins",
    multiple=True,
    help="Origin allowed to read the API from a browser (repeatable); CORS is off without one.",
)
@click.option(
    "--tiles",
    default=None,
    help="Online tile URL template offered as an optional map layer, e.g. "
    "https://tile.openstreetmap.org/{z}/{x}/{y}.png (off by default: the map works offline).",
)
@click.option(
    "--max-body",
    default=MAX_BODY,
    show_default=True,
    type=click.IntRange(1),
    help="Largest request body in bytes; larger ones get 413.",
)
def serve(
    db: str | None,
    host: str,
    port: int,
    token: str | None,
    cors_origins: tuple[str, ...],
    tiles: str | None,
    max_body: int,
) -> None:
    """Serve the event API and the map page (read-only unless a token is given)."""
    import uvicorn

    from eventcoder.api.app import Settings, create_app
    from eventcoder.errors import StoreError
    from eventcoder.store import Store

    try:
        store = Store.open(db, create=token is not None)  # read-only: a missing file is a typo
    except StoreError as error:
        raise click.ClickException(str(error)) from None
    settings = Settings(token=token or None, cors_origins=cors_origins, max_body=max_body, tiles=tiles)
    app = create_app(store, settings)
    click.echo(
        f"serving {db or 'the default database'} on http://{host}:{port}/ "
        f"({'writable with the token' if settings.token else 'read-only'})",
        err=True,
    )
    try:
        uvicorn.run(app, host=host, port=port, log_level="warning")
    finally:
        store.close()
