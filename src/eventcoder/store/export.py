"""Write merged events as ACLED-style CSV, JSON lines, GeoJSON or Parquet."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any, TextIO

from eventcoder.records import in_acled_order

# ACLED's own export columns and order (those eventcoder can fill)
ACLED_COLUMNS = (
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "country",
    "admin1",
    "admin2",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "notes",
    "fatalities",
)
# ACLED's time_precision: 1 the day is known, 2 the week or a few days, 3 only the month or year
TIME_PRECISION = {"day": 1, "month": 3, "year": 3}
# ACLED's geo_precision: 1 the town, 2 near it or a part of a region, 3 the region or country
GEO_PRECISION = {"point": 1, "city": 1, "admin2": 2, "admin1": 3, "country": 3}
CIVILIAN = 7  # ACLED inter code of civilians
CIVILIAN_TARGETS = frozenset({"Violence against civilians", "Explosions/Remote violence", "Riots"})
# the flat columns of the Parquet file, beside the whole record as JSON
PARQUET_COLUMNS = (
    *ACLED_COLUMNS,
    "id",
    "type",
    "mode",
    "cameo",
    "actor1_code",
    "actor2_code",
    "country_iso3",
    "fatalities_low",
    "fatalities_high",
    "injuries",
    "n_sources",
    "record",
)
FLOAT_COLUMNS = frozenset({"latitude", "longitude"})
INT_COLUMNS = frozenset(
    {
        "fatalities",
        "fatalities_low",
        "fatalities_high",
        "injuries",
        "n_sources",
        "year",
        "time_precision",
        "inter1",
        "inter2",
        "interaction",
        "iso",
        "geo_precision",
    }
)
FORMATS = ("acled-csv", "jsonl", "geojson", "parquet")


def country_name(iso3: str | None) -> str | None:
    """Return a country's name as ACLED writes it ("Democratic Republic of Congo", "Turkey")."""
    from eventcoder.resolve.actor_types import acled_country

    return acled_country(iso3)


@lru_cache(maxsize=512)
def iso_number(iso3: str | None) -> int | None:
    """Return ACLED's iso column: the ISO 3166-1 numeric code of a country."""
    if not iso3:
        return None
    import pycountry

    country = pycountry.countries.get(alpha_3=iso3)
    return int(country.numeric) if country is not None else None


def actor_label(actor: dict[str, Any] | None) -> str | None:
    """Return an actor's ACLED name ("Police Forces of Kenya"), else its canonical name; never raw words."""
    if not actor:
        return None
    return actor.get("acled_name") or actor.get("name") or None


def associated(actor: dict[str, Any]) -> str | None:
    """Return ACLED's assoc_actor: the named group a crowd acts for, none for others."""
    if actor.get("inter") not in (5, 6) or not actor.get("name"):
        return None
    from eventcoder.resolve.actor_types import group_types

    group = group_types().get(str(actor["name"]))
    return (group.acled_name or str(actor["name"])) if group is not None else None


def interaction(inter1: int | None, inter2: int | None) -> int | None:
    """Return ACLED's interaction code: the two inter codes, lower first (17, 12), or inter1 then 0."""
    if inter1 is None:
        return None
    if inter2 is None:
        return inter1 * 10
    low, high = sorted((inter1, inter2))
    return low * 10 + high


def civilian_targeting(event_type: str | None, inter2: int | None) -> str:
    """Return ACLED's civilian_targeting: "Civilians targeted" when civilians are the violence's target."""
    return "Civilians targeted" if inter2 == CIVILIAN and event_type in CIVILIAN_TARGETS else ""


def event_day(date: dict[str, Any] | None) -> tuple[str | None, int | None]:
    """Return ACLED's event_date (YYYY-MM-DD, the period's first day) and time_precision."""
    value, precision = (date or {}).get("value"), (date or {}).get("precision")
    if not value:
        return None, None
    day = {4: f"{value}-01-01", 7: f"{value}-01"}.get(len(value), value)
    return day, TIME_PRECISION.get(precision or "day", 1)


def notes(record: dict[str, Any], limit: int = 3) -> str:
    """Decide the ACLED notes: the first evidence sentences, one per source document."""
    seen: set[str] = set()
    picked: list[str] = []
    for span in record.get("evidence") or []:
        doc = str(span.get("doc_id"))
        if doc in seen:
            continue
        seen.add(doc)
        picked.append(" ".join(str(span["text"]).split()))
        if len(picked) == limit:
            break
    return " | ".join(picked)


def outlet(source: dict[str, Any]) -> str | None:
    """Return the outlet of one source document: its site (the URL's host), else its document id."""
    from urllib.parse import urlsplit

    host = urlsplit(str(source.get("url") or "")).hostname or ""
    host = host.removeprefix("www.")
    return host or source.get("doc_id")


def source_label(record: dict[str, Any]) -> str:
    """Decide the ACLED source: the outlets that reported the event, "; "-separated as ACLED does."""
    labels = [outlet(s) for s in record.get("sources") or []]
    return "; ".join(dict.fromkeys(str(x) for x in labels if x))


def acled_row(record: dict[str, Any]) -> dict[str, Any]:
    """Return one ACLED-style row for a merged event."""
    acled = record.get("acled") or {}
    place = record.get("location") or {}
    day, time_precision = event_day(record.get("date"))
    deaths = record.get("fatalities_best", record.get("fatalities"))
    told = record.get("source") or {}, record.get("target") or {}
    source, target = in_acled_order(acled.get("actor1"), *told)  # as ACLED lists them
    actor1, actor2 = actor_label(source), actor_label(target)
    inter1 = source.get("inter") if actor1 else None
    inter2 = target.get("inter") if actor2 else None
    return {
        "event_id_cnty": record["id"],
        "event_date": day,
        "year": int(day[:4]) if day else None,
        "time_precision": time_precision,
        "event_type": acled.get("event_type"),
        "sub_event_type": acled.get("sub_event_type"),
        "actor1": actor1,
        "assoc_actor_1": associated(source),
        "inter1": inter1,
        "actor2": actor2,
        "assoc_actor_2": associated(target),
        "inter2": inter2,
        "interaction": interaction(inter1, inter2),
        "civilian_targeting": civilian_targeting(acled.get("event_type"), inter2),
        "iso": iso_number(place.get("country")),
        "country": country_name(place.get("country")),
        "admin1": place.get("admin1"),
        "admin2": place.get("admin2"),
        "location": place.get("name") or place.get("text"),
        "latitude": place.get("lat"),
        "longitude": place.get("lon"),
        "geo_precision": GEO_PRECISION.get(place.get("precision") or ""),
        "source": source_label(record),
        "notes": notes(record),
        # ACLED writes 0 when no death is reported
        "fatalities": deaths if deaths is not None else 0,
    }


def flat_row(record: dict[str, Any]) -> dict[str, Any]:
    """Return the Parquet row of a merged event: ACLED columns, codes, range and the record."""
    row = acled_row(record)
    row["fatalities"] = record.get("fatalities_best", record.get("fatalities"))
    row.update(
        id=record["id"],
        type=record.get("type"),
        mode=record.get("mode"),
        cameo=record.get("cameo"),
        actor1_code=(record.get("source") or {}).get("code"),
        actor2_code=(record.get("target") or {}).get("code"),
        country_iso3=(record.get("location") or {}).get("country"),
        fatalities_low=record.get("fatalities_low"),
        fatalities_high=record.get("fatalities_high"),
        injuries=record.get("injuries"),
        n_sources=record.get("n_sources"),
        record=json.dumps(record, ensure_ascii=False),
    )
    return row


def write_acled_csv(records: Iterable[dict[str, Any]], out: TextIO) -> tuple[int, int]:
    """Write events with an ACLED counterpart as CSV; return (written, left out)."""
    writer = csv.DictWriter(out, fieldnames=ACLED_COLUMNS, lineterminator="\n")
    writer.writeheader()
    written = skipped = 0
    for record in records:
        if not record.get("acled"):
            skipped += 1
            continue
        writer.writerow(acled_row(record))
        written += 1
    return written, skipped


def write_jsonl(records: Iterable[dict[str, Any]], out: TextIO) -> tuple[int, int]:
    """Write one merged record per line; return (written, 0)."""
    written = 0
    for record in records:
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        written += 1
    return written, 0


def feature(record: dict[str, Any]) -> dict[str, Any] | None:
    """Return a GeoJSON point feature for a placed event, None for an unplaced one."""
    place = record.get("location") or {}
    if place.get("lat") is None or place.get("lon") is None:
        return None
    properties = {k: v for k, v in record.items() if k not in ("evidence",)}
    properties["notes"] = notes(record)
    return {
        "type": "Feature",
        "id": record["id"],
        "geometry": {"type": "Point", "coordinates": [place["lon"], place["lat"]]},
        "properties": properties,
    }


def features(records: Iterable[dict[str, Any]], skipped: list[int]) -> Iterator[dict[str, Any]]:
    """Yield features of placed events, counting unplaced ones in skipped[0]."""
    for record in records:
        found = feature(record)
        if found is None:
            skipped[0] += 1
        else:
            yield found


def write_geojson(records: Iterable[dict[str, Any]], out: TextIO) -> tuple[int, int]:
    """Write a FeatureCollection of placed events; return (written, left out unplaced)."""
    skipped = [0]
    written = 0
    out.write('{"type": "FeatureCollection", "features": [\n')
    for found in features(records, skipped):
        out.write((",\n" if written else "") + json.dumps(found, ensure_ascii=False))
        written += 1
    out.write("\n]}\n")
    return written, skipped[0]


def arrow_type(name: str) -> Any:
    """Return the Arrow type of a Parquet column."""
    import pyarrow as pa

    if name in FLOAT_COLUMNS:
        return pa.float64()
    return pa.int64() if name in INT_COLUMNS else pa.string()


def write_parquet(records: Iterable[dict[str, Any]], path: str) -> tuple[int, int]:
    """Write every event as one Parquet row; return (written, 0)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = [flat_row(r) for r in records]
    schema = pa.schema([(name, arrow_type(name)) for name in PARQUET_COLUMNS])
    table = pa.Table.from_pylist(rows, schema=schema)
    pq.write_table(table, path)
    return len(rows), 0
