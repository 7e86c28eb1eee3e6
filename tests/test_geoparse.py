"""The public geoparse API and the `geoparse FILE` command, on the real model and gazetteer."""

from __future__ import annotations

import json

from click.testing import CliRunner

import eventcoder
from eventcoder.geoparse import acled_precision, ucdp_precision
from eventcoder.resolve.place_cli import geoparse as geoparse_command

TEXT = "Syrian troops shelled rebels in al-Bab, near Aleppo, while talks went on in Geneva."
FIELDS = {
    "start", "end", "text", "name", "lat", "lon", "geonameid", "country",
    "admin1", "feature", "precision", "score",
}  # fmt: skip


def test_geoparse_offsets_names_and_countries():
    toponyms = eventcoder.geoparse(TEXT)
    by_text = {t.text: t for t in toponyms}
    assert [t.text for t in toponyms] == ["Syrian", "al-Bab", "Aleppo", "Geneva"]
    for t in toponyms:
        assert TEXT[t.start : t.end] == t.text
    bab = by_text["al-Bab"]
    assert (bab.name, bab.country, bab.admin1) == ("Al Bāb", "SYR", "Aleppo")
    assert by_text["Syrian"].precision == "country"
    assert by_text["Syrian"].reason.startswith("demonym: ")
    assert by_text["Geneva"].country == "CHE"


def test_geoparse_empty_text_has_no_toponyms():
    assert eventcoder.geoparse("") == []


def test_geoparse_precision_codes():
    assert [acled_precision(p) for p in ("city", "admin2", "admin1", "country")] == [1, 2, 3, 3]
    assert [ucdp_precision(p) for p in ("city", "admin2", "admin1", "country")] == [2, 3, 4, 6]


def test_geoparse_command_prints_one_json_object_per_toponym(tmp_path):
    path = tmp_path / "note.txt"
    path.write_text(TEXT, encoding="utf-8")
    result = CliRunner().invoke(geoparse_command, [str(path)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert [r["text"] for r in rows] == ["Syrian", "al-Bab", "Aleppo", "Geneva"]
    assert set(rows[1]) >= FIELDS
    assert rows[1]["file"] == str(path)


def test_geoparse_command_has_help():
    result = CliRunner().invoke(geoparse_command, ["--help"])
    assert result.exit_code == 0
    assert "toponym" in result.output


def test_geoparse_command_missing_file_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(geoparse_command, [str(tmp_path / "none.txt")])
    assert result.exit_code == 2


def test_geoparse_command_reads_stdin():
    result = CliRunner().invoke(geoparse_command, ["-"], input="Floods hit Mogadishu.")
    assert result.exit_code == 0, result.output
    (row,) = [json.loads(line) for line in result.output.splitlines()]
    assert (row["text"], row["country"], row["file"]) == ("Mogadishu", "SOM", "-")
