"""Code a Spark DataFrame of documents with the same pipeline, reading and writing Parquet.

Input columns: `id` and `text` (or `html`), optional `published` (a date, or a string
YYYY-MM-DD), `title`, `url`; other columns are ignored. Each Python worker loads the spaCy
model and the gazetteer once (both are cached per process) and runs
`eventcoder.pipeline.code_documents` over its partition inside `mapInPandas`.

Output: one row per event whose columns are the contract's record keys, nested ones as
Spark structs and arrays (`location.lat`, `evidence[0].text`), so `row.asDict(recursive=True)`
is the contract's JSON record.

Bad documents (no id, no text, empty after cleaning, a published value that is no date, an
invalid JSON line, or a document the coder fails on) never stop the job: `code_results` gives
them as rows whose `error` column holds the reason (and every event column is null);
`code_dataframe` drops them after logging `doc_id: reason` on the worker; `split_results`
gives events and bad documents apart, for writing both from one pass.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import sys
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import pandas as pd
from pyspark.sql import Column, DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql.types import (
    ArrayType,
    BooleanType,
    DoubleType,
    LongType,
    StringType,
    StructField,
    StructType,
)

from eventcoder.errors import BadDocument
from eventcoder.ingest.clean import clean_text, html_to_text
from eventcoder.ingest.read import EMPTY, parse_published
from eventcoder.pipeline import code_documents
from eventcoder.records import Document, Event

logger = logging.getLogger("eventcoder.spark")

ERROR = "error"
CORRUPT = "_corrupt_record"
NO_ID = "(no id)"
# the document columns the worker reads; any of them may be missing from the input but id and text/html
INPUT_COLUMNS = ("id", "text", "html", "published", "title", "url", CORRUPT)


def _strings(*names: str) -> StructType:
    """Return a struct of nullable string fields."""
    return StructType([StructField(name, StringType()) for name in names])


ACTOR = StructType(
    [
        *_strings("text", "name", "country", "sector", "code").fields,
        StructField("inter", LongType()),
        StructField("acled_name", StringType()),
    ]
)
EVENT_SCHEMA = StructType(
    [
        StructField("id", StringType()),
        StructField("doc_id", StringType()),
        StructField("type", StringType()),
        StructField("mode", StringType()),
        StructField("cameo", StringType()),
        StructField("acled", _strings("event_type", "sub_event_type", "actor1")),
        StructField("source", ACTOR),
        StructField("target", ACTOR),
        StructField(
            "location",
            StructType(
                [
                    StructField("text", StringType()),
                    StructField("name", StringType()),
                    StructField("lat", DoubleType()),
                    StructField("lon", DoubleType()),
                    StructField("country", StringType()),
                    StructField("admin1", StringType()),
                    StructField("admin2", StringType()),
                    StructField("geonameid", LongType()),
                    StructField("feature", StringType()),
                    StructField("precision", StringType()),
                    StructField("score", DoubleType()),
                ]
            ),
        ),
        StructField("date", _strings("text", "value", "precision")),
        StructField("fatalities", LongType()),
        StructField("injuries", LongType()),
        StructField(
            "flags",
            StructType(
                [
                    StructField(name, BooleanType())
                    for name in ("negated", "hypothetical", "accidental", "historical")
                ]
            ),
        ),
        StructField("attributed_to", ArrayType(StringType())),
        StructField(
            "evidence",
            ArrayType(
                StructType(
                    [
                        StructField("start", LongType()),
                        StructField("end", LongType()),
                        StructField("text", StringType()),
                    ]
                )
            ),
        ),
        StructField("confidence", DoubleType()),
        StructField("reason", StringType()),
    ]
)
RESULT_SCHEMA = StructType([*EVENT_SCHEMA.fields, StructField(ERROR, StringType())])
EVENT_COLUMNS = tuple(EVENT_SCHEMA.fieldNames())
RESULT_COLUMNS = tuple(RESULT_SCHEMA.fieldNames())
# The workers send nested values as JSON text and the JVM parses them (from_json): pandas-to-Arrow
# conversion of structs and arrays of structs differs between Spark versions, strings never do.
NESTED = {f.name: f.dataType for f in RESULT_SCHEMA.fields if isinstance(f.dataType, StructType | ArrayType)}
WIRE_SCHEMA = StructType(
    [StructField(f.name, StringType()) if f.name in NESTED else f for f in RESULT_SCHEMA.fields]
)


def _text_or_none(value: object) -> str | None:
    """Return a cell's string, None for null cells (None, NaN, NaT)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return str(value)


def _published(value: object) -> dt.date | None:
    """Parse a row's published cell: a date, a datetime, or a string YYYY-MM-DD."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return parse_published(_text_or_none(value))


def row_document(row: Mapping[str, object]) -> Document | BadDocument:
    """Make a Document of one input row, as a .jsonl line is read, or a BadDocument saying why not."""
    corrupt = _text_or_none(row.get(CORRUPT))
    doc_id = _text_or_none(row.get("id")) or NO_ID
    if corrupt is not None:
        return BadDocument(doc_id, f"invalid JSON line {corrupt[:60]!r}; fix the line or remove it")
    if doc_id == NO_ID:
        return BadDocument(NO_ID, 'a document without "id"; give every document a string id')
    try:
        published = _published(row.get("published"))
    except ValueError as error:
        return BadDocument(doc_id, str(error))
    title, url = _text_or_none(row.get("title")), _text_or_none(row.get("url"))
    text, html = _text_or_none(row.get("text")), _text_or_none(row.get("html"))
    if text is not None:
        text = clean_text(text)
    elif html is not None:
        text, page_title = html_to_text(html)
        title = title or page_title
    else:
        return BadDocument(doc_id, 'no "text" or "html" value; give each document one of them')
    if not text.strip():
        return BadDocument(doc_id, EMPTY)
    return Document(id=doc_id, text=text, title=title, published=published, url=url)


def code_batch(documents: list[Document]) -> Iterator[tuple[Document, list[Event] | BadDocument]]:
    """Code documents in one nlp.pipe batch, in input order; one that fails comes back as BadDocument."""
    failed: dict[str, BadDocument] = {}

    def note(bad: BadDocument) -> None:
        failed[bad.doc_id] = bad

    coded = {id(document): events for document, events in code_documents(documents, on_error=note)}
    for document in documents:
        yield document, coded[id(document)] if id(document) in coded else failed[document.id]


def event_row(event: Event) -> dict[str, Any]:
    """Return an event's result row: its contract record, no error."""
    record = event.to_dict()
    row = {name: record.get(name) for name in EVENT_COLUMNS}
    for name in NESTED:
        if row.get(name) is not None:
            row[name] = json.dumps(row[name], ensure_ascii=False)
    return {**row, ERROR: None}


def bad_row(bad: BadDocument) -> dict[str, Any]:
    """Return a bad document's result row: its id and reason, every event column null."""
    logger.warning("skipped %s: %s", bad.doc_id, bad.reason)
    return {**dict.fromkeys(RESULT_COLUMNS), "doc_id": bad.doc_id, ERROR: bad.reason}


def result_rows(rows: Iterable[Mapping[str, object]]) -> Iterator[dict[str, Any]]:
    """Code input rows: a row per event of each good document, a row per bad document."""
    documents: list[Document] = []
    for row in rows:
        item = row_document(row)
        if isinstance(item, BadDocument):
            yield bad_row(item)
        else:
            documents.append(item)
    for _document, outcome in code_batch(documents):
        if isinstance(outcome, BadDocument):
            yield bad_row(outcome)
        else:
            yield from (event_row(event) for event in outcome)


def code_frames(frames: Iterator[Any]) -> Iterator[Any]:
    """Code each pandas frame of documents into a frame of result rows, nested values as JSON text."""
    for frame in frames:
        rows = list(result_rows(frame.to_dict("records")))
        if rows:
            # object columns: pandas would turn a column of ints and None into floats
            yield pd.DataFrame(
                {name: pd.Series([r[name] for r in rows], dtype=object) for name in RESULT_COLUMNS}
            )


def document_columns(df: DataFrame) -> list[Column]:
    """Select the input columns the worker reads, as strings, null where the input lacks one."""
    present = set(df.columns)
    if "id" not in present or not present & {"text", "html"}:
        raise ValueError(
            f"a DataFrame of documents needs columns id and text (or html); it has {sorted(present)}"
        )
    return [
        (F.col(name).cast("string") if name in present else F.lit(None).cast("string")).alias(name)
        for name in INPUT_COLUMNS
    ]


def code_results(df: DataFrame, partitions: int | None = None) -> DataFrame:
    """Code a DataFrame of documents into events and bad documents, told apart by `error`.

    Args:
        df: one row per document: id, text (or html), published, title, url (the last three
            optional; published a date or a YYYY-MM-DD string).
        partitions: repartition the documents into this many partitions first (None: keep).

    Returns:
        One row per event (error null) and one per bad document (error its reason, event
        columns null but doc_id), with the columns of RESULT_SCHEMA.
    """
    documents = df.select(*document_columns(df))
    if partitions is not None:
        documents = documents.repartition(partitions)
    wire = documents.mapInPandas(code_frames, WIRE_SCHEMA)
    return wire.select(
        *(
            F.from_json(name, NESTED[name]).alias(name) if name in NESTED else F.col(name)
            for name in RESULT_COLUMNS
        )
    )


def split_results(results: DataFrame) -> tuple[DataFrame, DataFrame]:
    """Split coded results into events (the contract's columns) and bad documents (doc_id, reason)."""
    events = results.where(F.col(ERROR).isNull()).select(*EVENT_COLUMNS)
    bad = results.where(F.col(ERROR).isNotNull()).select("doc_id", F.col(ERROR).alias("reason"))
    return events, bad


def code_dataframe(df: DataFrame, partitions: int | None = None) -> DataFrame:
    """Code a DataFrame of documents into one row per event; bad documents are logged and skipped.

    Args:
        df: one row per document: id, text (or html), published, title, url.
        partitions: repartition the documents into this many partitions first (None: keep).

    Returns:
        One row per event, the contract's record keys as columns (EVENT_SCHEMA).
    """
    return split_results(code_results(df, partitions))[0]


def session_running() -> bool:
    """Tell whether this process already has an active Spark session."""
    return SparkSession.getActiveSession() is not None


def start_session(master: str = "local[2]", app_name: str = "eventcoder") -> SparkSession:
    """Start (or join) a Spark session whose Python workers run this interpreter."""
    # the workers must import eventcoder: run them with the driver's interpreter unless told otherwise
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    session: SparkSession = (
        SparkSession.builder.master(master)
        .appName(app_name)
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        # executors code with the model the driver was given (--model sets this variable)
        .config("spark.executorEnv.EVENTCODER_MODEL", os.environ.get("EVENTCODER_MODEL", "default"))
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    return session


def read_documents(session: SparkSession, path: str) -> DataFrame:
    """Read documents from Parquet, or from JSON lines (.jsonl, .json) keeping broken lines as bad ones."""
    if path.lower().endswith((".jsonl", ".json", ".jsonl.gz", ".json.gz")):
        schema = _strings("id", "text", "html", "published", "title", "url", CORRUPT)
        return session.read.schema(schema).option("columnNameOfCorruptRecord", CORRUPT).json(path)
    return session.read.parquet(path)
