"""Issue 12's fuzzing findings: bad input never costs the batch, a reader or the store.

Each case runs the real command on real files, the bad input between two good documents, and
asserts the good documents' events, the exact `doc_id: reason` line and the exit code.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from processes import alive

from eventcoder.cli import main
from eventcoder.store import Store

pytestmark = pytest.mark.slow

FIRST = {"id": "first", "text": "Gunmen killed five villagers in Maiduguri, Nigeria on Monday, police said."}
LAST = {"id": "last", "text": "Police arrested 12 protesters in Lagos, Nigeria on Tuesday."}
GOOD_TEXT = FIRST["text"] + "\n"
OTHER_TEXT = LAST["text"] + "\n"
DATES = "1800-01-01..2199-12-31, the dates eventcoder resolves against; give the real publication date"


def invoke(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def records(result: Result) -> list[dict]:
    return [json.loads(line) for line in result.stdout.splitlines()]


def jsonl_between(path: Path, bad: bytes) -> Path:
    """Write a .jsonl file: a good line, the bad line, a good line."""
    path.write_bytes(json.dumps(FIRST).encode() + b"\n" + bad + b"\n" + json.dumps(LAST).encode() + b"\n")
    return path


def assert_good_coded(result: Result) -> None:
    """The two good documents were coded with their events."""
    found = {(r["doc_id"], r["type"], r["fatalities"]) for r in records(result)}
    assert ("first", "ASSAULT", 5) in found
    assert any(doc == "last" and kind == "COERCE" for doc, kind, _ in found)


DEEP = b"[" * 100_000 + b"]" * 100_000
JSONL_CASES = [
    pytest.param(
        b'{"id": ' + b"9" * 5000 + b', "text": "Troops withdrew."}',
        "{path}:2",
        "line 2: a number of 5000 digits, more than the 100 eventcoder reads; write long ids as strings",
        id="integer-id-of-5000-digits",
    ),
    pytest.param(
        DEEP,
        "{path}:2",
        'line 2: JSON nested 100000 levels deep, more than 64; give one flat {"id": ..., "text": ...} '
        "object per line",
        id="nested-100000-deep",
    ),
    pytest.param(
        b"\x00" * 200,
        "{path}:2",
        "line 2: binary data (NUL bytes), not a JSON object; remove the line",
        id="line-of-nul-bytes",
    ),
    pytest.param(
        b'{"id": "a\\u0000b", "text": "Police arrested 3 men in Kano."}',
        "{path}:2",
        "line 2: id holds a control character (NUL, newline, ...) or an unpaired surrogate; "
        "give a printable id",
        id="nul-in-id",
    ),
    pytest.param(
        b'{"id": "a\\ud800", "text": "Police arrested 3 men in Kano."}',
        "{path}:2",
        "line 2: id holds a control character (NUL, newline, ...) or an unpaired surrogate; "
        "give a printable id",
        id="lone-surrogate-in-id",
    ),
    pytest.param(
        b'{"id": "old", "published": "0001-01-10", "text": "Police arrested 3 men in Kano on Monday."}',
        "old",
        f"line 2: published 0001-01-10 is outside {DATES}",
        id="published-year-1",
    ),
    pytest.param(
        b'{"id": "late", "published": "9999-12-31", "text": "Police arrested 3 men in Kano on Monday."}',
        "late",
        f"line 2: published 9999-12-31 is outside {DATES}",
        id="published-year-9999",
    ),
]


@pytest.mark.parametrize(("bad", "doc_id", "reason"), JSONL_CASES)
def test_bad_input_jsonl_line_is_reported_and_the_batch_goes_on(tmp_path, bad, doc_id, reason):
    path = jsonl_between(tmp_path / "docs.jsonl", bad)
    result = invoke("extract", str(path))
    assert result.exit_code == 0, result.output
    assert f"eventcoder: skipped {doc_id.format(path=path)}: {reason}\n" in result.stderr
    assert "Traceback" not in result.output
    assert_good_coded(result)


@pytest.mark.parametrize(("bad", "doc_id", "reason"), JSONL_CASES)
def test_bad_input_jsonl_line_never_stops_ingest(tmp_path, bad, doc_id, reason):
    path = jsonl_between(tmp_path / "docs.jsonl", bad)
    db = tmp_path / "events.sqlite"
    result = invoke("ingest", str(path), "--db", str(db), "--workers", "1", "--no-progress")
    assert result.exit_code == 0, result.output
    assert f"{doc_id.format(path=path)}: {reason}\n" in result.stderr
    with Store.open(str(db)) as store:
        assert store.stats()["documents"] == 2
        assert store.get_document("first") is not None
        assert store.get_document("last") is not None


def test_bad_input_jsonl_line_over_the_size_limit_spares_the_others(tmp_path):
    from eventcoder.ingest.read import MAX_INPUT_BYTES

    huge = b'{"id": "huge", "text": "' + b"a " * (MAX_INPUT_BYTES // 2) + b'"}'
    path = jsonl_between(tmp_path / "docs.jsonl", huge)
    result = invoke("extract", str(path))
    assert result.exit_code == 0
    assert f"eventcoder: skipped {path}:2: line 2: longer than {MAX_INPUT_BYTES} bytes; " in result.stderr
    assert_good_coded(result)


def test_bad_input_nul_in_title_and_url_is_dropped_and_the_document_stored(tmp_path):
    line = json.dumps({"id": "nul-fields", "title": "Raid\u0000 in Kano", "url": "http://x/\u0000a", **LAST})
    path = jsonl_between(tmp_path / "docs.jsonl", line.replace('"id": "last"', '"id": "mid"').encode())
    db = tmp_path / "events.sqlite"
    result = invoke("ingest", str(path), "--db", str(db), "--workers", "1", "--no-progress")
    assert result.exit_code == 0, result.output
    with Store.open(str(db)) as store:
        stored = store.get_document("first")
        assert stored is not None
        # the middle line repeats the last one's text: the store keeps one copy of that text
        kept = store.get_document("mid") or store.get_document("last")
        assert kept is not None
        assert "\x00" not in (kept["title"] or "") + (kept["url"] or "")


def test_bad_input_storable_document_replaces_nul_and_refuses_such_ids():
    from eventcoder.errors import StoreError
    from eventcoder.records import Document
    from eventcoder.store.db import storable_document

    doc = storable_document(Document(id="a", text="x\x00y", title="t\x00", url="u\ud800"))
    assert (doc.text, doc.title, doc.url) == ("x\ufffdy", "t\ufffd", "u\ufffd")
    with pytest.raises(StoreError, match="the id holds NUL or an unpaired surrogate"):
        storable_document(Document(id="a\x00", text="x"))


@pytest.mark.parametrize("content", [b"", b"\n   \n\n"], ids=["empty", "blank"])
def test_bad_input_empty_jsonl_is_named(tmp_path, content):
    first, last = tmp_path / "a.txt", tmp_path / "c.txt"
    first.write_text(GOOD_TEXT)
    last.write_text(OTHER_TEXT)
    empty = tmp_path / "b.jsonl"
    empty.write_bytes(content)
    result = invoke("extract", str(first), str(empty), str(last))
    assert result.exit_code == 0
    reason = 'no documents: the file is empty or blank; give one {"id": ..., "text": ...} per line'
    assert f"eventcoder: skipped {empty}: {reason}\n" in result.stderr
    assert {r["doc_id"] for r in records(result)} == {str(first), str(last)}


@pytest.fixture
def odd_name(tmp_path) -> Path:
    """A folder holding a good article whose file name is not valid UTF-8."""
    folder = tmp_path / "names"
    folder.mkdir()
    name = os.fsdecode(b"caf\xe9.txt")
    (folder / name).write_text(GOOD_TEXT)
    return folder


def test_bad_input_file_name_not_utf8_is_coded_under_an_escaped_id(tmp_path, odd_name):
    last = tmp_path / "z.txt"
    last.write_text(OTHER_TEXT)
    result = invoke("extract", str(odd_name), str(last))
    assert result.exit_code == 0, result.output
    assert result.stderr == "eventcoder: 2 document(s) coded, 0 skipped\n"
    found = {r["doc_id"]: r for r in records(result)}
    escaped = f"{odd_name}/caf\\xe9.txt"
    assert found[escaped]["fatalities"] == 5
    assert str(last) in found


def test_bad_input_file_name_not_utf8_is_stored_by_ingest(tmp_path, odd_name):
    db = tmp_path / "events.sqlite"
    result = invoke("ingest", str(odd_name), "--db", str(db), "--workers", "1", "--no-progress")
    assert result.exit_code == 0, result.output
    assert "1 documents stored" in result.stderr
    with Store.open(str(db)) as store:
        assert store.get_document(f"{odd_name}/caf\\xe9.txt") is not None


def test_bad_input_fifo_and_devices_are_refused_by_name(tmp_path):
    first, last = tmp_path / "a.txt", tmp_path / "c.txt"
    first.write_text(GOOD_TEXT)
    last.write_text(OTHER_TEXT)
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    result = invoke("extract", str(first), str(fifo), "/dev/zero", str(last))
    assert result.exit_code == 0
    how = "not a regular file; give a file, or - for standard input"
    assert f"eventcoder: skipped {fifo}: a named pipe (FIFO), {how}\n" in result.stderr
    assert f"eventcoder: skipped /dev/zero: a device, {how}\n" in result.stderr
    assert {r["doc_id"] for r in records(result)} == {str(first), str(last)}


def as_nobody() -> list[str]:
    """Return the command prefix that drops root to nobody, or [] when not root."""
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: a mode-000 folder is readable by root")
    return ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]


@pytest.fixture
def public_tmp() -> Iterator[Path]:
    """A temporary folder any user can enter (pytest's own is private to its user)."""
    folder = Path(tempfile.mkdtemp(prefix="eventcoder-"))
    folder.chmod(0o755)
    yield folder
    for root, dirs, _files in os.walk(folder):
        for name in dirs:
            os.chmod(os.path.join(root, name), 0o755)
    shutil.rmtree(folder)


def test_bad_input_mode_000_folder_is_reported_as_unreadable(public_tmp):
    first, last = public_tmp / "a.txt", public_tmp / "c.txt"
    first.write_text(GOOD_TEXT)
    last.write_text(OTHER_TEXT)
    locked = public_tmp / "locked"
    locked.mkdir()
    (locked / "story.txt").write_text(GOOD_TEXT)
    locked.chmod(0)
    env = dict(os.environ)
    prefix = as_nobody()
    if prefix:  # nobody cannot read root's gazetteer cache: give it a copy
        from eventcoder.resolve.gazetteer import cache_dir

        shutil.copytree(cache_dir(), public_tmp / "cache")
        for root, _dirs, files in os.walk(public_tmp / "cache"):
            os.chmod(root, 0o755)
            for name in files:
                os.chmod(os.path.join(root, name), 0o644)
        env["EVENTCODER_CACHE_DIR"] = str(public_tmp / "cache")
        env["HOME"] = str(public_tmp)
    command = [*prefix, sys.executable, "-m", "eventcoder", "extract", str(first), str(locked), str(last)]
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=600)
    assert done.returncode == 0, done.stderr
    reason = "cannot read folder: Permission denied; check its permissions (chmod u+rx)"
    assert f"eventcoder: skipped {locked}: {reason}\n" in done.stderr
    assert {json.loads(line)["doc_id"] for line in done.stdout.splitlines()} == {str(first), str(last)}


def test_bad_input_symbol_runs_are_cut_before_the_tokenizer(tmp_path):
    run = json.dumps({"id": "amps", "text": "Police arrested 3 men in Kano, Nigeria. " + "&" * 30_000})
    mixed = json.dumps({"id": "mixed", "text": "Troops withdrew from Kano. " + "$A" * 20_000})
    path = tmp_path / "docs.jsonl"
    path.write_text("\n".join([json.dumps(FIRST), run, mixed, json.dumps(LAST)]) + "\n")
    db = tmp_path / "events.sqlite"
    result = invoke("ingest", str(path), "--db", str(db), "--workers", "1", "--no-progress")
    assert result.exit_code == 0, result.output
    assert "4 documents stored" in result.stderr
    with Store.open(str(db)) as store:
        amps = store.get_document("amps")
        mixed_doc = store.get_document("mixed")
    assert amps is not None
    assert mixed_doc is not None
    assert amps["text"] == "Police arrested 3 men in Kano, Nigeria. " + "&" * 16
    assert max(len(token) for token in mixed_doc["text"].split()) == 200


def test_bad_input_published_option_out_of_range_is_a_usage_error(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(GOOD_TEXT)
    for command in (["extract", str(path)], ["ingest", str(path), "--db", str(tmp_path / "x.sqlite")]):
        for day in ("0001-01-10", "9999-12-31"):
            result = invoke(*command, "--published", day)
            assert result.exit_code == 2
            assert f"published {day} is outside {DATES}" in result.output
    assert not (tmp_path / "x.sqlite").exists()


@pytest.mark.parametrize("command", ["events", "export"])
def test_bad_input_read_commands_refuse_a_missing_sqlite_file(tmp_path, command):
    typo = tmp_path / "typo.sqlite"
    result = invoke(command, "--db", str(typo))
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: no store at {typo}: the file does not exist; check the path, or create the store "
        f"with `eventcoder ingest FILES --db {typo}`\n"
    )
    assert not typo.exists()


def test_bad_input_ingest_reports_bad_documents_as_they_happen_with_a_total(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("   \n")
    (folder / "b.txt").write_text(GOOD_TEXT)
    other = {"id": "d", "text": "Troops withdrew."}
    (folder / "c.jsonl").write_text(json.dumps(LAST) + "\n" + json.dumps(other))
    result = invoke("ingest", str(folder), "--db", str(tmp_path / "e.sqlite"), "--workers", "1")
    assert result.exit_code == 0, result.output
    bad = f"{folder}/a.txt: empty document: no text after cleaning\n"
    assert bad in result.stderr
    assert "/4 " in result.stderr  # the bar knows the total: 3 files, 4 documents
    # reported as it happened: before the bar reached the end, not after the summary
    assert result.stderr.index(bad) < result.stderr.rindex("4/4")
    assert result.stderr.index(bad) < result.stderr.index("ingest: 3 documents stored")


def test_bad_input_sector_in_survives_a_head_outside_its_phrase():
    from eventcoder.nlp import load_model
    from eventcoder.resolve.actors import sector_in

    doc = load_model()("Rebel commanders attacked the police station in the town.")
    assert sector_in(doc[0:2], doc[5]) == "REB"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux only")
def test_bad_input_worker_holding_the_gil_dies_with_its_parent():
    # The middle process starts a worker that arms die_with_parent, then spins in the regex
    # engine, which never lets go of the GIL: no watching thread can run there, only the kernel.
    worker = (
        "import re, sys; from eventcoder.store.batch import die_with_parent; "
        "die_with_parent(int(sys.argv[1])); print('armed', flush=True); re.match(r'(a+)+$', 'a' * 64 + 'b')"
    )
    middle = (
        "import os, subprocess, sys, time; "
        f"w = subprocess.Popen([sys.executable, '-c', {worker!r}, str(os.getpid())], "
        "stdout=subprocess.PIPE); "
        "w.stdout.readline(); print(w.pid, flush=True); time.sleep(600)"
    )
    parent = subprocess.Popen([sys.executable, "-c", middle], stdout=subprocess.PIPE, text=True)
    assert parent.stdout is not None
    child = int(parent.stdout.readline())
    try:
        assert alive(child)
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait()
        deadline = time.monotonic() + 30
        while alive(child) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not alive(child), "the worker outlived its parent"
    finally:
        if alive(child):
            os.kill(child, signal.SIGKILL)
