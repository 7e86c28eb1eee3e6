"""Batch ingest: read inputs, code documents in worker processes, write them from one writer.

Workers each load the spaCy model once and only code; the parent is the single writer (the
safe design for SQLite) and commits one document per transaction, so a run killed at any point
and run again stores nothing twice and loses nothing. Documents already stored are skipped
before they are parsed, so a re-run costs a hash and a lookup per document.
"""

from __future__ import annotations

import contextlib
import ctypes
import datetime as dt
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from multiprocessing.pool import AsyncResult, Pool
from typing import TextIO

from eventcoder.errors import BadDocument, StoreError
from eventcoder.records import Document, Event
from eventcoder.store.db import Store, content_hash

# (document, its events or None, why it could not be coded or None)
Coded = tuple[Document, list[Event] | None, str | None]


@dataclass
class IngestSummary:
    """What one ingest run did."""

    stored: int = 0
    skipped: int = 0
    bad: int = 0
    reports: int = 0
    merged: int = 0
    events_total: int = 0
    documents_total: int = 0
    seconds: float = 0.0
    bad_reasons: list[tuple[str, str]] = field(default_factory=list)

    def line(self) -> str:
        """Return the one-line summary printed at the end of a run."""
        rate = (self.stored + self.skipped) / self.seconds if self.seconds > 0 else 0.0
        return (
            f"ingest: {self.stored} documents stored, {self.skipped} skipped as already stored, "
            f"{self.bad} bad; {self.reports} events found, {self.merged} merged into events "
            f"reported by other documents; the store holds {self.events_total} events from "
            f"{self.documents_total} documents ({rate:.1f} documents/s)"
        )


# prctl(2) option: the signal the kernel sends this process when the thread that started it dies
PR_SET_PDEATHSIG = 1


def watch_parent(parent: int) -> None:
    """Exit this worker as soon as the process that started it is gone (killed with -9)."""
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


def die_with_parent(parent: int) -> None:
    """Make the kernel kill this process when its parent dies, even while it holds the GIL.

    Linux only (prctl PR_SET_PDEATHSIG); elsewhere, and as a fallback, a thread polls the parent,
    which runs only when the worker lets go of the GIL.
    """
    if sys.platform.startswith("linux"):
        # no prctl in this libc: the watching thread below still ends the worker
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:
        os._exit(1)  # the parent died before the signal was armed
    threading.Thread(target=watch_parent, args=(parent,), daemon=True).start()


def start_worker(parent: int) -> None:
    """Load the model once in a worker process that dies with its parent."""
    from eventcoder.nlp import load_model

    die_with_parent(parent)
    load_model()


def code_batch(docs: list[Document]) -> list[Coded]:
    """Code a batch of documents; one that fails is returned with its reason, not raised."""
    from eventcoder.pipeline import code_documents

    failed: dict[str, str] = {}

    def note(bad: BadDocument) -> None:
        failed[bad.doc_id] = bad.reason

    coded = {id(doc): found for doc, found in code_documents(docs, batch_size=len(docs), on_error=note)}
    return [
        (doc, coded[id(doc)], None) if id(doc) in coded else (doc, None, failed.get(doc.id, "not coded"))
        for doc in docs
    ]


def batches(
    items: Iterable[Document | BadDocument],
    store: Store,
    size: int,
    on_bad: Callable[[str, str], None],
    on_skip: Callable[[], None],
) -> Iterator[list[Document]]:
    """Yield batches of documents not stored yet, recording bad ones and counting skips."""
    seen: set[str] = set()
    pending: list[Document] = []

    def flush() -> list[Document]:
        keys = [content_hash(d.text) for d in pending]
        stored = store.stored_hashes(keys)
        fresh = []
        for doc, key in zip(pending, keys, strict=True):
            if key in stored or key in seen:
                on_skip()
            else:
                seen.add(key)
                fresh.append(doc)
        pending.clear()
        return fresh

    for item in items:
        if isinstance(item, BadDocument):
            on_bad(item.doc_id, item.reason)
            continue
        pending.append(item)
        if len(pending) >= size:
            fresh = flush()
            if fresh:
                yield fresh
    fresh = flush()
    if fresh:
        yield fresh


def coded_in_parallel(jobs: Iterator[list[Document]], workers: int) -> Iterator[Coded]:
    """Code batches in worker processes, at most two batches per worker in flight."""
    context = multiprocessing.get_context("spawn")
    with context.Pool(workers, initializer=start_worker, initargs=(os.getpid(),)) as pool:
        yield from drain(pool, jobs, 2 * workers)


def drain(pool: Pool, jobs: Iterator[list[Document]], window: int) -> Iterator[Coded]:
    """Submit jobs to the pool and yield their results, oldest first, keeping a bounded window."""
    pending: deque[AsyncResult[list[Coded]]] = deque()
    for job in jobs:
        pending.append(pool.apply_async(code_batch, (job,)))
        while len(pending) >= window:
            yield from pending.popleft().get()
    while pending:
        yield from pending.popleft().get()


def ingest(
    inputs: Sequence[str],
    store: Store,
    workers: int = 1,
    published: dt.date | None = None,
    batch_size: int = 8,
    progress: TextIO | None = sys.stderr,
    report_bad: TextIO | None = None,
) -> IngestSummary:
    """Read, code and store documents; bad ones are recorded and never abort the run.

    Args:
        inputs: files, folders, .jsonl corpora, feeds, or "-" for standard input.
        store: the open store to write to (this process is its only writer).
        workers: processes that code documents; 1 codes in this process.
        published: the publication date of documents that carry none.
        batch_size: documents per task sent to a worker.
        progress: where the progress bar goes, None for none; it shows a total and an ETA
            when the inputs can be counted without parsing them (files, folders, .jsonl).
        report_bad: where each bad document is written as `doc_id: reason` the moment it is
            found (above the progress bar), None to only collect them in the summary.

    Returns:
        the counts of this run and of the store after it.
    """
    from tqdm import tqdm

    from eventcoder.ingest.read import count_documents, iter_documents

    started = time.perf_counter()
    summary = IngestSummary()
    before = store.stats()
    bar = tqdm(
        total=count_documents(inputs) if progress is not None else None,
        unit="doc",
        file=progress or sys.stderr,
        disable=progress is None,
        desc="ingest",
        dynamic_ncols=True,
    )

    def on_bad(doc_id: str, reason: str) -> None:
        store.add_bad_document(doc_id, reason)
        summary.bad += 1
        summary.bad_reasons.append((doc_id, reason))
        if report_bad is not None:
            tqdm.write(f"{doc_id}: {reason}", file=report_bad)
        bar.update(1)

    def on_skip() -> None:
        summary.skipped += 1
        bar.update(1)

    jobs = batches(iter_documents(inputs, published), store, batch_size, on_bad, on_skip)
    if workers > 1:
        results = coded_in_parallel(jobs, workers)
    else:
        results = (c for job in jobs for c in code_batch(job))
    try:
        for doc, found, problem in results:
            if found is None:
                on_bad(doc.id, problem or "could not be coded")
                continue
            try:
                added = store.add_document(doc, found)
            except StoreError as error:  # this document cannot be stored; the others can
                on_bad(doc.id, str(error).removeprefix(f"{doc.id}: "))
                continue
            if added:
                summary.stored += 1
                summary.reports += len(found)
            else:
                summary.skipped += 1
            bar.update(1)
            bar.set_postfix(events=summary.reports, refresh=False)
    finally:
        bar.close()
    after = store.stats()
    summary.merged = (after["reports"] - before["reports"]) - (after["events"] - before["events"])
    summary.events_total = after["events"]
    summary.documents_total = after["documents"]
    summary.seconds = time.perf_counter() - started
    return summary
