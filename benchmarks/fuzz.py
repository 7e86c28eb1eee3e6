"""Fuzz the commands with hostile and careless input mixed with good documents (issue 12).

Generates at least --count bad inputs of many kinds (random bytes, garbled and deeply nested HTML,
invalid UTF-8, UTF-16 with BOM, NULs, broken JSONL of every kind, non-XML feeds, odd names and
permissions, huge and pathological texts, FIFOs and devices), runs them in groups between good
documents through `eventcoder extract` (and every tenth group through `eventcoder ingest`), and
prints four counts that should all be 0: crashes (a traceback or an exit status other than 0/1),
hangs (a group over 30 s plus 1 s per document), good documents lost, and messages that do not
name their document (`doc_id: reason`).

    python benchmarks/fuzz.py [--count 5000] [--group 100] [--seed 12]
"""

from __future__ import annotations

import argparse
import codecs
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

GOOD = "Gunmen killed five villagers in Maiduguri, Nigeria on Monday, police said."
SKIPPED = re.compile(r"^eventcoder: skipped (.+?): (.+)$")
SUMMARY = re.compile(r"^eventcoder: \d+ document\(s\) coded, \d+ skipped$")
HANG_SECONDS = 30.0
# the ids the generated .jsonl lines give themselves (a message may name a document by its own id)
LINE_IDS = frozenset({"ok", "x", "y", "odd", "u16"})

Case = tuple[str, bytes]  # file name (may hold odd bytes), content


def random_bytes(rng: random.Random) -> Case:
    return rng.choice(["b.txt", "b.html", "b.jsonl", "b.xml", "b.rss", "b"]), rng.randbytes(
        rng.randint(0, 5000)
    )


def invalid_utf8(rng: random.Random) -> Case:
    text = b"Troops entered the town. " * rng.randint(1, 50)
    spot = rng.randrange(len(text))
    return rng.choice(["u.txt", "u.html", "u.jsonl"]), text[:spot] + rng.choice(
        [b"\xff", b"\xc3", b"\xed\xa0\x80"]
    ) + text[spot:]


def utf16(rng: random.Random) -> Case:
    body = json.dumps({"id": "u16", "text": GOOD}) if rng.random() < 0.5 else GOOD
    codec = rng.choice(["utf-16-le", "utf-16-be"])
    bom = codecs.BOM_UTF16_LE if codec.endswith("le") else codecs.BOM_UTF16_BE
    return rng.choice(["w.txt", "w.jsonl", "w.html"]), bom + body.encode(codec)[: rng.randint(1, 400)]


def nuls(rng: random.Random) -> Case:
    text = bytearray(GOOD.encode() * rng.randint(1, 20))
    for _ in range(rng.randint(1, 30)):
        text[rng.randrange(len(text))] = 0
    return rng.choice(["n.txt", "n.jsonl", "n.html"]), bytes(text)


def garbled_html(rng: random.Random) -> Case:
    tags = ["div", "p", "span", "table", "tr", "td", "a", "b", "script", "style", "nav", "svg", "math"]
    depth = rng.choice([10, 1000, 20000, 100000])
    tag = rng.choice(tags)
    opened = f"<{tag}>" * depth + "<p>" + GOOD
    closing = f"</{tag}>" * rng.randint(0, depth)
    soup = "".join(
        rng.choice(["<", ">", "</", "&", "&#", ";", "<!--", "-->", "<![CDATA[", "x"]) for _ in range(2000)
    )
    return rng.choice(["h.html", "h.htm", "h"]), (opened + closing if rng.random() < 0.5 else soup).encode()


def broken_jsonl(rng: random.Random) -> Case:
    good = json.dumps({"id": "ok", "text": GOOD})
    lines = [
        good[: rng.randint(1, len(good) - 1)],
        '{"id": ' + "9" * rng.randint(4000, 6000) + ', "text": "x"}',
        "[" * rng.randint(1000, 200000),
        '{"id": ["a"], "text": 5}',
        '{"id": "x", "text": NaN}',
        '{"id": "x", "id": "y", "text": "Troops withdrew."}',
        '{"id": "x", "published": "'
        + rng.choice(["0001-01-01", "9999-12-31", "2021-02-30", "12345", "x"])
        + '", "text": "Troops withdrew on Monday."}',
        '{"id": "a\\ud800", "text": "Troops withdrew."}',
        '{"id": "a\\u0000b", "title": "t\\u0000", "url": "\\u0000", "text": "Troops withdrew."}',
        '{"id": "x", "text": "' + "&" * 30000 + '"}',
        '"just a string"',
        "null",
        "",
        "   ",
        '{"id": "x", "html": "<div>' + "<div>" * 5000 + '"}',
        '{"id": "x", "text": 1e999999}',
        '{"id": "' + "i" * 5000 + '", "text": "Troops withdrew."}',
    ]
    chosen = [rng.choice(lines) for _ in range(rng.randint(1, 4))]
    return "j.jsonl", "\n".join(chosen).encode("utf-8", "surrogatepass")


def bad_feed(rng: random.Random) -> Case:
    bodies = [
        "This is not a feed.",
        '{"rss": "json"}',
        "<rss><channel><item><title>x</ti",
        "<rss><channel><item><title>"
        + GOOD
        + "</title><pubDate>Mon, 01 Jan 0001 00:00:00 GMT</pubDate></item></channel></rss>",
        "<feed xmlns='http://www.w3.org/2005/Atom'><entry><id>\x01</id><title>"
        + GOOD
        + "</title></entry></feed>",
        "<?xml version='1.0'?><!DOCTYPE x [<!ENTITY a 'aaaaaaaaaa'>"
        "<!ENTITY b '&a;&a;&a;&a;&a;&a;&a;&a;'>]><rss>&b;</rss>",
    ]
    return rng.choice(["f.rss", "f.xml", "f.atom"]), rng.choice(bodies).encode()


def pathological(rng: random.Random) -> Case:
    runs = ["&" * 30000, "$A" * 20000, "(" * 50000, "_" * 30000, "a" * 300000, "& " * 30000, "\u0301" * 30000]
    text = GOOD + " " + rng.choice(runs)
    if rng.random() < 0.1:
        text = (GOOD + "\n\n") * 900  # about 70,000 characters: over the document limit
    return rng.choice(["p.txt", "p.html", "p"]), text.encode()


def odd_name(rng: random.Random) -> Case:
    names = [
        b"caf\xe9.txt",
        b"new\nline.txt",
        b" spaced .txt",
        b"-dash.txt",
        b"x" * 200 + b".txt",
        b"\xff\xfe.jsonl",
    ]
    name = rng.choice(names)
    content = (
        GOOD.encode() if not name.endswith(b".jsonl") else json.dumps({"id": "odd", "text": GOOD}).encode()
    )
    return os.fsdecode(name), content


KINDS: list[Callable[[random.Random], Case]] = [
    random_bytes,
    invalid_utf8,
    utf16,
    nuls,
    garbled_html,
    broken_jsonl,
    bad_feed,
    pathological,
    odd_name,
]


def write_group(folder: Path, cases: list[Case], rng: random.Random) -> tuple[list[str], set[str]]:
    """Write one group's files between good documents; return the inputs and the good ids."""
    folder.mkdir(parents=True)
    inputs: list[str] = []
    good: set[str] = set()
    for i, (name, content) in enumerate(cases):
        if i % 10 == 0:
            path = folder / f"good{i:04d}.txt"
            path.write_text(GOOD + f" Report {i}.\n")
            inputs.append(str(path))
            good.add(str(path))
        path = folder / f"{i:04d}-{name}"
        path.write_bytes(content)
        if rng.random() < 0.02 and os.geteuid() != 0:
            path.chmod(0)
        inputs.append(str(path))
    special = folder / "pipe.txt"
    os.mkfifo(special)
    inputs += [str(special), "/dev/zero"]
    last = folder / "zz-good.txt"
    last.write_text(GOOD + " The last report.\n")
    inputs.append(str(last))
    good.add(str(last))
    return inputs, good


def named(doc_id: str, folder: Path) -> bool:
    """Tell whether a message's document id names an input of the group or a line's own id."""
    return doc_id.startswith(str(folder)) or doc_id == "/dev/zero" or doc_id in LINE_IDS


def judge(done: subprocess.CompletedProcess[str], good: set[str], folder: Path) -> dict[str, list[str]]:
    """Sort what one run did wrong: crashes, good documents lost, unnamed messages."""
    found: dict[str, list[str]] = {"crashes": [], "lost": [], "unnamed": []}
    if done.returncode not in (0, 1) or "Traceback" in done.stderr:
        found["crashes"].append(f"{folder}: exit {done.returncode}: {done.stderr[-500:]}")
    coded = set()
    for line in done.stdout.splitlines():
        coded.add(json.loads(line)["doc_id"])
    found["lost"] = sorted(good - coded)
    for line in done.stderr.splitlines():
        match = SKIPPED.match(line)
        if SUMMARY.match(line):
            continue
        if match is None or not named(match.group(1), folder):
            found["unnamed"].append(line[:200])
    return found


def check_ingest(
    done: subprocess.CompletedProcess[str], good: set[str], folder: Path, totals: dict[str, list[str]]
) -> None:
    """Judge one ingest run: no crash, every message names its document, every good one stored."""
    if done.returncode not in (0, 1) or "Traceback" in done.stderr:
        totals["crashes"].append(f"{folder}: ingest exit {done.returncode}: {done.stderr[-500:]}")
    for line in done.stderr.splitlines():
        doc_id = line.split(": ", 1)[0]
        if not (line.startswith("ingest: ") or (": " in line and named(doc_id, folder))):
            totals["unnamed"].append(line[:200])
    exported = subprocess.run(
        [sys.executable, "-m", "eventcoder", "export", "--db", str(folder / "store.sqlite")],
        capture_output=True,
        text=True,
        errors="replace",
        timeout=120,
    )
    if exported.returncode != 0:
        totals["crashes"].append(f"{folder}: export exit {exported.returncode}: {exported.stderr[-300:]}")
    records = [json.loads(line) for line in exported.stdout.splitlines()]
    stored = {s.get("doc_id") for r in records for s in r.get("sources", [])} | {r["doc_id"] for r in records}
    totals["lost"] += sorted(good - stored)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=5000, help="bad inputs to generate")
    parser.add_argument("--group", type=int, default=100, help="bad inputs per command run")
    parser.add_argument("--seed", type=int, default=12)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    root = Path(tempfile.mkdtemp(prefix="eventcoder-fuzz-"))
    totals: dict[str, list[str]] = {"crashes": [], "hangs": [], "lost": [], "unnamed": []}
    started = time.perf_counter()
    try:
        for number, start in enumerate(range(0, args.count, args.group)):
            cases = [rng.choice(KINDS)(rng) for _ in range(min(args.group, args.count - start))]
            folder = root / f"group{number:03d}"
            inputs, good = write_group(folder, cases, rng)
            limit = HANG_SECONDS + len(inputs)
            if number % 10 == 9:
                command = ["ingest", "--db", str(folder / "store.sqlite"), "--workers", "1", "--no-progress"]
            else:
                command = ["extract"]
            run = [sys.executable, "-m", "eventcoder", *command, "--", *inputs]
            try:
                done = subprocess.run(run, capture_output=True, text=True, errors="replace", timeout=limit)
            except subprocess.TimeoutExpired:
                totals["hangs"].append(f"{folder}: over {limit:.0f} s")
                continue
            if command[0] == "ingest":
                check_ingest(done, good, folder, totals)
                continue
            for key, items in judge(done, good, folder).items():
                totals[key] += items
            seconds = time.perf_counter() - started
            print(f"group {number}: {len(cases)} bad inputs, {seconds:.0f} s", file=sys.stderr)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    print(f"bad inputs: {args.count} in groups of {args.group}; {time.perf_counter() - started:.0f} s")
    for key in ("crashes", "hangs", "lost", "unnamed"):
        print(f"{key}: {len(totals[key])}")
        for item in totals[key][:10]:
            print(f"    {item}")


if __name__ == "__main__":
    main()
