"""Print batch-ingest throughput for 1 and N workers and the store's size per 1,000 documents.

    python benchmarks/ingest.py [--docs 300] [--workers N] [--pg postgresql://...]

Documents are generated from the test corpus (tests/data/reports) with other places and numbers.
Each run ingests into a fresh SQLite file (and, with --pg or EVENTCODER_TEST_PG, into a fresh
PostgreSQL schema). Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from eventcoder.store import Store  # noqa: E402 - after the path set-up above
from eventcoder.store.batch import ingest  # noqa: E402
from tests.store import corpus  # noqa: E402


def sqlite_bytes(path: Path) -> int:
    """Return the size of a closed SQLite store (file plus any WAL left)."""
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))


def run_sqlite(docs: Path, workers: int, folder: Path) -> tuple[float, int, int]:
    """Ingest into a fresh SQLite file; return seconds, documents stored and bytes."""
    path = folder / f"bench-{workers}.sqlite"
    with Store.open(str(path)) as store:
        started = time.perf_counter()
        summary = ingest([str(docs)], store, workers=workers, progress=None)
        seconds = time.perf_counter() - started
    return seconds, summary.stored, sqlite_bytes(path)


def run_postgres(url: str, docs: Path, workers: int) -> tuple[float, int, int]:
    """Ingest into a fresh PostgreSQL schema; return seconds, documents stored and bytes."""
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in url else "?"
    try:
        with Store.open(f"{url}{sep}options=-csearch_path%3D{schema}") as store:
            started = time.perf_counter()
            summary = ingest([str(docs)], store, workers=workers, progress=None)
            seconds = time.perf_counter() - started
        with admin.connect() as conn:
            size = conn.execute(
                text(
                    "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c "
                    "JOIN pg_namespace n ON n.oid = c.relnamespace "
                    "WHERE n.nspname = :schema AND c.relkind = 'r'"
                ),
                {"schema": schema},
            ).scalar_one()
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
    return seconds, summary.stored, int(size)


def startup_seconds(workers: int, folder: Path) -> float:
    """Return what starting the workers costs: the time to ingest one document."""
    one = corpus.write_jsonl(corpus.generate(1, seed=99), folder / f"one-{workers}.jsonl")
    with Store.open(str(folder / f"startup-{workers}.sqlite")) as store:
        started = time.perf_counter()
        ingest([str(one)], store, workers=workers, progress=None)
        return time.perf_counter() - started


def report(backend: str, workers: int, startup: float, seconds: float, stored: int, size: int) -> None:
    """Print one line of figures."""
    per_1000 = size / stored * 1000 / 1e6 if stored else 0.0
    steady = stored / max(seconds - startup, 1e-9)
    print(
        f"{backend:<10} workers={workers:<2} {stored} docs in {seconds:6.1f} s = "
        f"{stored / seconds:6.1f} docs/s ({steady:6.1f} docs/s after {startup:4.1f} s start-up); "
        f"store {size / 1e6:6.2f} MB = {per_1000:5.2f} MB per 1,000 docs",
        flush=True,
    )


def documents(count: int, paragraphs: int) -> list[dict[str, object]]:
    """Return count generated documents of `paragraphs` reports each, news-article length."""
    pieces = corpus.generate(count * paragraphs)
    docs = []
    for i in range(count):
        group = pieces[i * paragraphs : (i + 1) * paragraphs]
        docs.append(dict(group[0], text="\n\n".join(str(p["text"]) for p in group)))
    return docs


def main() -> None:
    """Generate the documents, ingest them with 1 and N workers, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=300)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--paragraphs", type=int, default=4, help="reports per document")
    parser.add_argument("--pg", default=os.environ.get("EVENTCODER_TEST_PG"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        generated = documents(args.docs, args.paragraphs)
        docs = corpus.write_jsonl(generated, folder / "docs.jsonl")
        words = sum(len(str(d["text"]).split()) for d in generated)
        print(f"{args.docs} generated documents, {words / args.docs:.0f} words each on average")
        # warm the model and gazetteer caches so the first run is not charged for building them
        with Store.open(str(folder / "warm.sqlite")) as store:
            ingest([str(ROOT / "tests/data/reports/reports.jsonl")], store, progress=None)
        for workers in sorted({1, args.workers}):
            startup = startup_seconds(workers, folder)
            report("sqlite", workers, startup, *run_sqlite(docs, workers, folder))
            if args.pg:
                report("postgresql", workers, startup, *run_postgres(args.pg, docs, workers))


if __name__ == "__main__":
    main()
