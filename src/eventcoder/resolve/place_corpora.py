"""Readers of the geoparsing gold corpora (LGL and GeoVirus XML) and their fixed document split.

Only offsets and coordinates are read; the texts stay in the caller's memory. The split is by a
hash of the document's text (or id), so the ranker's training part and the benchmark's test part
never share a document, whatever the order of the files.
"""

from __future__ import annotations

import hashlib
import math
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

TEST_SHARE = 0.3


@dataclass(frozen=True, slots=True)
class GoldToponym:
    """One human-coded toponym: offsets, coordinates and, where coded, GeoNames id and country."""

    start: int
    end: int
    lat: float
    lon: float
    geonameid: int | None = None
    country: str | None = None  # ISO3


Article = tuple[str, list[GoldToponym]]


def split_of(key: str) -> str:
    """Return "test" or "train" for a document, by a stable hash of its key (text or id)."""
    bucket = int(hashlib.sha1(key.encode("utf-8")).hexdigest()[:8], 16) / 0xFFFFFFFF
    return "test" if bucket < TEST_SHARE else "train"


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Return the great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(a)))


def _iso3(name: str | None) -> str | None:
    """Return the ISO3 code of a country name as LGL writes it."""
    from eventcoder.resolve.countries import country_of

    return country_of(name) if name else None


def read_lgl(path: Path) -> list[Article]:
    """Read (text, gold toponyms) of each article of an LGL-format XML file (`gaztag` coordinates)."""
    out = []
    for art in ET.parse(path).getroot().iter("article"):
        gold = []
        for top in art.iter("toponym"):
            tag = top.find("gaztag")
            if tag is None or tag.findtext("lat") is None:
                continue
            gid = tag.get("geonameid") or ""
            gold.append(
                GoldToponym(
                    int(top.findtext("start") or 0),
                    int(top.findtext("end") or 0),
                    float(tag.findtext("lat") or 0),
                    float(tag.findtext("lon") or 0),
                    int(gid) if gid.isdigit() else None,
                    _iso3(tag.findtext("country")),
                )
            )
        out.append((art.findtext("text") or "", gold))
    return out


def read_geovirus(path: Path) -> list[Article]:
    """Read (text, gold toponyms) of each article of a GeoVirus-format XML file (`location` elements)."""
    out = []
    for art in ET.parse(path).getroot().iter("article"):
        gold = [
            GoldToponym(
                int(loc.findtext("start") or 0),
                int(loc.findtext("end") or 0),
                float(loc.findtext("lat") or 0),
                float(loc.findtext("lon") or 0),
            )
            for loc in art.iter("location")
            if loc.findtext("lat") is not None
        ]
        out.append((art.findtext("text") or "", gold))
    return out


def read_corpus(path: Path) -> list[Article]:
    """Read an LGL- or GeoVirus-format file, whichever it is."""
    root = ET.parse(path).getroot()
    return read_lgl(path) if root.find(".//toponym") is not None else read_geovirus(path)
