"""Score place resolution on the LGL geoparsing corpus (a development set): accuracy within 25 km.

Usage: python benchmarks/places_lgl.py [PATH_TO_lgl.xml] [--limit N]

For every gold toponym, the place that `find_places` returns for the mention overlapping it
(document countries from `document_countries`, no actor exclusions) is compared with the gold
coordinates. Prints detection recall and precision, accuracy within 25 km on the detected
toponyms, and recall within 25 km over all gold toponyms.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

from eventcoder.nlp import load_model
from eventcoder.resolve.gazetteer import Gazetteer
from eventcoder.resolve.places import document_countries, find_places

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "data" / "lgl" / "lgl.xml"
KM = 25.0


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Return the great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(a)))


def read_articles(path: Path) -> list[tuple[str, list[tuple[int, int, float, float]]]]:
    """Read (text, [(start, end, lat, lon)]) for each article with gold coordinates."""
    out = []
    for art in ET.parse(path).getroot().iter("article"):
        text = art.findtext("text") or ""
        gold = []
        for top in art.iter("toponym"):
            tag = top.find("gaztag")
            if tag is None or tag.findtext("lat") is None:
                continue
            gold.append(
                (
                    int(top.findtext("start") or 0),
                    int(top.findtext("end") or 0),
                    float(tag.findtext("lat") or 0),
                    float(tag.findtext("lon") or 0),
                )
            )
        out.append((text, gold))
    return out


def main() -> None:
    """Print the LGL figures."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("path", nargs="?", type=Path, default=DEFAULT)
    ap.add_argument("--limit", type=int, default=0, help="score only the first N articles")
    args = ap.parse_args()
    if not args.path.exists():
        sys.exit(f"no LGL file at {args.path}; pass its path")
    articles = read_articles(args.path)
    if args.limit:
        articles = articles[: args.limit]
    nlp = load_model()
    gazetteer = Gazetteer.load()
    gold_n = detected = correct = predicted = predicted_gold = 0
    started = time.perf_counter()
    for doc, (_text, gold) in zip(nlp.pipe(t for t, _ in articles), articles, strict=True):
        countries = document_countries(doc, gazetteer)
        places = []
        for sent in doc.sents:
            for place in find_places(sent, gazetteer, countries):
                start = doc.text.find(place.text, sent.start_char)
                places.append((start, start + len(place.text), place))
        predicted += len(places)
        predicted_gold += sum(any(s < ge and gs < e for gs, ge, _la, _lo in gold) for s, e, _p in places)
        for gs, ge, lat, lon in gold:
            gold_n += 1
            hit = next((p for s, e, p in places if s < ge and gs < e), None)
            if hit is None:
                continue
            detected += 1
            correct += distance_km(hit.lat, hit.lon, lat, lon) <= KM
    elapsed = time.perf_counter() - started
    print(f"LGL articles {len(articles)}, gold toponyms {gold_n}, {elapsed:.0f} s")
    print(f"detection recall {detected / gold_n:.3f}, precision {predicted_gold / predicted:.3f}")
    print(f"accuracy within {KM:.0f} km on detected toponyms {correct / detected:.3f}")
    print(f"recall within {KM:.0f} km over all gold toponyms {correct / gold_n:.3f}")


if __name__ == "__main__":
    main()
