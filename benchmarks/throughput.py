"""Print eventcoder's throughput beside bare spaCy nlp.pipe on the same documents, and peak memory.

    python benchmarks/throughput.py [--docs N] [--source tests|acled]
    python benchmarks/throughput.py --cold-start      # seconds for one `eventcoder extract` of the seed
    python benchmarks/throughput.py --own             # CPU seconds of eventcoder's own code beside the parse

Both the rules-only coder (`--model rules`) and the shipped learned model run, side by side.

`tests` uses the repository's own articles and sentences (repeated to N documents);
`acled` uses notes of the ACLED Africa 2016 development set in ../shared/data (read, never copied).
Each round times bare spaCy, the rules and the learned model back to back; the median of the
rounds is printed, with the range of the per-round ratios (one pass reads +-0.1 on this
machine) and the ratio of the fastest rounds (as timeit reports the best of its runs).
Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import statistics
import time
from pathlib import Path

from eventcoder.nlp import load_model
from eventcoder.pipeline import code_documents
from eventcoder.records import Document
from eventcoder.resolve.gazetteer import Gazetteer

ROOT = Path(__file__).resolve().parent.parent
ACLED = ROOT.parent / "shared" / "data" / "acled-africa-2016"


def repository_texts() -> list[str]:
    """Return the repository's test articles, sentences and the seed."""
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "tests/data/articles").glob("*.txt"))]
    texts.append((ROOT / "examples/seed/article.txt").read_text(encoding="utf-8"))
    with (ROOT / "tests/data/sentences.jsonl").open(encoding="utf-8") as lines:
        texts.extend(json.loads(line)["text"] for line in lines if line.strip())
    return texts


def acled_texts(limit: int) -> list[str]:
    """Return up to limit ACLED notes from the development set."""
    path = next(ACLED.glob("*.csv"))
    with path.open(encoding="utf-8", errors="replace") as handle:
        rows = csv.DictReader(handle)
        return [
            row.get("NOTES") or row.get("notes") or "" for _, row in zip(range(limit), rows, strict=False)
        ]


def peak_mb() -> float:
    """Return this process's peak resident memory in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    """Measure and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=500)
    parser.add_argument("--source", choices=["tests", "acled"], default="tests")
    parser.add_argument("--cold-start", action="store_true", help="time one extract command from start")
    parser.add_argument("--rounds", type=int, default=5, help="timed rounds; medians are printed")
    parser.add_argument("--own", action="store_true", help="CPU time of the coder's own code, parse apart")
    args = parser.parse_args()
    if args.cold_start:
        cold_start()
        return
    base = repository_texts() if args.source == "tests" else acled_texts(args.docs)
    texts = [t for t in (base * (args.docs // max(len(base), 1) + 1))[: args.docs] if t.strip()]
    if args.own:
        own_code(texts, args.rounds)
        return
    words = sum(len(t.split()) for t in texts)
    nlp = load_model()
    Gazetteer.load()
    for model in ("rules", "default"):
        list(code_documents([Document(id="warm-up", text=texts[0])], model=model))

    print(f"documents: {len(texts)}  words: {words}  source: {args.source}  rounds: {args.rounds}")
    runs: dict[str, list[float]] = {"spacy": [], "rules": [], "default": []}
    events: dict[str, int] = {}
    ratios: dict[str, list[float]] = {"rules": [], "default": []}
    for _ in range(args.rounds):  # each round times all three back to back: the machine's drift cancels
        start = time.perf_counter()
        for _ in nlp.pipe(texts, batch_size=16):
            pass
        runs["spacy"].append(time.perf_counter() - start)
        for model in ("rules", "default"):
            start = time.perf_counter()
            documents = (Document(id=str(i), text=t) for i, t in enumerate(texts))
            events[model] = sum(len(found) for _, found in code_documents(documents, model=model))
            runs[model].append(time.perf_counter() - start)
            ratios[model].append(runs["spacy"][-1] / runs[model][-1])
    spacy_seconds = statistics.median(runs["spacy"])
    spacy_rate = f"{len(texts) / spacy_seconds:8.1f} docs/s  {words / spacy_seconds:9.0f} words/s"
    print(f"bare spaCy nlp.pipe         : {spacy_rate}")
    for model, label in (("rules", "eventcoder, rules only  "), ("default", "eventcoder, learned model")):
        seconds = statistics.median(runs[model])
        ratio = ratios[model]
        print(
            f"{label} : {len(texts) / seconds:8.1f} docs/s  {words / seconds:9.0f} words/s"
            f"  ({events[model]} events)  ratio to spaCy {statistics.median(ratio):.2f}"
            f" (rounds {min(ratio):.2f}-{max(ratio):.2f};"
            f" fastest rounds {min(runs['spacy']) / min(runs[model]):.2f})"
        )
    print(f"peak memory: {peak_mb():.0f} MB")


def own_code(texts: list[str], rounds: int) -> None:
    """Print the CPU seconds of the parse and of each coder's own code on the parsed documents, the
    fastest of `rounds` (CPU time and the fastest round: the figure least moved by a busy host), and
    the ratio they imply. Run with OMP_NUM_THREADS=1 so that the parse's CPU time is its wall time."""
    from eventcoder.classify.decide import load_classifier
    from eventcoder.nlp import parse
    from eventcoder.pipeline import code_document
    from eventcoder.resolve.actor_types import load_actor_model

    gazetteer = Gazetteer.load()
    documents = [Document(id=str(i), text=t) for i, t in enumerate(texts)]
    parses: list[float] = []
    for _ in range(rounds):
        start = time.process_time()
        parsed = list(parse(texts))  # as the pipeline parses: each Doc keeps its text
        parses.append(time.process_time() - start)
    print(f"documents: {len(texts)}  parse: {min(parses):.3f} CPU s (fastest of {rounds})")
    actors = load_actor_model(None)
    for model in ("rules", "default"):
        classifier = load_classifier(model)
        own: list[float] = []
        for _ in range(rounds):
            parsed = list(parse(texts))  # new Docs: a Doc keeps what coding it once computed
            start = time.process_time()
            for doc, document in zip(parsed, documents, strict=True):
                code_document(doc, document, gazetteer, classifier, actors)
            own.append(time.process_time() - start)
        implied = min(parses) / (min(parses) + min(own))
        print(f"{model:>8}: own code {min(own):.3f} CPU s; implied ratio to spaCy {implied:.2f}")


def cold_start() -> None:
    """Time `eventcoder extract` of the seed article from a new process, three times."""
    import subprocess
    import sys

    command = [sys.executable, "-m", "eventcoder", "extract", str(ROOT / "examples/seed/article.txt")]
    for _ in range(3):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        print(f"cold start, one-article extract: {time.perf_counter() - start:.2f} s")


if __name__ == "__main__":
    main()
