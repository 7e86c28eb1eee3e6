"""`eventcoder serve`: its options, and a clear error for a database it cannot open."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from eventcoder.cli import main


def test_cli_serve_has_help_naming_every_option() -> None:
    result = CliRunner().invoke(main, ["serve", "--help"])
    assert result.exit_code == 0
    for option in ["--db", "--host", "--port", "--token", "--cors-origin", "--tiles", "--max-body"]:
        assert option in result.output
    assert "127.0.0.1" in result.output
    assert "EVENTCODER_TOKEN" in result.output


def test_cli_serve_rejects_a_bad_port() -> None:
    result = CliRunner().invoke(main, ["serve", "--port", "70000"])
    assert result.exit_code == 2


def test_cli_serve_says_why_a_database_cannot_be_opened(tmp_path: Path) -> None:
    missing = tmp_path / "no" / "such" / "folder" / "events.sqlite"
    result = CliRunner().invoke(main, ["serve", "--db", str(missing), "--token", "t"])
    assert result.exit_code == 1
    assert "cannot open the store" in result.output
    assert not missing.exists()


def test_cli_serve_read_only_refuses_a_missing_sqlite_file(tmp_path: Path) -> None:
    typo = tmp_path / "typo.sqlite"
    result = CliRunner().invoke(main, ["serve", "--db", str(typo)])
    assert result.exit_code == 1
    assert f"no store at {typo}: the file does not exist" in result.output
    assert f"eventcoder ingest FILES --db {typo}" in result.output
    assert not typo.exists()
