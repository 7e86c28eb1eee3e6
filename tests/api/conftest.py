"""API fixtures: a real SQLite store seeded by the real pipeline, the app over it, a live server."""

from __future__ import annotations

import datetime as dt
import math
import os
import shutil
import socket
import subprocess
import sys
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

with warnings.catch_warnings():
    # starlette 1.x warns that its TestClient wants httpx2; httpx is what the project installs
    warnings.filterwarnings("ignore", message=".*starlette.testclient.*httpx2", category=UserWarning)
    from fastapi.testclient import TestClient

from eventcoder.api.app import Settings, create_app
from eventcoder.ingest.read import read_file
from eventcoder.records import Document
from eventcoder.store import Store

SEED = Path(__file__).resolve().parents[2] / "examples" / "seed" / "article.txt"
SEED_PUBLISHED = dt.date(2017, 2, 9)
TOKEN = "test-token-5f2c"
AL_BAB = (36.37, 37.52)  # where the seed article's airstrike happened


def km_between(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Return the great-circle distance between two (lat, lon) points in km."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371 * math.asin(math.sqrt(h))


def seed_documents() -> list[Document]:
    """Read the seed article the way `eventcoder ingest` reads a .txt file."""
    if not SEED.exists():
        pytest.skip(f"{SEED} is missing: the seed article ships in the repository's examples/seed/")
    return [item for item in read_file(str(SEED), SEED_PUBLISHED) if isinstance(item, Document)]


def code_and_store(store: Store, documents: list[Document]) -> None:
    """Run the real pipeline on documents and store what it finds."""
    from eventcoder.pipeline import code_documents

    for document, events in code_documents(documents):
        store.add_document(document, events)


@pytest.fixture(scope="session")
def seeded_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a SQLite file holding the seed article and its events (coded once a session)."""
    path = tmp_path_factory.mktemp("api") / "seeded.sqlite"
    store = Store.open(str(path))
    try:
        code_and_store(store, seed_documents())
    finally:
        store.close()
    return path


@pytest.fixture
def seeded_copy(seeded_db: Path, tmp_path: Path) -> Path:
    """Return a private copy of the seeded database, for tests that write."""
    copy = tmp_path / "seeded.sqlite"
    shutil.copyfile(seeded_db, copy)
    return copy


@pytest.fixture
def seeded_client(seeded_copy: Path) -> Iterator[TestClient]:
    """Yield a TestClient of the app over the seeded store, writable with TOKEN."""
    store = Store.open(str(seeded_copy))
    with TestClient(create_app(store, Settings(token=TOKEN))) as client:
        yield client
    store.close()


@pytest.fixture
def empty_store(tmp_path: Path) -> Iterator[Store]:
    """Yield an open, empty SQLite store."""
    store = Store.open(str(tmp_path / "empty.sqlite"))
    yield store
    store.close()


def free_port() -> int:
    """Return a TCP port free on 127.0.0.1 right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True)
class LiveServer:
    """A running `eventcoder serve` process."""

    url: str
    token: str
    db: Path


def start_server(db: Path, token: str, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    """Start `eventcoder serve` on a free loopback port and wait until it answers."""
    port = free_port()
    command = [sys.executable, "-c", "from eventcoder.cli import main; main()", "serve"]
    command += ["--db", str(db), "--port", str(port)]
    env = dict(os.environ, EVENTCODER_TOKEN=token)
    with log.open("wb") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"eventcoder serve exited: {log.read_text()}")
        try:
            if httpx.get(url + "/config", timeout=1).status_code == 200:
                return process, url
        except httpx.TransportError:
            time.sleep(0.2)
    process.terminate()
    raise RuntimeError(f"eventcoder serve did not answer within 60 s: {log.read_text()}")


@pytest.fixture(scope="module")
def live_server(seeded_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """Yield a real server over a copy of the seeded database, token given by environment."""
    folder = tmp_path_factory.mktemp("live")
    db = folder / "live.sqlite"
    shutil.copyfile(seeded_db, db)
    process, url = start_server(db, TOKEN, folder / "server.log")
    yield LiveServer(url=url, token=TOKEN, db=db)
    process.terminate()
    process.wait(timeout=10)
