"""Write merged events as ACLED-style CSV, JSON lines, GeoJSON or Parquet."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any, TextIO

ACLED_COLUMNS = (
    "event_id_cnty",
    "event_date",
    "event_type",
    "sub_event_type",
    "actor1",
    "actor2",
    "country",
    "admin1",
    "location",
    "latitude",
    "longitude",
    "fatalities",
    "notes",
    "source",
)
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
INT_COLUMNS = frozenset({"fatalities", "fatalities_low", "fatalities_high", "injuries", "n_sources"})
FORMATS = ("acled-csv", "jsonl", "geojson", "parquet")


@lru_cache(maxsize=512)
def country_name(iso3: str | None) -> str | None:
    """Return a country's common English name for an ISO3 code, the code if unknown."""
    if not iso3:
        return None
    import pycountry

    country = pycountry.countries.get(alpha_3=iso3)
    if country is None:
        return iso3
    return str(getattr(country, "common_name", None) or country.name)


def actor_label(actor: dict[str, Any] | None) -> str | None:
    """Return an actor's ACLED-style label: its canonical name, else its words."""
    if not actor:
        return None
    return actor.get("name") or actor.get("text")


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


def source_label(record: dict[str, Any]) -> str:
    """Decide the ACLED source: each source's title, else its URL, else its document id."""
    labels = [s.get("title") or s.get("url") or s.get("doc_id") for s in record.get("sources") or []]
    return "; ".join(dict.fromkeys(str(x) for x in labels if x))


def acled_row(record: dict[str, Any]) -> dict[str, Any]:
    """Return one ACLED-style row for a merged event."""
    acled = record.get("acled") or {}
    place = record.get("location") or {}
    day = (record.get("date") or {}).get("value")
    deaths = record.get("fatalities_best", record.get("fatalities"))
    return {
        "event_id_cnty": record["id"],
        "event_date": day,
        "event_type": acled.get("event_type"),
        "sub_event_type": acled.get("sub_event_type"),
        "actor1": actor_label(record.get("source")),
        "actor2": actor_label(record.get("target")),
        "country": country_name(place.get("country")),
        "admin1": place.get("admin1"),
        "location": place.get("name") or place.get("text"),
        "latitude": place.get("lat"),
        "longitude": place.get("lon"),
        # ACLED writes 0 when no death is reported
        "fatalities": deaths if deaths is not None else 0,
        "notes": notes(record),
        "source": source_label(record),
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
