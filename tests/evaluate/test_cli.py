"""The `eventcoder eval` command, run for real through the CLI group."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from eventcoder.cli import main
from eventcoder.evaluate.cli import select_records
from eventcoder.evaluate.gold import GoldRecord

HEADER = (
    "event_id_cnty,event_date,time_precision,event_type,sub_event_type,actor1,actor2,"
    "country,location,latitude,longitude,notes,fatalities\n"
)


def _gold_csv(tmp_path):
    path = tmp_path / "gold.csv"
    path.write_text(
        HEADER + "K1,2016-03-01,1,Violence against civilians,Attack,Unidentified Armed Group (Kenya),"
        'Civilians (Kenya),Kenya,Garissa,-0.4532,39.6461,"Gunmen shot dead three traders in '
        'Garissa on 1 March 2016.",3\n'
        + "K2,2016-03-02,1,Protests,Peaceful protest,Protesters (Kenya),,Kenya,Nairobi,"
        '-1.2833,36.8167,"Hundreds of teachers marched in Nairobi to demand higher pay.",0\n',
        encoding="utf-8",
    )
    return path


def test_cli_eval_has_help():
    result = CliRunner().invoke(main, ["eval", "--help"])
    assert result.exit_code == 0
    assert "--disagreements" in result.output


def test_cli_eval_missing_file_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(main, ["eval", str(tmp_path / "no.csv"), "--format", "acled"])
    assert result.exit_code == 2
    assert "no such file; give the path of a gold file" in result.output


def test_cli_eval_wrong_format_is_a_usage_error(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["eval", str(path), "--format", "acled"])
    assert result.exit_code == 2
    assert "not an ACLED CSV" in result.output


def test_cli_eval_select_records_is_seeded():
    records = [GoldRecord(id=str(i), text="t") for i in range(50)]
    first = [r.id for r in select_records(records, None, 10, 7)]
    assert first == [r.id for r in select_records(records, None, 10, 7)]
    assert first != [r.id for r in select_records(records, None, 10, 8)]
    assert len(select_records(records, 3, 10, 7)) == 3


@pytest.mark.slow
def test_cli_eval_scores_a_small_acled_file(tmp_path):
    out = tmp_path / "dis.jsonl"
    result = CliRunner().invoke(
        main, ["eval", str(_gold_csv(tmp_path)), "--format", "acled", "--disagreements", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "ACLED event type (primary event)" in result.output
    assert "(2 documents)" in result.output
    for line in out.read_text(encoding="utf-8").splitlines():
        assert json.loads(line)["wrong"] or json.loads(line)["gold"]


@pytest.mark.slow
def test_cli_eval_json_figures(tmp_path):
    result = CliRunner().invoke(main, ["eval", str(_gold_csv(tmp_path)), "--format", "acled", "--json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert figures["documents"] == 2
    assert figures["fields"]["acled_type"]["scored"] == 2
