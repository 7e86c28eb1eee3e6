"""The store's tables, one schema for SQLite and PostgreSQL (SQLAlchemy Core).

documents      one row per distinct cleaned text; the content hash is the key
bad_documents  documents that could not be coded, with the reason
events         merged events: one per real-world event, across reports
reports        one row per report-level event (one document's Event), in one merged event
evidence       the character spans of each report's document that state it
links          pairs of reports that tell one event (what matched), the edges of the clustering
splits         pairs of reports a user split apart: never in one event again

`migrate` brings a store made by an earlier version up to this schema without losing data.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Engine,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    inspect,
    text,
)
from sqlalchemy.exc import SQLAlchemyError

metadata = MetaData()

documents = Table(
    "documents",
    metadata,
    Column("content_hash", String(64), primary_key=True),
    Column("doc_id", Text, nullable=False, index=True),
    Column("title", Text),
    Column("url", Text),
    Column("published", Date),
    Column("text", Text, nullable=False),
    Column("n_events", Integer, nullable=False),
    Column("stored_at", DateTime(timezone=True), nullable=False),
)

bad_documents = Table(
    "bad_documents",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("doc_id", Text, nullable=False),
    Column("reason", Text, nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    # a batch run twice records each bad document once
    UniqueConstraint("doc_id", "reason", name="uq_bad_documents"),
)

events = Table(
    "events",
    metadata,
    Column("id", String(80), primary_key=True),
    Column("type", String(16), nullable=False, index=True),
    Column("country", String(3), index=True),
    Column("admin1", Text),
    Column("lat", Float),
    Column("lon", Float),
    Column("date", Date, index=True),
    Column("fatalities_low", Integer),
    Column("fatalities_best", Integer),
    Column("fatalities_high", Integer),
    Column("n_sources", Integer, nullable=False),
    Column("record", Text, nullable=False),  # the merged contract record as JSON
    Index("ix_events_lat_lon", "lat", "lon"),
)

reports = Table(
    "reports",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("report_id", String(80), nullable=False, index=True),  # the pipeline's Event.id
    Column(
        "content_hash",
        String(64),
        ForeignKey("documents.content_hash", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("event_id", String(80), ForeignKey("events.id"), nullable=False, index=True),
    Column("doc_id", Text, nullable=False),
    Column("type", String(16), nullable=False),
    Column("negated", Boolean, nullable=False),
    Column("hypothetical", Boolean, nullable=False),
    Column("source_country", String(3)),
    Column("source_sector", String(8)),
    Column("source_text", Text),
    Column("source_name", Text),
    Column("source_code", Text),
    Column("target_country", String(3)),
    Column("target_sector", String(8)),
    Column("target_text", Text),
    Column("target_name", Text),
    Column("target_code", Text),
    Column("lat", Float),
    Column("lon", Float),
    Column("country", String(3)),
    Column("admin1", Text),
    Column("precision", String(8)),
    Column("date", Date),
    Column("fatalities", Integer),
    Column("injuries", Integer),
    Column("record", Text, nullable=False),  # the report's contract record as JSON
    # the publication date of the report's document: when an undated report can tell of things
    Column("published", Date),
    # the connected part of the link graph the report is in; clustered again as one
    Column("component", String(80), index=True),
    # what matched with the report's strongest partner in its event, None when alone
    Column("merge_reason", Text),
    Column("place_name", Text),  # the place as the reasons name it
    # the types that may tell one event: the type, PROTEST for the policing of a protest
    Column("family", String(16)),
    Column("terms", Text),  # the evidence's content words, space-separated (crossref.terms_of)
    Index("ix_reports_type_date", "type", "date"),
    Index("ix_reports_family_date", "family", "date"),
    Index("ix_reports_family_lat", "family", "lat"),
)

# columns added since the first release: (name, SQL type), added to older stores by `migrate`
ADDED_REPORT_COLUMNS = (
    ("published", "DATE"),
    ("component", "VARCHAR(80)"),
    ("merge_reason", "TEXT"),
    ("place_name", "TEXT"),
    ("family", "VARCHAR(16)"),
    ("terms", "TEXT"),
)

evidence = Table(
    "evidence",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column(
        "report_pk",
        Integer,
        ForeignKey("reports.pk", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
)

links = Table(
    "links",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("a", Integer, ForeignKey("reports.pk", ondelete="CASCADE"), nullable=False, index=True),
    Column("b", Integer, ForeignKey("reports.pk", ondelete="CASCADE"), nullable=False, index=True),
    Column("score", Integer, nullable=False),
    Column("reason", Text, nullable=False),
    UniqueConstraint("a", "b", name="uq_links"),
)

splits = Table(
    "splits",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    # a report is named by its document's hash and its id, so the record outlives a re-ingest
    Column("a_hash", String(64), nullable=False),
    Column("a_report", String(80), nullable=False, index=True),
    Column("b_hash", String(64), nullable=False),
    Column("b_report", String(80), nullable=False, index=True),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("a_hash", "a_report", "b_hash", "b_report", name="uq_splits"),
)


def missing_report_columns(engine: Engine) -> list[tuple[str, str]]:
    """Return the report columns an older store lacks."""
    have = {c["name"] for c in inspect(engine).get_columns("reports")}
    return [(name, sql) for name, sql in ADDED_REPORT_COLUMNS if name not in have]


def migrate(engine: Engine) -> bool:
    """Add the columns an older store lacks (new tables come from create_all); True if any was.

    Additive only: every row stays; the caller links and clusters the old reports again.
    """
    missing = missing_report_columns(engine)
    if not missing:
        return False
    for name, sql in missing:
        try:
            with engine.begin() as conn:
                conn.execute(text(f"ALTER TABLE reports ADD COLUMN {name} {sql}"))
        except SQLAlchemyError:
            # another process opening the same old store added it first
            if name not in {c["name"] for c in inspect(engine).get_columns("reports")}:
                raise
    with engine.begin() as conn:
        conn.execute(text("CREATE INDEX IF NOT EXISTS ix_reports_component ON reports (component)"))
        conn.execute(text("CREATE INDEX IF NOT EXISTS ix_reports_family_date ON reports (family, date)"))
        conn.execute(text("CREATE INDEX IF NOT EXISTS ix_reports_family_lat ON reports (family, lat)"))
        conn.execute(text("UPDATE reports SET family = type"))
        # the policing of a protest is the protest (crossref.type_family); the mode is in the record
        conn.execute(
            text(
                "UPDATE reports SET family = 'PROTEST' WHERE type = 'ASSAULT' "
                """AND record LIKE '%"mode": "crowd-control"%'"""
            )
        )
        conn.execute(
            text(
                "UPDATE reports SET published = (SELECT d.published FROM documents d "
                "WHERE d.content_hash = reports.content_hash), component = NULL"
            )
        )
    return True
