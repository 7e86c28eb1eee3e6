"""The store's tables, one schema for SQLite and PostgreSQL (SQLAlchemy Core).

documents      one row per distinct cleaned text; the content hash is the key
bad_documents  documents that could not be coded, with the reason
events         merged events: one per real-world event, across reports
reports        one row per report-level event (one document's Event), in one merged event
evidence       the character spans of each report's document that state it
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

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
    Index("ix_reports_type_date", "type", "date"),
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
