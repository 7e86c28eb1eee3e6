"""Load the HTTP API: N concurrent clients for S seconds against a seeded database on loopback.

    python benchmarks/api.py                      # seed a temporary database with the seed article
    python benchmarks/api.py --db events.sqlite   # or use a database you already ingested

Starts `eventcoder serve` in a subprocess on a free 127.0.0.1 port, runs the clients with
httpx (asyncio) in this process, and prints requests/s, p50/p99 latency and errors per
endpoint and overall. Prints figures; never asserts times.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import itertools
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import httpx

SEED = Path(__file__).resolve().parents[1] / "examples" / "seed" / "article.txt"
SEED_PUBLISHED = dt.date(2017, 2, 9)


def seed_database(path: Path, article: Path, published: dt.date) -> None:
    """Code an article with the real pipeline and store it in a new SQLite file."""
    from eventcoder.ingest.read import read_file
    from eventcoder.pipeline import code_documents
    from eventcoder.records import Document
    from eventcoder.store import Store

    store = Store.open(str(path))
    try:
        documents = [d for d in read_file(str(article), published) if isinstance(d, Document)]
        for document, events in code_documents(documents):
            store.add_document(document, events)
    finally:
        store.close()


def free_port() -> int:
    """Return a TCP port free on 127.0.0.1 right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(db: Path) -> tuple[subprocess.Popen[bytes], str]:
    """Start `eventcoder serve` on a free loopback port and wait until it answers."""
    port = free_port()
    command = [sys.executable, "-c", "from eventcoder.cli import main; main()", "serve"]
    command += ["--db", str(db), "--port", str(port)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(
                f"eventcoder serve exited: {process.stderr.read().decode() if process.stderr else ''}"
            )
        try:
            if httpx.get(url + "/config", timeout=1).status_code == 200:
                return process, url
        except httpx.TransportError:
            time.sleep(0.2)
    process.terminate()
    raise SystemExit("eventcoder serve did not answer within 60 s")


def cpu_seconds(pid: int) -> float | None:
    """Return the CPU time (user + system) a process has used so far, None off Linux."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def request_mix(url: str) -> list[tuple[str, str]]:
    """Return (label, path) pairs the clients cycle through: lists, filters, GeoJSON, records."""
    listed = httpx.get(url + "/events", params={"limit": 1000}).json()["events"]
    if not listed:
        raise SystemExit("the database holds no events: ingest some articles first")
    event = next((e for e in listed if e["location"]), listed[0])
    place = event["location"]
    mix = [
        ("GET /events", "/events?limit=100"),
        ("GET /events geojson", "/events?format=geojson&limit=500"),
        (
            "GET /events type+country",
            f"/events?type={event['type']}&country={(place or {}).get('country') or ''}",
        ),
        ("GET /events text", "/events?text=killed"),
        ("GET /events actor", "/events?actor=turk"),
        ("GET /events/{id}", f"/events/{event['id']}"),
        ("GET /documents/{id}", f"/documents/{event['doc_id']}"),
    ]
    if place:
        mix.append(("GET /events near", f"/events?near={place['lat']},{place['lon']},50"))
    return mix


async def client(
    http: httpx.AsyncClient,
    mix: list[tuple[str, str]],
    start: int,
    stop_at: float,
    latencies: dict[str, list[float]],
    errors: dict[str, int],
) -> None:
    """Send requests one after another until stop_at, recording latency and failures."""
    for label, path in itertools.islice(itertools.cycle(mix), start, None):
        if time.perf_counter() >= stop_at:
            return
        began = time.perf_counter()
        try:
            response = await http.get(path)
            failed = response.status_code != 200
        except httpx.HTTPError:
            failed = True
        latencies[label].append(time.perf_counter() - began)
        if failed:
            errors[label] += 1


async def run_load(
    url: str, clients: int, seconds: float
) -> tuple[dict[str, list[float]], dict[str, int], float]:
    """Run the clients together and return latencies and errors per endpoint, and elapsed time."""
    mix = request_mix(url)
    latencies: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=30) as http:
        began = time.perf_counter()
        stop_at = began + seconds
        await asyncio.gather(*(client(http, mix, i, stop_at, latencies, errors) for i in range(clients)))
        elapsed = time.perf_counter() - began
    return latencies, errors, elapsed


def percentile(values: list[float], q: float) -> float:
    """Return the q-th percentile (0-100) of values, in milliseconds."""
    if len(values) == 1:
        return values[0] * 1000
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1] * 1000


def report(latencies: dict[str, list[float]], errors: dict[str, int], elapsed: float, clients: int) -> None:
    """Print requests/s, p50/p99 latency and errors per endpoint and overall."""
    print(f"{clients} clients, {elapsed:.1f} s, server: eventcoder serve (uvicorn, 1 process)")
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    print(f"{'endpoint':28} {'requests':>9} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}")
    every: list[float] = []
    for label in sorted(latencies):
        values = latencies[label]
        every += values
        print(
            f"{label:28} {len(values):9d} {len(values) / elapsed:8.1f} {percentile(values, 50):8.1f} "
            f"{percentile(values, 99):8.1f} {errors[label]:7d}"
        )
    total_errors = sum(errors.values())
    print(
        f"{'all':28} {len(every):9d} {len(every) / elapsed:8.1f} {percentile(every, 50):8.1f} "
        f"{percentile(every, 99):8.1f} {total_errors:7d}"
    )


def main() -> None:
    """Seed (or take) a database, start the server, load it, print the figures."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", type=Path, help="an ingested SQLite file (copied, never written)")
    parser.add_argument("--article", type=Path, default=SEED, help="article to seed a new database with")
    parser.add_argument("--published", type=dt.date.fromisoformat, default=SEED_PUBLISHED)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="eventcoder-bench-") as folder:
        db = Path(folder) / "bench.sqlite"
        if args.db:
            shutil.copyfile(args.db, db)
        else:
            print(f"seeding a database with {args.article} ...", file=sys.stderr)
            seed_database(db, args.article, args.published)
        process, url = start_server(db)
        try:
            cpu_before = cpu_seconds(process.pid)
            latencies, errors, elapsed = asyncio.run(run_load(url, args.clients, args.seconds))
            cpu_after = cpu_seconds(process.pid)
        finally:
            process.terminate()
            process.wait(timeout=10)
    report(latencies, errors, elapsed, args.clients)
    served = sum(len(v) for v in latencies.values())
    if cpu_before is not None and cpu_after is not None and served:
        # CPU per request does not depend on what else the machine runs; req/s does
        used = cpu_after - cpu_before
        print(f"server CPU: {used:.1f} s, {1000 * used / served:.2f} ms per request")
    print(f"load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
