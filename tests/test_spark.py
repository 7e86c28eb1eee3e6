"""The Spark path: a real local[2] session codes documents exactly as the pipeline does."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sys
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from eventcoder.cli import main
from eventcoder.ingest.read import iter_documents
from eventcoder.pipeline import code_documents

pytest.importorskip("pyspark", reason="pyspark is not installed: pip install 'eventcoder[spark]'")
if shutil.which("java") is None:
    pytest.skip("no java on PATH: Spark needs a Java 17+ runtime", allow_module_level=True)

# imported after the checks above: it needs pyspark
from eventcoder import spark as coder

pytestmark = [pytest.mark.slow, pytest.mark.spark]

ARTICLES = Path(__file__).resolve().parent / "data" / "articles"


def article_records() -> list[dict[str, str]]:
    """Return the test articles as .jsonl documents, each with its publication date."""
    published = {}
    with (ARTICLES / "expected.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                case = json.loads(line)
                published[case["file"]] = case["published"]
    return [
        {"id": path.stem, "text": path.read_text(encoding="utf-8"), "published": published.get(path.name, "")}
        for path in sorted(ARTICLES.glob("*.txt"))
    ]


def write_jsonl(path: Path, records: list[dict[str, str]], extra_lines: tuple[str, ...] = ()) -> Path:
    """Write documents as a .jsonl file, then any raw extra lines."""
    lines = [json.dumps(record, ensure_ascii=False) for record in records]
    path.write_text("\n".join([*lines, *extra_lines]) + "\n", encoding="utf-8")
    return path


def pipeline_records(path: Path) -> list[dict[str, object]]:
    """Code a .jsonl file with the plain pipeline and return its records sorted by id."""
    documents = [item for item in iter_documents([str(path)]) if not isinstance(item, Exception)]
    records = [event.to_dict() for _document, events in code_documents(documents) for event in events]
    return sorted(records, key=lambda record: record["id"])


def rows_as_records(df) -> list[dict[str, object]]:
    """Collect a DataFrame of events as contract records sorted by id."""
    return sorted((row.asDict(recursive=True) for row in df.collect()), key=lambda record: record["id"])


@pytest.fixture
def session():
    """Return the running local[2] session, starting it when none is (the CLI test may stop it)."""
    os.environ["PYSPARK_PYTHON"] = sys.executable
    return coder.start_session("local[2]")


@pytest.fixture(scope="module")
def articles_jsonl(tmp_path_factory) -> Path:
    """Write the test articles as one .jsonl file."""
    return write_jsonl(tmp_path_factory.mktemp("spark") / "articles.jsonl", article_records())


@pytest.fixture(scope="module")
def expected(articles_jsonl: Path) -> list[dict[str, object]]:
    """Return what the plain pipeline codes from the test articles."""
    return pipeline_records(articles_jsonl)


def test_spark_events_equal_pipeline_events(session, articles_jsonl: Path, expected):
    documents = coder.read_documents(session, str(articles_jsonl)).repartition(2)
    got = rows_as_records(coder.code_dataframe(documents))
    assert len(expected) >= len(article_records())
    assert [(r["id"], r["doc_id"], r["type"], r["fatalities"]) for r in got] == [
        (r["id"], r["doc_id"], r["type"], r["fatalities"]) for r in expected
    ]
    # keyed by event id, so a failure names the records that differ
    assert {r["id"]: r for r in got} == {r["id"]: r for r in expected}


def test_spark_parquet_round_trip_with_date_column(session, tmp_path: Path, expected):
    frame = pd.DataFrame(article_records())
    # a real date column, as a Parquet corpus would carry it
    frame["published"] = [dt.date.fromisoformat(value) if value else None for value in frame["published"]]
    frame.to_parquet(tmp_path / "docs.parquet")
    documents = coder.read_documents(session, str(tmp_path / "docs.parquet"))
    assert dict(documents.dtypes)["published"] == "date"
    coder.code_dataframe(documents, partitions=3).write.parquet(str(tmp_path / "events.parquet"))
    back = session.read.parquet(str(tmp_path / "events.parquet"))
    assert back.columns == list(coder.EVENT_COLUMNS)
    assert rows_as_records(back) == expected


def test_spark_bad_documents_reported_with_reason(session):
    good = "Gunmen killed five villagers in Maiduguri, Nigeria on Monday, police said."
    documents = session.createDataFrame(
        [
            ("good", good, "2024-03-04"),
            ("blank", "  \n\t ", None),
            ("null-text", None, None),
            ("bad-date", good, "last Monday"),
            (None, good, None),
        ],
        "id string, text string, published string",
    )
    events, bad = coder.split_results(coder.code_results(documents, partitions=2))
    reasons = {row["doc_id"]: row["reason"] for row in bad.collect()}
    assert sorted(reasons) == ["(no id)", "bad-date", "blank", "null-text"]
    assert reasons["blank"].startswith("empty document")
    assert "YYYY-MM-DD" in reasons["bad-date"]
    assert {row["doc_id"] for row in events.collect()} == {"good"}
    skipped = coder.code_dataframe(documents).collect()
    assert [row["type"] for row in skipped] == [row["type"] for row in events.collect()]
    assert any(row["fatalities"] == 5 for row in skipped)


def test_spark_dataframe_without_text_rejected(session):
    documents = session.createDataFrame([("a", "b")], "id string, body string")
    with pytest.raises(ValueError, match="needs columns id and text"):
        coder.code_dataframe(documents)


def test_spark_cli_refuses_existing_output(tmp_path: Path, articles_jsonl: Path):
    (tmp_path / "out.parquet").mkdir()
    result = CliRunner().invoke(main, ["spark", str(articles_jsonl), str(tmp_path / "out.parquet")])
    assert result.exit_code == 2
    assert "remove it or pass --overwrite" in result.output


def test_spark_cli_writes_events_and_errors(tmp_path: Path, expected):
    source = write_jsonl(
        tmp_path / "docs.jsonl",
        [*article_records(), {"id": "empty", "text": " "}],
        extra_lines=('{"id": "broken", "text": ',),
    )
    output = tmp_path / "events.parquet"
    result = CliRunner().invoke(main, ["spark", str(source), str(output), "--partitions", "2"])
    assert result.exit_code == 0, result.output
    assert "eventcoder: skipped empty: empty document: no text after cleaning" in result.output
    assert f"eventcoder: {len(article_records())} document(s) coded, 2 skipped" in result.output
    # read back by pyarrow, not Spark: the files are plain Parquet
    events = pd.read_parquet(output)
    assert sorted(events["id"]) == sorted(r["id"] for r in expected)
    assert set(events["doc_id"]) == {r["doc_id"] for r in expected}
    errors = pd.read_parquet(tmp_path / "events.errors.parquet")
    assert sorted(errors["doc_id"]) == ["(no id)", "empty"]
    assert any("invalid JSON line" in reason for reason in errors["reason"])


def test_spark_html_documents_coded_like_jsonl(session, tmp_path: Path):
    records = []
    for record in article_records()[:3]:
        paragraphs = "".join(f"<p>{p}</p>" for p in record["text"].split("\n\n") if p.strip())
        page = f"<html><body><nav>Home | World</nav><article>{paragraphs}</article></body></html>"
        records.append({"id": record["id"], "html": page, "published": record["published"]})
    source = write_jsonl(tmp_path / "pages.jsonl", records)
    expected = pipeline_records(source)
    assert expected
    got = rows_as_records(coder.code_dataframe(coder.read_documents(session, str(source))))
    assert got == expected


def test_spark_cli_exits_1_when_no_document_coded(tmp_path: Path):
    source = write_jsonl(tmp_path / "bad.jsonl", [{"id": "blank", "text": "   "}], extra_lines=("{not json",))
    result = CliRunner().invoke(main, ["spark", str(source), str(tmp_path / "out.parquet")])
    assert result.exit_code == 1, result.output
    assert "eventcoder: 0 document(s) coded, 2 skipped" in result.output
