"""The event store: documents, report-level events, evidence and merged events.

SQLite by default (one file, WAL), PostgreSQL for shared deployments, through one schema.
`add_document` is idempotent (the cleaned text's hash is the key) and runs in one transaction,
so a crash in the middle of a batch loses and duplicates nothing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Connection,
    Engine,
    and_,
    create_engine,
    event,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from eventcoder.errors import StoreError
from eventcoder.records import Document, Event
from eventcoder.store import crossref
from eventcoder.store.crossref import Report
from eventcoder.store.filters import EventFilter, where
from eventcoder.store.schema import bad_documents, documents, events, evidence, metadata, migrate, reports

DEFAULT_SQLITE = "eventcoder.sqlite"


_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def storable(value: str | None) -> str | None:
    """Replace NUL (PostgreSQL refuses it) and unpaired surrogates (no UTF-8 for them) with U+FFFD."""
    return _UNSTORABLE.sub("\ufffd", value) if value else value


def storable_document(doc: Document) -> Document:
    """Return the document with its title, URL and text storable on every backend.

    Raises:
        StoreError: its id holds NUL or an unpaired surrogate, which no backend stores, or its
            publication date is outside the dates the cross-report merge can compare.
    """
    from eventcoder.ingest.read import published_problem

    shown = doc.id.encode("utf-8", "backslashreplace").decode("utf-8")
    if _UNSTORABLE.search(doc.id):
        raise StoreError(
            f"{shown}: the id holds NUL or an unpaired surrogate, which no database stores; "
            "give a printable id"
        )
    problem = published_problem(doc.published) if doc.published else None
    if problem:
        raise StoreError(f"{shown}: {problem}")
    if not any(_UNSTORABLE.search(v) for v in (doc.title, doc.url, doc.text) if v):
        return doc
    return dataclasses.replace(
        doc, title=storable(doc.title), url=storable(doc.url), text=storable(doc.text) or ""
    )


def content_hash(text: str) -> str:
    """Return the key of a document: the SHA-256 of its cleaned text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def engine_url(url: str | None) -> str:
    """Turn a --db value (None, a path, sqlite:// or postgresql:// URL) into an SQLAlchemy URL."""
    if url is None:
        return f"sqlite:///{Path(DEFAULT_SQLITE).resolve()}"
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    if "://" in url:
        return url
    return f"sqlite:///{Path(url).expanduser().resolve()}"


def missing_sqlite(sa_url: str) -> str | None:
    """Return the path of a SQLite URL's file when that file does not exist, else None."""
    if not sa_url.startswith("sqlite:///"):
        return None
    path = sa_url[len("sqlite:///") :].split("?", 1)[0]
    if not path or path == ":memory:" or Path(path).exists():
        return None
    return path


def tune_sqlite(dbapi_connection: Any, connection_record: Any) -> None:
    """Set WAL, foreign keys and a busy timeout on every new SQLite connection."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def report_row(event_: Event, doc_key: str, event_id: str, rep: Report) -> dict[str, Any]:
    """Return the reports row of one report-level event."""
    src, tgt = event_.source, event_.target
    src_side, tgt_side = crossref.side_of(src), crossref.side_of(tgt)
    return {
        "report_id": event_.id,
        "content_hash": doc_key,
        "event_id": event_id,
        "doc_id": event_.doc_id,
        "type": event_.type,
        "family": rep.type,
        "negated": rep.negated,
        "hypothetical": rep.hypothetical,
        # the event's own roles (the merge features may swap them: crossref.report_of)
        "source_country": src_side.country if src_side else None,
        "source_sector": src_side.sector if src_side else None,
        "source_text": src.text if src else None,
        "source_name": src.name if src else None,
        "source_code": src.code if src else None,
        "target_country": tgt_side.country if tgt_side else None,
        "target_sector": tgt_side.sector if tgt_side else None,
        "target_text": tgt.text if tgt else None,
        "target_name": tgt.name if tgt else None,
        "target_code": tgt.code if tgt else None,
        "lat": rep.lat,
        "lon": rep.lon,
        "country": rep.country,
        "admin1": rep.admin1,
        "precision": rep.precision,
        "date": rep.date,
        "fatalities": rep.fatalities,
        "injuries": rep.injuries,
        "published": rep.published,
        "place_name": rep.name,
        "terms": " ".join(sorted(rep.terms)),
        # evidence lives in its own table only; readers put it back
        "record": json.dumps(
            {k: v for k, v in event_.to_dict().items() if k != "evidence"}, ensure_ascii=False
        ),
    }


def create_schema(engine: Engine, attempts: int = 5) -> None:
    """Create the tables that do not exist yet, tolerating another process creating them meanwhile."""
    for attempt in range(attempts):
        try:
            metadata.create_all(engine)
            return
        except SQLAlchemyError as err:
            # two processes opening a new store race between "does it exist" and "create"
            if "already exists" not in str(err) or attempt == attempts - 1:
                raise


class Store:
    """Documents, events and their evidence in SQLite or PostgreSQL."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @classmethod
    def open(cls, url: str | None = None, create: bool = True) -> Store:
        """Open (and create if needed) the store at a path or URL.

        Args:
            url: None for "eventcoder.sqlite" in the working directory, a file path for SQLite,
                or a "postgresql://user@host:port/db" URL.
            create: make a missing SQLite file; False for commands that only read, so a
                mistyped path is an error rather than a new empty store.

        Raises:
            StoreError: the database cannot be reached or created, or (create=False) a SQLite
                file does not exist.
        """
        sa_url = engine_url(url)
        missing = missing_sqlite(sa_url)
        if missing is not None and not create:
            raise StoreError(
                f"no store at {missing}: the file does not exist; check the path, or create the "
                f"store with `eventcoder ingest FILES --db {url or DEFAULT_SQLITE}`"
            )
        try:
            engine = create_engine(sa_url, future=True)
        except (SQLAlchemyError, ImportError, ValueError) as err:
            raise StoreError(
                f"cannot open the store {url!r}: {err}; give a file path or a postgresql:// URL"
            ) from err
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", tune_sqlite)
        try:
            create_schema(engine)
            store = cls(engine)
            if migrate(engine):
                # an older store: link and cluster its reports by today's rules, keeping every row
                with engine.begin() as conn:
                    crossref.rebuild(conn, store._refresh, store._event_maker(conn))
        except SQLAlchemyError as err:
            engine.dispose()
            raise StoreError(
                f"cannot open the store {url or DEFAULT_SQLITE!r}: {err.__class__.__name__}: "
                f"{str(err).splitlines()[0]}; check the path is writable or the server is running"
            ) from err
        return store

    def close(self) -> None:
        """Release every connection."""
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # writing

    def stored_hashes(self, hashes: Sequence[str]) -> set[str]:
        """Return those of the content hashes that are already stored."""
        found: set[str] = set()
        with self.engine.connect() as conn:
            for i in range(0, len(hashes), 500):
                chunk = list(hashes[i : i + 500])
                rows = conn.execute(
                    select(documents.c.content_hash).where(documents.c.content_hash.in_(chunk))
                )
                found.update(r[0] for r in rows)
        return found

    def add_document(self, doc: Document, events_: list[Event]) -> bool:
        """Store a document and its events, merging them with other reports; False if stored.

        Args:
            doc: the document (its cleaned text is hashed into its key).
            events_: the pipeline's events for it.

        Returns:
            True if stored now, False if a document with the same text was already stored.
        """
        doc = storable_document(doc)
        key = content_hash(doc.text)
        try:
            with self.engine.begin() as conn:
                exists_ = conn.execute(
                    select(documents.c.content_hash).where(documents.c.content_hash == key)
                ).first()
                if exists_ is not None:
                    return False
                conn.execute(
                    insert(documents).values(
                        content_hash=key,
                        doc_id=doc.id,
                        title=doc.title,
                        url=doc.url,
                        published=doc.published,
                        text=doc.text,
                        n_events=len(events_),
                        stored_at=dt.datetime.now(dt.UTC),
                    )
                )
                for ev in events_:
                    self._add_report(conn, ev, key, doc.published)
        except IntegrityError:
            # another writer stored the same text between our check and our insert
            return False
        return True

    def add_bad_document(self, doc_id: str, reason: str) -> None:
        """Record a document that could not be coded, once per id and reason."""
        doc_id, reason = storable(doc_id) or "", storable(reason) or ""
        with self.engine.begin() as conn:
            known = conn.execute(
                select(bad_documents.c.pk).where(
                    bad_documents.c.doc_id == doc_id, bad_documents.c.reason == reason
                )
            ).first()
            if known is None:
                conn.execute(
                    insert(bad_documents).values(
                        doc_id=doc_id, reason=reason, recorded_at=dt.datetime.now(dt.UTC)
                    )
                )

    def _add_report(self, conn: Connection, ev: Event, key: str, published: dt.date | None) -> None:
        """Store one report-level event alone, link it to stored reports and cluster its component."""
        rep = crossref.report_of(ev, key, published)
        alone = self._new_event(conn, ev, key)
        row = report_row(ev, key, alone, rep)
        pk = conn.execute(insert(reports).values(**row).returning(reports.c.pk)).scalar_one()
        if ev.evidence:
            conn.execute(
                insert(evidence),
                [{"report_pk": pk, "start": s.start, "end": s.end, "text": s.text} for s in ev.evidence],
            )
        component = crossref.add_links(conn, rep, pk)
        crossref.recluster(conn, component, self._refresh, self._event_maker(conn), added=[pk])

    def _new_event(self, conn: Connection, ev: Event, key: str) -> str:
        """Create an empty merged event named after its first report and return its id."""
        event_id = ev.id
        taken = conn.execute(select(events.c.id).where(events.c.id == event_id)).first()
        if taken is not None:
            event_id = f"{ev.id}-{key[:8]}"
        conn.execute(insert(events).values(id=event_id, type=ev.type, n_sources=0, record="{}"))
        return event_id

    def _event_maker(self, conn: Connection) -> Callable[[str, str], None]:
        """Return a function creating an empty merged event of a given id and type."""

        def make(event_id: str, type_: str) -> None:
            conn.execute(insert(events).values(id=event_id, type=type_, n_sources=0, record="{}"))

        return make

    def split(self, event_id: str, doc: str) -> list[str] | None:
        """Detach a document's reports from an event, for good; return the events they are in now.

        Args:
            event_id: the merged event (or any of its reports' ids).
            doc: the document's id or content hash.

        Returns:
            the ids of the events now holding the document's reports; None if no such event.

        Raises:
            StoreError: the document is not a source of the event, or its only one.
        """
        try:
            with self.engine.begin() as conn:
                return crossref.split(conn, event_id, doc, self._refresh, self._event_maker(conn))
        except ValueError as err:
            raise StoreError(str(err)) from None

    def explain(self, event_id: str) -> dict[str, Any] | None:
        """Return why an event holds its reports: each pair compared, linked reports kept out."""
        with self.engine.connect() as conn:
            return crossref.explain(conn, event_id)

    def _refresh(self, conn: Connection, event_id: str) -> None:
        """Recompute a merged event's record, sources and fatality range from its reports."""
        rows = conn.execute(
            select(
                reports.c.record,
                reports.c.merge_reason,
                documents.c.doc_id,
                documents.c.url,
                documents.c.title,
                documents.c.published,
            )
            .select_from(reports.join(documents, reports.c.content_hash == documents.c.content_hash))
            .where(reports.c.event_id == event_id)
            .order_by(reports.c.pk)
        ).all()
        records = [json.loads(r.record) for r in rows]
        merged = crossref.merged_record(event_id, records)
        low, best, high = crossref.fatality_range([r.get("fatalities") for r in records])
        merged["sources"] = [
            {
                "doc_id": r.doc_id,
                "url": r.url,
                "title": r.title,
                "published": r.published.isoformat() if r.published else None,
                "fatalities": rec.get("fatalities"),
                "merge_reason": r.merge_reason,
            }
            for r, rec in zip(rows, records, strict=True)
        ]
        merged["fatalities_low"], merged["fatalities_best"], merged["fatalities_high"] = (
            low,
            best,
            high,
        )
        merged["n_sources"] = len({s["doc_id"] for s in merged["sources"]})
        place = merged.get("location") or {}
        day = (merged.get("date") or {}).get("value")
        conn.execute(
            update(events)
            .where(events.c.id == event_id)
            .values(
                type=merged["type"],
                country=place.get("country"),
                admin1=place.get("admin1"),
                lat=place.get("lat"),
                lon=place.get("lon"),
                date=parse_day(day),
                fatalities_low=low,
                fatalities_best=best,
                fatalities_high=high,
                n_sources=merged["n_sources"],
                record=json.dumps(merged, ensure_ascii=False),
            )
        )

    # reading

    def query_events(self, f: EventFilter, limit: int = 100, offset: int = 0) -> list[dict[str, Any]]:
        """Return merged events matching the filter, latest date first."""
        query = (
            select(events.c.record)
            .where(where(f))
            .order_by(events.c.date.is_(None), events.c.date.desc(), events.c.id)
            .limit(max(0, int(limit)))
            .offset(max(0, int(offset)))
        )
        with self.engine.connect() as conn:
            found = [json.loads(r[0]) for r in conn.execute(query)]
            spans = self._evidence(conn, reports.c.event_id.in_([r["id"] for r in found]))
        for record in found:
            record["evidence"] = [s for _, s in spans.get(record["id"], [])]
        return found

    def _evidence(self, conn: Connection, condition: Any) -> dict[str, list[tuple[int, dict[str, Any]]]]:
        """Return, per merged event id, (report pk, span with doc_id) of matching reports."""
        rows = conn.execute(
            select(
                reports.c.event_id,
                reports.c.pk,
                reports.c.doc_id,
                evidence.c.start,
                evidence.c.end,
                evidence.c.text,
            )
            .select_from(evidence.join(reports, evidence.c.report_pk == reports.c.pk))
            .where(condition)
            .order_by(reports.c.pk, evidence.c.pk)
        ).all()
        spans: dict[str, list[tuple[int, dict[str, Any]]]] = {}
        for r in rows:
            span = {"doc_id": r.doc_id, "start": r.start, "end": r.end, "text": r.text}
            spans.setdefault(r.event_id, []).append((r.pk, span))
        return spans

    def iter_events(self, f: EventFilter, batch: int = 500) -> Iterator[dict[str, Any]]:
        """Yield every merged event matching the filter, latest date first."""
        offset = 0
        while True:
            page = self.query_events(f, limit=batch, offset=offset)
            yield from page
            if len(page) < batch:
                return
            offset += batch

    def count_events(self, f: EventFilter) -> int:
        """Count merged events matching the filter."""
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(events).where(where(f))).scalar_one())

    def get_event(self, event_id: str) -> dict[str, Any] | None:
        """Return one merged event (by its id or any of its reports' ids) with every report."""
        with self.engine.connect() as conn:
            row = conn.execute(select(events.c.record).where(events.c.id == event_id)).first()
            if row is None:
                # an event folded into another keeps answering by its reports' ids
                owner = conn.execute(
                    select(reports.c.event_id).where(reports.c.report_id == event_id).limit(1)
                ).first()
                if owner is None:
                    return None
                row = conn.execute(select(events.c.record).where(events.c.id == owner[0])).first()
                if row is None:
                    return None
            record: dict[str, Any] = json.loads(row[0])
            rows = conn.execute(
                select(reports.c.pk, reports.c.record, reports.c.content_hash)
                .where(reports.c.event_id == record["id"])
                .order_by(reports.c.pk)
            ).all()
            spans = self._evidence(conn, reports.c.event_id == record["id"]).get(record["id"], [])
        record["evidence"] = [s for _, s in spans]
        record["reports"] = []
        for row in rows:
            report = dict(json.loads(row.record), content_hash=row.content_hash)
            report["evidence"] = [
                {k: v for k, v in s.items() if k != "doc_id"} for pk, s in spans if pk == row.pk
            ]
            record["reports"].append(report)
        return record

    def get_document(self, doc_id: str) -> dict[str, Any] | None:
        """Return a stored document (by id, else by content hash) with its merged events' ids."""
        with self.engine.connect() as conn:
            row = (
                conn.execute(
                    select(documents)
                    .where(or_(documents.c.doc_id == doc_id, documents.c.content_hash == doc_id))
                    .order_by(documents.c.stored_at.desc())
                    .limit(1)
                )
                .mappings()
                .first()
            )
            if row is None:
                return None
            ids = conn.execute(
                select(reports.c.event_id)
                .where(reports.c.content_hash == row["content_hash"])
                .order_by(reports.c.pk)
            ).all()
        return {
            "id": row["doc_id"],
            "text": row["text"],
            "title": row["title"],
            "url": row["url"],
            "published": row["published"].isoformat() if row["published"] else None,
            "content_hash": row["content_hash"],
            "events": list(dict.fromkeys(r[0] for r in ids)),
        }

    def stats(self) -> dict[str, Any]:
        """Return counts of documents, bad documents, reports and merged events, by type."""
        with self.engine.connect() as conn:

            def count(table: Any, *conds: Any) -> int:
                q = select(func.count()).select_from(table)
                if conds:
                    q = q.where(and_(*conds))
                return int(conn.execute(q).scalar_one())

            by_type = conn.execute(
                select(events.c.type, func.count()).group_by(events.c.type).order_by(events.c.type)
            ).all()
            by_country = conn.execute(
                select(events.c.country, func.count())
                .where(events.c.country.is_not(None))
                .group_by(events.c.country)
                .order_by(events.c.country)
            ).all()
            first, last = conn.execute(select(func.min(events.c.date), func.max(events.c.date))).one()
            return {
                "documents": count(documents),
                "bad_documents": count(bad_documents),
                "reports": count(reports),
                "events": count(events),
                "merged_events": count(events, events.c.n_sources > 1),
                "by_type": {t: n for t, n in by_type},
                "by_country": {c: n for c, n in by_country},
                "date_min": first.isoformat() if first else None,
                "date_max": last.isoformat() if last else None,
                "backend": self.engine.dialect.name,
            }

    def bad_documents(self) -> list[dict[str, Any]]:
        """Return every recorded bad document with its reason, in the order recorded."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(bad_documents.c.doc_id, bad_documents.c.reason).order_by(bad_documents.c.pk)
            ).all()
        return [{"doc_id": r.doc_id, "reason": r.reason} for r in rows]


def parse_day(value: str | None) -> dt.date | None:
    """Return an ISO day as a date, None for a month, a year or nothing."""
    if not value or len(value) != 10:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None
