"""Print the Spark path's documents per second on local[1] and local[2], and Spark's start-up time.

    python benchmarks/spark.py [--docs N] [--masters local[1],local[2]]

The documents are the repository's test articles, seed and sentences, repeated to N and
written to one Parquet file. For each master: the time to start the session, a first job
(the Python workers load the spaCy model and the gazetteer) and a second job on the same
session (workers reused, models already loaded), each master in a fresh process so its start-up
includes launching the JVM; the plain in-process pipeline is printed beside them.
Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
from pyspark.sql import DataFrame

from eventcoder import spark as coder
from eventcoder.pipeline import code_documents
from eventcoder.records import Document

ROOT = Path(__file__).resolve().parent.parent


def repository_texts() -> list[str]:
    """Return the repository's test articles, sentences and the seed."""
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "tests/data/articles").glob("*.txt"))]
    seed = ROOT / "examples/seed/article.txt"
    if seed.exists():
        texts.append(seed.read_text(encoding="utf-8"))
    with (ROOT / "tests/data/sentences.jsonl").open(encoding="utf-8") as lines:
        texts.extend(json.loads(line)["text"] for line in lines if line.strip())
    return [t for t in texts if t.strip()]


def coding_seconds(documents: DataFrame, partitions: int) -> float:
    """Run the Spark job to the end (a noop sink) and return its wall time."""
    start = time.perf_counter()
    coder.code_dataframe(documents, partitions).write.format("noop").mode("overwrite").save()
    return time.perf_counter() - start


def in_process_rate(texts: list[str]) -> float:
    """Return the plain pipeline's documents per second in this process, warm."""
    list(code_documents([Document(id="warm-up", text=texts[0])]))
    start = time.perf_counter()
    for _ in code_documents(Document(id=str(i), text=t) for i, t in enumerate(texts)):
        pass
    return len(texts) / (time.perf_counter() - start)


def measure(master: str, path: str, documents_count: int) -> None:
    """Start a session on master, code the Parquet file twice and print the figures."""
    start = time.perf_counter()
    session = coder.start_session(master)
    started = time.perf_counter() - start
    cores = session.sparkContext.defaultParallelism
    documents = coder.read_documents(session, path)
    first = coding_seconds(documents, cores)
    second = coding_seconds(documents, cores)
    session.stop()
    print(
        f"{master:10} start-up {started:5.1f} s | first job {documents_count / first:6.1f} docs/s"
        f" ({first:5.1f} s, workers load the model) | second job {documents_count / second:6.1f} docs/s"
        f" ({second:5.1f} s)  partitions={cores}",
        flush=True,
    )


def main() -> None:
    """Measure and print the figures, each master in a fresh process (JVM launch included)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=400)
    parser.add_argument("--masters", default="local[1],local[2]")
    parser.add_argument("--one", nargs=2, metavar=("MASTER", "PARQUET"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    if args.one:
        measure(args.one[0], args.one[1], len(pd.read_parquet(args.one[1])))
        return
    base = repository_texts()
    texts = (base * (args.docs // len(base) + 1))[: args.docs]
    words = sum(len(t.split()) for t in texts)
    print(f"documents: {len(texts)}  words: {words}  cpus: {os.cpu_count()}")
    print(f"in-process pipeline (one core, warm): {in_process_rate(texts):7.1f} docs/s", flush=True)
    with tempfile.TemporaryDirectory() as folder:
        path = str(Path(folder) / "docs.parquet")
        pd.DataFrame({"id": [str(i) for i in range(len(texts))], "text": texts}).to_parquet(path)
        for master in args.masters.split(","):
            subprocess.run([sys.executable, __file__, "--one", master, path], check=True)


if __name__ == "__main__":
    main()
