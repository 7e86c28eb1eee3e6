"""Accuracy on the development sets: one markdown table for the README.

    python benchmarks/accuracy.py                 # 500 records per set, seed 2024
    python benchmarks/accuracy.py --full          # every record
    python benchmarks/accuracy.py --sample 200 --sets acled-asia-2015

Reads only the development sets of ../shared/data (see its README); never the held-out ones.
Prints figures, never asserts them. Texts are coded with no publication date.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from eventcoder.evaluate.cli import evaluate_records, select_records
from eventcoder.evaluate.gold import GoldFormat, read_gold
from eventcoder.evaluate.score import Report

# name -> (path under the data folder, gold format); development sets only
DEV_SETS: dict[str, tuple[str, GoldFormat]] = {
    "acled-africa-2016": (
        "acled-africa-2016/acled_africa_2016-01-01_to_2016-05-28.csv",
        "acled",
    ),
    "acled-asia-2015": ("acled-asia-2015/acled_asia_2015-04_to_2015-10.csv", "acled"),
    "conflibert-cameo (train)": ("conflibert-cameo/cameo_class_train.tsv", "case"),
    "cameo-conflibert-annotations": ("cameo-conflibert-annotations", "case"),
    "petrarch2-gsr-validation": ("petrarch2-gsr-validation/petr2_gsr_validation.jsonl", "plover"),
}

# column header -> field of Report (or a violent-event figure)
COLUMNS = {
    "ACLED type": "acled_type",
    "ACLED type (any event)": "acled_type_any",
    "sub-type": "acled_sub_type",
    "PLOVER type": "plover_type",
    "CAMEO root": "cameo_root",
    "CAMEO root (any rater)": "cameo_root_any_rater",
    "PentaClass": "penta",
    "actor-1 country": "actor1_country",
    "actor-2 country": "actor2_country",
    "fatalities": "fatalities",
    "place ≤25 km": "place_25km",
    "date": "date",
    "violent P": "violent_precision",
    "violent R": "violent_recall",
}


def default_data_folder() -> Path:
    """Return ../shared/data beside the repository, where the datasets live."""
    return Path(__file__).resolve().parents[2] / "shared" / "data"


def cell(report: Report, field: str) -> str:
    """Format one figure as 'xx.x% (n)' or a dash where the set does not code it."""
    if field == "violent_precision":
        value, n = report.violent_precision(), report.violent["tp"] + report.violent["fp"]
    elif field == "violent_recall":
        value, n = report.violent_recall(), report.violent["tp"] + report.violent["fn"]
    else:
        value, n = report.accuracy(field), report.scored[field]
    return "-" if value is None else f"{100 * value:.1f}% ({n})"


def markdown_table(rows: list[tuple[str, Report, float]]) -> str:
    """Render one row per set with the figures it codes, plus time and documents/second."""
    used = [h for h, f in COLUMNS.items() if any(cell(r, f) != "-" for _, r, _ in rows)]
    header = ["set", "docs", *used, "seconds", "docs/s"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for name, report, seconds in rows:
        values = [cell(report, COLUMNS[h]) for h in used]
        rate = report.documents / seconds if seconds else 0.0
        lines.append(
            "| " + " | ".join([name, str(report.documents), *values, f"{seconds:.0f}", f"{rate:.1f}"]) + " |"
        )
    return "\n".join(lines)


def _writer(sink: TextIO) -> Callable[[dict[str, Any]], object]:
    """Return a function writing one disagreement as a JSON line to sink."""
    return lambda row: sink.write(json.dumps(row, ensure_ascii=False) + "\n")


def main(argv: list[str] | None = None) -> int:
    """Run eval over each development set and print the markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=500, help="records per set (default 500)")
    parser.add_argument("--seed", type=int, default=2024, help="sample seed (default 2024)")
    parser.add_argument("--full", action="store_true", help="score every record")
    parser.add_argument("--data", type=Path, default=default_data_folder(), help="data folder")
    parser.add_argument("--sets", nargs="*", choices=sorted(DEV_SETS), help="only these sets")
    parser.add_argument("--disagreements", type=Path, help="folder for one disagreements JSONL per set")
    parser.add_argument("--confusion", action="store_true", help="also print type confusions")
    args = parser.parse_args(argv)
    rows: list[tuple[str, Report, float]] = []
    for name in args.sets or DEV_SETS:
        relative, fmt = DEV_SETS[name]
        path = args.data / relative
        if not path.exists():
            print(f"{name}: {path} not found; skipped", file=sys.stderr)
            continue
        records = select_records(
            list(read_gold(path, fmt)), None, None if args.full else args.sample, args.seed
        )
        print(f"{name}: coding {len(records)} records", file=sys.stderr)
        started = time.perf_counter()
        if args.disagreements:
            args.disagreements.mkdir(parents=True, exist_ok=True)
            target = args.disagreements / f"{name.split(' ')[0]}.jsonl"
            with target.open("w", encoding="utf-8") as sink:
                report = evaluate_records(records, _writer(sink), progress=sys.stderr)
        else:
            report = evaluate_records(records, progress=sys.stderr)
        seconds = time.perf_counter() - started
        rows.append((name, report, seconds))
        if args.confusion:
            print(f"\n{name}: most frequent type errors", file=sys.stderr)
            for (gold, predicted), count in report.confusion.most_common(8):
                print(f"  {gold} -> {predicted}: {count}", file=sys.stderr)
    sample = "every record" if args.full else f"a seeded sample of {args.sample} (seed {args.seed})"
    print(f"Accuracy on the development sets, {sample} per set; no publication date given.\n")
    print(markdown_table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
