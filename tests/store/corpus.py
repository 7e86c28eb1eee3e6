"""The test corpus of short reports, and larger corpora generated from it by varying it."""

from __future__ import annotations

import datetime as dt
import json
import random
import re
from pathlib import Path
from typing import Any

REPORTS = Path(__file__).resolve().parent.parent / "data" / "reports"

# the places of the corpus and others of the same country a variant may move an event to
PLACES = {
    "Kharkiv": ["Sumy", "Zaporizhzhia", "Dnipro", "Odesa", "Mykolaiv"],
    "Nairobi": ["Mombasa", "Kisumu", "Nakuru", "Eldoret"],
    "Peshawar": ["Quetta", "Bannu", "Kohat", "Mardan"],
    "El Fasher": ["Nyala", "Geneina", "Kadugli", "El Obeid"],
    "Ankara": ["Istanbul", "Izmir", "Diyarbakir", "Bursa"],
    "Maiduguri": ["Damaturu", "Yola", "Gombe", "Bauchi"],
}
NUMBER = re.compile(r"\b\d{1,3}\b")


def reports() -> list[dict[str, Any]]:
    """Return the corpus: 22 short reports from different outlets about 6 events."""
    lines = (REPORTS / "reports.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def truth() -> dict[str, Any]:
    """Return which event each report tells and the PLOVER type of each event."""
    loaded: dict[str, Any] = json.loads((REPORTS / "truth.json").read_text(encoding="utf-8"))
    return loaded


def variant(report: dict[str, Any], n: int, rng: random.Random) -> dict[str, Any]:
    """Return report n of a generated corpus: another place, other numbers, a later date."""
    text = report["text"]
    for place, others in PLACES.items():
        if place in text:
            text = text.replace(place, rng.choice(others))
    text = NUMBER.sub(lambda m: str(max(1, int(m.group()) + rng.randint(-3, 9))), text)
    published = dt.date.fromisoformat(report["published"]) + dt.timedelta(days=7 * (n // 22 + 1))
    return {
        "id": f"{report['id']}-v{n}",
        "title": report["title"],
        "url": f"{report['url']}?v={n}",
        "published": published.isoformat(),
        "text": text,
    }


def generate(count: int, seed: int = 7) -> list[dict[str, Any]]:
    """Return count distinct documents made by varying the corpus's reports."""
    rng = random.Random(seed)
    base = reports()
    docs: list[dict[str, Any]] = []
    seen: set[str] = set()
    n = 0
    while len(docs) < count:
        doc = variant(base[n % len(base)], n, rng)
        n += 1
        if doc["text"] not in seen:
            seen.add(doc["text"])
            docs.append(doc)
    return docs


def write_jsonl(docs: list[dict[str, Any]], path: Path) -> Path:
    """Write documents as a .jsonl corpus and return its path."""
    path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs), "utf-8")
    return path
