"""`eventcoder train` on a small hand-coded codebook, and `--model` choosing what decides."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from eventcoder.cli import main

pytestmark = pytest.mark.slow

CODEBOOK = Path(__file__).parents[1] / "data" / "train" / "codebook.jsonl"
# not a line of the codebook: a sit-in the codebook calls a riot and the shipped model a protest
SIT_IN = "Hundreds of pensioners staged a sit-in outside the finance ministry in Tunis.\n"


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.fixture(scope="module")
def codebook_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("models") / "codebook"
    result = invoke(
        "train", str(CODEBOOK), "--format", "jsonl", "-o", str(folder), "--no-cache", "--seed", "3"
    )
    assert result.exit_code == 0, result.output
    assert "| acled |" in result.output  # the validation table
    return folder


def events_of(path: Path, *options: str) -> list[dict]:
    result = invoke("extract", str(path), *options)
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]


def test_train_model_follows_its_codebook_where_the_default_differs(codebook_model: Path, tmp_path: Path):
    article = tmp_path / "sit_in.txt"
    article.write_text(SIT_IN, encoding="utf-8")
    (trained,) = events_of(article, "--model", str(codebook_model))
    (shipped,) = events_of(article, "--model", "default")
    assert trained["acled"] == {
        "event_type": "Riots",
        "sub_event_type": "Violent demonstration",
        "actor1": "source",
    }
    assert shipped["acled"]["event_type"] == "Protests"
    assert trained["reason"].startswith("codebook 1:")
    assert shipped["reason"].startswith("eventcoder-default")


def test_train_environment_variable_selects_the_model(codebook_model: Path, tmp_path: Path, monkeypatch):
    article = tmp_path / "sit_in.txt"
    article.write_text(SIT_IN, encoding="utf-8")
    monkeypatch.setenv("EVENTCODER_MODEL", str(codebook_model))
    (event,) = events_of(article)
    assert event["acled"]["event_type"] == "Riots"


def test_train_is_reproducible(codebook_model: Path, tmp_path: Path):
    again = tmp_path / "again"
    result = invoke(
        "train", str(CODEBOOK), "--format", "jsonl", "-o", str(again), "--no-cache", "--seed", "3"
    )
    assert result.exit_code == 0, result.output
    first, second = np.load(codebook_model / "weights.npz"), np.load(again / "weights.npz")
    assert sorted(first.files) == sorted(second.files)
    for name in first.files:
        assert np.array_equal(first[name], second[name]), name


def test_train_regularises_each_head_as_chosen_unless_told(codebook_model: Path, tmp_path: Path):
    from eventcoder.classify.train import DEFAULT_C, HEAD_C

    meta = json.loads((codebook_model / "model.json").read_text(encoding="utf-8"))
    assert meta["card"]["C"]["acled"] == HEAD_C["acled"] != DEFAULT_C
    assert meta["card"]["C"]["plover"] == DEFAULT_C
    told = tmp_path / "told"
    result = invoke(
        "train",
        str(CODEBOOK),
        "--format",
        "jsonl",
        "-o",
        str(told),
        "--no-cache",
        "--seed",
        "3",
        "--c",
        "0.5",
    )
    assert result.exit_code == 0, result.output
    card = json.loads((told / "model.json").read_text(encoding="utf-8"))["card"]
    assert set(card["C"].values()) == {0.5}
    # harder regularisation gives smaller weights (the int8 scale is a class's largest): the option
    # reached the fit
    loose, tight = np.load(codebook_model / "weights.npz"), np.load(told / "weights.npz")
    assert tight["plover.scales"].max() < loose["plover.scales"].max()


def test_train_model_files_hold_no_text_of_the_data(codebook_model: Path):
    weights = np.load(codebook_model / "weights.npz")
    assert all(weights[name].dtype.kind in "fi" for name in weights.files)  # numbers only
    meta = json.loads((codebook_model / "model.json").read_text(encoding="utf-8"))
    labels = {w for head in meta["heads"].values() for c in head["classes"] for w in c.lower().split()}
    stored = set(json.dumps(meta).lower().replace('"', " ").split()) - labels
    texts = [json.loads(line)["text"] for line in CODEBOOK.read_text(encoding="utf-8").splitlines()]
    words = {w for t in texts for w in t.lower().split() if len(w) > 6 and w.isalpha()}
    assert len(words) > 50
    assert not words & stored


def test_rules_model_codes_with_the_rules(tmp_path: Path):
    article = tmp_path / "sit_in.txt"
    article.write_text(SIT_IN, encoding="utf-8")
    (event,) = events_of(article, "--model", "rules")
    assert event["reason"].startswith("rules")


@pytest.mark.parametrize(
    ("content", "fmt", "message"),
    [
        (
            '{"text": "Troops shelled the town.", "type": "SHELLING"}\n',
            "jsonl",
            "gold.jsonl:1: type 'SHELLING'",
        ),
        (
            '{"text": "A clash.", "type": "ASSAULT", "acled": {"event_type": "War"}}\n',
            "jsonl",
            "gold.jsonl:1: 'War'",
        ),
        ('{"text": "ok", "type": null}\n{broken\n', "jsonl", "gold.jsonl:2: broken JSON line"),
        ("", "jsonl", "gold.jsonl: no gold records"),
        (
            "notes,event_type\nTroops clashed.,Skirmish\n",
            "acled",
            "gold.jsonl:2: ACLED event type 'Skirmish'",
        ),
        ("id,text\n1,Troops clashed.\n", "acled", "not an ACLED CSV"),
    ],
)
def test_train_bad_gold_exits_2_naming_file_and_line(tmp_path: Path, content: str, fmt: str, message: str):
    gold = tmp_path / "gold.jsonl"
    gold.write_text(content, encoding="utf-8")
    result = invoke("train", str(gold), "--format", fmt, "-o", str(tmp_path / "model"), "--no-cache")
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert not (tmp_path / "model").exists()


def test_train_unknown_model_is_a_usage_error(tmp_path: Path):
    article = tmp_path / "a.txt"
    article.write_text(SIT_IN, encoding="utf-8")
    result = invoke("extract", str(article), "--model", str(tmp_path / "missing"))
    assert result.exit_code == 2
    assert "no model here" in result.stderr


def test_train_rules_in_two_processes_find_what_one_finds(tmp_path):
    from eventcoder.classify import train as training

    texts = [
        "Rebels attacked an army post near Gao on Monday, killing five soldiers.",
        "Hundreds of teachers marched in Nairobi to demand higher pay.",
        "The two foreign ministers met in Geneva.",
    ] * 2
    one = training.cached_rules(texts, None)
    old_chunk = training.CHUNK
    training.CHUNK = 2  # several tasks for the pool
    try:
        two = training.cached_rules(texts, tmp_path, workers=2)
    finally:
        training.CHUNK = old_chunk
    assert two == one
    assert any("r type ASSAULT" in m for m in one[0])
    # the cache now holds each distinct text once, and a second run reads it
    cache_file = next(tmp_path.glob("rules-*.jsonl"))
    assert len(cache_file.read_text(encoding="utf-8").splitlines()) == 3
    assert training.cached_rules(texts, tmp_path) == one


def test_train_primary_rules_take_the_most_severe_reading_not_the_gold():
    from eventcoder.classify.train import primary_rules, telling_rules

    protest = ("r type PROTEST", "r acled Protests")
    battle = ("r type ASSAULT", "r acled Battles")
    statement = ("r type CONSULT", "r acled None")
    labels = {"plover": "PROTEST", "acled": "Protests", "mode": None, "sub": None}
    assert primary_rules((statement, protest, battle)) == battle
    assert telling_rules((statement, protest, battle), labels) == protest  # the gold's candidate
    assert primary_rules((statement,)) == statement
    assert primary_rules(()) == ("r no candidate",)
