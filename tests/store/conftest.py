"""Store fixtures: a real SQLite file and, when EVENTCODER_TEST_PG is set, a real PostgreSQL."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from urllib.parse import quote

import pytest
from sqlalchemy import create_engine, text

from eventcoder.store import Store

PG_ENV = "EVENTCODER_TEST_PG"
NO_PG = f"{PG_ENV} is not set: run `. .ci/postgres.sh` to start a PostgreSQL server for these tests"


def pg_url() -> str | None:
    """Return the test server's URL, None when none is configured."""
    return os.environ.get(PG_ENV) or None


@pytest.fixture
def pg_schema_url() -> Iterator[str]:
    """Yield a URL of the test server whose search_path is a fresh schema, dropped afterwards."""
    url = pg_url()
    if url is None:
        pytest.skip(NO_PG)
    schema = f"ec_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in url else "?"
    yield f"{url}{sep}options={quote(f'-csearch_path={schema}')}"
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path) -> str:
    """Return the URL of an empty store on each backend."""
    if request.param == "sqlite":
        return str(tmp_path / "events.sqlite")
    return str(request.getfixturevalue("pg_schema_url"))


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    """Yield an open, empty store on each backend."""
    opened = Store.open(store_url)
    yield opened
    opened.close()
