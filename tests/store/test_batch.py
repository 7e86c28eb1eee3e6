"""Batch ingest through the real pipeline into a real store: merge, idempotence, crashes."""

from __future__ import annotations

import math
import os
import signal
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import pytest
from click.testing import CliRunner

from eventcoder.cli import main
from eventcoder.store import EventFilter, Store
from eventcoder.store.batch import ingest
from tests.store import corpus

pytestmark = pytest.mark.slow
REPORTS = corpus.REPORTS / "reports.jsonl"
COUNTS = ("documents", "bad_documents", "reports", "events", "merged_events")


def counts(path: str) -> dict[str, int]:
    """Return the store's counts that a crash must not change."""
    with Store.open(path) as store:
        stats = store.stats()
    return {k: stats[k] for k in COUNTS}


def test_batch_corpus_merges_reports_of_six_events(tmp_path: Path) -> None:
    truth = corpus.truth()
    with Store.open(str(tmp_path / "corpus.sqlite")) as store:
        summary = ingest([str(REPORTS)], store, workers=1, progress=None)
        merged = list(store.iter_events(EventFilter()))
    assert summary.stored == 22
    # which merged events hold each true event's reports of its type
    holders: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for record in merged:
        told = {truth["reports"][s["doc_id"]] for s in record["sources"]}
        assert len(told) == 1, f"merged event {record['id']} mixes reports of {told}"
        (name,) = told
        if record["type"] == truth["events"][name]["type"]:
            holders[name][record["id"]] |= {s["doc_id"] for s in record["sources"]}
    assert sorted(holders) == sorted(truth["events"])
    for name, by_event in holders.items():
        docs = [d for d, e in truth["reports"].items() if e == name]
        best = max(by_event.values(), key=len)
        # every report whose coding allows it joins; a report the pipeline codes without place
        # or date, or splits in two, may stay apart: at least 60% must join the main event
        assert len(best) >= math.ceil(0.6 * len(docs)), f"{name}: {len(best)} of {len(docs)}"


def run(*args: str) -> tuple[int, str]:
    """Run the eventcoder command; return exit code and stderr."""
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stderr


def test_batch_second_run_stores_nothing_twice(tmp_path: Path) -> None:
    db = str(tmp_path / "twice.sqlite")
    code, err = run("ingest", str(REPORTS), "--db", db, "--workers", "1")
    assert code == 0
    assert "ingest: 22 documents stored, 0 skipped as already stored, 0 bad;" in err
    first = counts(db)
    code, err = run("ingest", str(REPORTS), "--db", db, "--workers", "1", "--no-progress")
    assert code == 0
    assert "ingest: 0 documents stored, 22 skipped as already stored, 0 bad; 0 events found" in err
    assert counts(db) == first


def test_batch_bad_documents_recorded_and_batch_goes_on(tmp_path: Path) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "good.txt").write_text(corpus.reports()[0]["text"], encoding="utf-8")
    (folder / "empty.txt").write_text("   \n", encoding="utf-8")
    (folder / "latin1.txt").write_bytes("Caf\xe9 bombing in Kharkiv".encode("latin-1"))
    db = str(tmp_path / "bad.sqlite")
    code, err = run("ingest", str(folder), "--db", db, "--workers", "1", "--no-progress")
    assert code == 0
    assert "1 documents stored, 0 skipped as already stored, 2 bad" in err
    with Store.open(db) as store:
        bad = {Path(b["doc_id"]).name: b["reason"] for b in store.bad_documents()}
    assert sorted(bad) == ["empty.txt", "latin1.txt"]
    assert "UTF-8" in bad["latin1.txt"]
    for doc_id, reason in bad.items():
        assert any(line.endswith(f"{doc_id}: {reason}") for line in err.splitlines())


def test_batch_nothing_readable_exits_1(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    code, err = run("ingest", str(empty), "--db", str(tmp_path / "x.sqlite"), "--no-progress")
    assert code == 1
    assert "0 documents stored, 0 skipped as already stored, 1 bad" in err


def stored_documents(path: str) -> int:
    """Count stored documents, 0 while the store does not exist yet."""
    if not os.path.exists(path):
        return 0
    try:
        return counts(path)["documents"]
    except Exception:  # the writer may still be creating the schema
        return 0


def test_batch_kill_9_then_rerun_equals_clean_run(tmp_path: Path) -> None:
    docs = corpus.write_jsonl(corpus.generate(60), tmp_path / "sixty.jsonl")
    clean = str(tmp_path / "clean.sqlite")
    with Store.open(clean) as store:
        ingest([str(docs)], store, workers=1, progress=None)
    killed = str(tmp_path / "killed.sqlite")
    command = [sys.executable, "-m", "eventcoder", "ingest", str(docs), "--db", killed]
    process = subprocess.Popen(
        [*command, "--workers", "2", "--batch-size", "2", "--no-progress"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 600
        while stored_documents(killed) < 8 and process.poll() is None:
            assert time.monotonic() < deadline, "ingest stored fewer than 8 documents in 10 min"
            time.sleep(0.1)
        if process.poll() is not None:
            pytest.fail(f"ingest ended before it was killed: {process.stderr.read()!r}")
        os.killpg(process.pid, signal.SIGKILL)
    finally:
        process.wait()
    at_kill = stored_documents(killed)
    assert process.returncode == -signal.SIGKILL
    assert 8 <= at_kill < 60
    rerun = subprocess.run(
        [*command, "--workers", "2", "--no-progress"], capture_output=True, text=True, check=False
    )
    assert rerun.returncode == 0, rerun.stderr
    assert f"{60 - at_kill} documents stored, {at_kill} skipped as already stored" in rerun.stderr
    assert counts(killed) == counts(clean)
    assert counts(clean)["documents"] == 60


@pytest.mark.postgres
def test_batch_postgres_ingest_twice_and_merge(pg_schema_url: str) -> None:
    code, err = run("ingest", str(REPORTS), "--db", pg_schema_url, "--workers", "1")
    assert code == 0, err
    first = counts(pg_schema_url)
    assert first["documents"] == 22
    assert first["merged_events"] >= 6
    code, err = run("ingest", str(REPORTS), "--db", pg_schema_url, "--workers", "1")
    assert code == 0
    assert "0 documents stored, 22 skipped as already stored" in err
    assert counts(pg_schema_url) == first
