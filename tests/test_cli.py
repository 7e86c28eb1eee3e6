"""The extract command's contract: records on stdout, bad input on stderr, exit codes 0/1/2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from eventcoder.cli import LAZY_COMMANDS, main
from eventcoder.ingest.read import MAX_DOCUMENT_CHARS

pytestmark = pytest.mark.slow

GOOD = "Gunmen killed five villagers in Maiduguri, Nigeria on Monday, police said.\n"


def invoke(*args: str, stdin: str | None = None):
    return CliRunner().invoke(main, list(args), input=stdin)


def test_cli_every_command_has_help():
    for name in sorted({"extract", *LAZY_COMMANDS}):
        result = invoke(name, "--help")
        assert result.exit_code == 0, (name, result.output)
        assert "Usage:" in result.output


def test_cli_bad_documents_reported_and_batch_goes_on(tmp_path: Path):
    good = tmp_path / "good.txt"
    good.write_text(GOOD, encoding="utf-8")
    invalid = tmp_path / "latin1.txt"
    invalid.write_bytes("Caf\xe9 bombing".encode("latin-1"))
    binary = tmp_path / "blob.txt"
    binary.write_bytes(b"\x00\x01\x02" * 100)
    empty = tmp_path / "empty.txt"
    empty.write_text("   \n", encoding="utf-8")
    broken = tmp_path / "docs.jsonl"
    broken.write_text('{"id": "a", "text": "Police arrested 12 protesters in Lagos."}\n{not json\n')
    missing = tmp_path / "missing.txt"
    result = invoke("extract", str(good), str(invalid), str(binary), str(empty), str(broken), str(missing))
    assert result.exit_code == 0
    stderr = result.stderr
    assert f"{invalid}: not valid UTF-8" in stderr
    assert f"{binary}: binary file" in stderr
    assert f"{empty}: empty document" in stderr
    assert "invalid JSON" in stderr
    assert f"{missing}: cannot read file" in stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    doc_ids = {r["doc_id"] for r in records}
    assert str(good) in doc_ids
    assert "a" in doc_ids


def test_cli_exit_1_when_nothing_was_coded(tmp_path: Path):
    result = invoke("extract", str(tmp_path / "nope.txt"))
    assert result.exit_code == 1
    assert "cannot read file" in result.stderr
    assert result.stdout == ""


def test_cli_exit_2_on_usage_error():
    assert invoke("extract").exit_code == 2
    result = invoke("extract", "x.txt", "--published", "yesterday")
    assert result.exit_code == 2
    assert "YYYY-MM-DD" in result.output


def test_cli_stdin_and_json_format():
    result = invoke("extract", "-", "--format", "json", "--published", "2020-03-02", stdin=GOOD)
    assert result.exit_code == 0
    records = json.loads(result.stdout)
    assert records
    assert records[0]["doc_id"] == "-"
    assert records[0]["type"] == "ASSAULT"
    assert records[0]["fatalities"] == 5
    assert records[0]["date"]["value"] == "2020-03-02"


def test_cli_real_process_prints_only_records(tmp_path: Path):
    path = tmp_path / "a.txt"
    path.write_text(GOOD, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "eventcoder", "extract", str(path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    for line in done.stdout.splitlines():
        assert json.loads(line)["doc_id"] == str(path)
    assert "1 document(s) coded" in done.stderr


def test_cli_real_process_fast_exit_keeps_every_record_and_the_status(tmp_path: Path):
    # `extract` ends with os._exit (no teardown): all of a large JSON output is still written,
    # and a run that coded nothing still exits 1
    paths = []
    for i in range(3):
        paths.append(tmp_path / f"a{i}.txt")
        paths[-1].write_text(GOOD, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "eventcoder", "extract", "--format", "json", *map(str, paths)],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert {r["doc_id"] for r in json.loads(done.stdout)} == set(map(str, paths))
    missing = subprocess.run(
        [sys.executable, "-m", "eventcoder", "extract", str(tmp_path / "none.txt")],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert missing.returncode == 1
    assert "0 document(s) coded" in missing.stderr


def test_cli_overlong_document_skipped_and_batch_goes_on(tmp_path: Path):
    first, second = tmp_path / "a.txt", tmp_path / "c.txt"
    first.write_text(GOOD, encoding="utf-8")
    second.write_text(GOOD, encoding="utf-8")
    huge = tmp_path / "b.txt"
    huge.write_text(GOOD * (MAX_DOCUMENT_CHARS // len(GOOD) + 10), encoding="utf-8")
    result = invoke("extract", str(first), str(huge), str(second))
    assert result.exit_code == 0
    assert f"{huge}: " in result.stderr
    assert f"more than the {MAX_DOCUMENT_CHARS} eventcoder codes in one document; split it" in result.stderr
    doc_ids = {json.loads(line)["doc_id"] for line in result.stdout.splitlines()}
    assert doc_ids == {str(first), str(second)}
