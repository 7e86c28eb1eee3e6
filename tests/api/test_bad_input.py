"""Issue 12 in the API: bad posts are refused with 422, coding never blocks reads, the queue is bounded."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import threading
import time
from pathlib import Path

import httpx
import pytest
from fastapi import HTTPException
from fastapi.testclient import TestClient
from processes import alive, children_of

from eventcoder.api.app import CodingQueue, Settings, create_app
from eventcoder.pipeline import code_documents
from eventcoder.records import Document, Event
from eventcoder.store import Store
from tests.api.conftest import TOKEN, start_server

HEADERS = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}
ARTICLE = "Gunmen killed seven traders at a market in Maiduguri, Nigeria on Monday, police said."


@pytest.fixture
def client(empty_store: Store):
    """A writable app over an empty store, coding with the real pipeline in a thread."""
    with TestClient(create_app(empty_store, Settings(token=TOKEN), coder=code_documents)) as test_client:
        yield test_client


@pytest.mark.parametrize(
    ("body", "words"),
    [
        (b'{"id": "a\\ud800", "text": "Troops withdrew."}', "unable to parse raw data as a unicode string"),
        (b'{"id": "a\\u0000", "text": "Troops withdrew."}', "id holds a control character"),
        (
            b'{"text": "Troops withdrew.", "published": "0001-01-10"}',
            "published 0001-01-10 is outside 1800-01-01..2199-12-31",
        ),
        (
            b'{"text": "Troops withdrew.", "published": "9999-12-31"}',
            "published 9999-12-31 is outside 1800-01-01..2199-12-31",
        ),
    ],
    ids=["lone-surrogate-id", "nul-id", "published-year-1", "published-year-9999"],
)
def test_bad_input_api_refuses_what_no_record_can_carry(client: TestClient, body: bytes, words: str) -> None:
    response = client.post("/documents", content=body, headers=HEADERS)
    assert response.status_code == 422, response.text
    assert words in json.dumps(response.json())


@pytest.mark.slow
def test_bad_input_api_drops_nul_from_title_and_url(client: TestClient) -> None:
    body = {"id": "nul-title", "text": ARTICLE, "title": "Market\u0000 attack", "url": "http://x/\u0000a"}
    response = client.post("/documents", json=body, headers=HEADERS)
    assert response.status_code == 201, response.text
    stored = client.get("/documents/nul-title").json()
    assert (stored["title"], stored["url"]) == ("Market attack", "http://x/a")


@pytest.mark.slow
def test_bad_input_api_cuts_symbol_runs_before_coding(client: TestClient) -> None:
    body = {"id": "amps", "text": ARTICLE + " " + "&" * 15_000}
    response = client.post("/documents", json=body, headers=HEADERS)
    assert response.status_code == 201, response.text
    assert client.get("/documents/amps").json()["text"] == ARTICLE + " " + "&" * 16


def test_bad_input_api_coding_queue_refuses_when_full() -> None:
    release = threading.Event()

    def slow_coder(documents):
        release.wait(30)
        for document in documents:
            yield document, list[Event]()

    async def scenario() -> tuple[int, dict[str, str], list[str]]:
        coding = CodingQueue(slow_coder, size=1)
        busy = [asyncio.create_task(coding.code(Document(id=f"d{i}", text="x"))) for i in range(2)]
        await asyncio.sleep(0.2)  # both admitted: one coding, one waiting
        try:
            await coding.code(Document(id="d2", text="x"))
        except HTTPException as refused:
            status, headers = refused.status_code, dict(refused.headers or {})
        else:
            status, headers = 201, {}
        release.set()
        done = await asyncio.gather(*busy)
        coding.close()
        return status, headers, [coded.id for coded, _events, _problem in done]

    status, headers, coded = asyncio.run(scenario())
    assert status == 503
    assert headers == {"Retry-After": "5"}
    assert coded == ["d0", "d1"]


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc")
def test_bad_input_api_codes_in_a_worker_that_dies_with_the_server(tmp_path: Path) -> None:
    db = tmp_path / "served.sqlite"
    Store.open(str(db)).close()
    server, url = start_server(db, TOKEN, tmp_path / "server.log")
    try:
        posted: dict[str, httpx.Response] = {}

        def post() -> None:
            body = {"id": "posted", "text": ARTICLE}
            posted["answer"] = httpx.post(url + "/documents", json=body, headers=HEADERS, timeout=300)

        poster = threading.Thread(target=post)
        poster.start()
        reads_while_coding = 0
        while poster.is_alive():
            reads = httpx.get(url + "/events", timeout=300)
            assert reads.status_code == 200
            reads_while_coding += poster.is_alive()
        poster.join()
        assert posted["answer"].status_code == 201, posted["answer"].text
        assert posted["answer"].json()["events"]
        assert reads_while_coding >= 1  # GET /events answered while the article was being coded
        workers = [pid for pid in children_of(server.pid) if b"spawn_main" in read_cmdline(pid)]
        assert len(workers) == 1
        os.kill(server.pid, signal.SIGKILL)
        server.wait(timeout=10)
        deadline = time.monotonic() + 30
        while alive(workers[0]) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not alive(workers[0]), "the coding worker outlived the server"
    finally:
        if server.poll() is None:
            server.kill()


def read_cmdline(pid: int) -> bytes:
    """Return a process's command line, empty when it is gone."""
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""
