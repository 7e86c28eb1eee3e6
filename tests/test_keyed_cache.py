"""keyed_cache.py: the JSON-lines caches of training (rules' features, actor contexts)."""

from __future__ import annotations

from pathlib import Path

from eventcoder.keyed_cache import cache_writer, read_cache


def test_keyed_cache_round_trip_and_a_cut_line_is_skipped(tmp_path: Path):
    path = tmp_path / "deep" / "rules.jsonl"
    with cache_writer(path, "mentions", needed=True) as write:
        write("a", [["r type ASSAULT"]])
        write("b", [])
    with path.open("a", encoding="utf-8") as sink:
        sink.write('{"key": "c", "mentions": [[')  # a killed run's last line
    assert read_cache(path, "mentions") == {"a": [["r type ASSAULT"]], "b": []}


def test_keyed_cache_writes_no_file_when_nothing_is_missing(tmp_path: Path):
    path = tmp_path / "contexts.jsonl"
    with cache_writer(path, "contexts", needed=False) as write:
        write("a", None)
    assert not path.exists()
    assert read_cache(path, "contexts") == {}
    assert read_cache(None, "contexts") == {}
