"""Read human-coded gold files into typed `GoldRecord`s.

Formats (`read_gold(path, fmt)`):

* ``acled``: an ACLED CSV export, current columns (``event_type``, ``sub_event_type``,
  ``actor1`` ...) or the pre-2019 upper-case ones (9 old event types, mapped to the 6
  current ones by ``acled_legacy.csv``). The text coded is the ``notes`` column; the
  event date is gold, never the reference date for the coder.
* ``plover``: PLOVER JSON records (a JSON array, an object holding one, or JSON lines) with
  ``text`` and either ``event`` (a PLOVER category; PLOVER 0.6 names such as DISAPPROVE are
  mapped by ``plover_types.csv``) or ``events: [{"eventcode", "source", "target"}]``
  (CAMEO codes, as in the PETRARCH-2 validation file). CAMEO codes map to PLOVER types
  by ``cameo_plover.csv``.
* ``case``: sentence classification: a TSV ``sentence<TAB>label``, JSON lines with
  ``text`` and ``label``, or a CAMEO_ConfliBERT annotation CSV (multi-rater CAMEO roots).
  A label may be a ConfliBERT PentaClass digit (0-4), a CAMEO code, a PLOVER type, an
  ACLED event type or sub-event type; any other label means "no ACLED event" (e.g.
  "Natural disaster").
* ``jsonl``: eventcoder's own records, one JSON object per line with ``text`` and the contract's
  ``type`` (PLOVER, or null: no event), ``mode`` and ``acled`` (``{"event_type",
  "sub_event_type"}`` or null): a coder's corrections of eventcoder output, or hand-coded lines.

A PLOVER file may also be a CSV with ``text`` and ``label`` (PLOVER type) columns and an
optional ``mode`` column (the NGEC synthetic stories' layout).
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import json
import re
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from eventcoder.errors import GoldFormatError

GoldFormat = Literal["acled", "plover", "case", "jsonl"]
FORMATS: tuple[GoldFormat, ...] = ("acled", "plover", "case", "jsonl")
NO_EVENT = "(none)"

# ACLED event types that are political violence; the scorer's "any violent event".
VIOLENT_ACLED_TYPES = frozenset(
    {"Battles", "Violence against civilians", "Explosions/Remote violence", "Riots"}
)


@dataclass(frozen=True, slots=True)
class GoldRecord:
    """One human-coded text with the fields the coder agreed on; None where not coded."""

    id: str
    text: str
    acled_type: str | None = None
    acled_sub_type: str | None = None
    plover_types: tuple[str, ...] = ()  # every PLOVER type the coders gave; ("(none)",): no event
    plover_mode: str | None = None  # the PLOVER mode of the first type, where coded
    cameo_roots: tuple[str, ...] = ()  # every 2-digit CAMEO root of the gold codings
    rater_roots: tuple[str, ...] = ()  # every root any single rater gave (multi-rater files)
    penta: int | None = None  # ConfliBERT PentaClass: 0 statement, 1-4 the CAMEO quad classes
    actor1_country: str | None = None  # ISO3
    actor2_country: str | None = None
    actor1: str | None = None  # ACLED actor name as the gold writes it ("Police Forces of Kenya")
    actor2: str | None = None
    inter1: int | None = None  # ACLED actor type 1-8 of actor 1; None where not coded
    inter2: int | None = None
    fatalities: int | None = None
    lat: float | None = None
    lon: float | None = None
    country: str | None = None  # ISO3 of the event's place
    date: str | None = None  # ISO YYYY-MM-DD
    date_precision: str | None = None  # "day", "month", "year"
    origin: str = ""  # "file:line" of the record, for messages

    @property
    def violent(self) -> bool | None:
        """Say whether the gold codes a violent event; None when the coding cannot say."""
        if self.acled_type is not None:
            return self.acled_type in VIOLENT_ACLED_TYPES
        if self.plover_types or self.cameo_roots:
            return "ASSAULT" in self.plover_types
        return None

    def to_dict(self) -> dict[str, Any]:
        """Return the record as a JSON-ready dict without its text."""
        return {
            "acled": [self.acled_type, self.acled_sub_type],
            "plover": list(self.plover_types),
            "cameo_roots": list(self.cameo_roots),
            "penta": self.penta,
            "actor1_country": self.actor1_country,
            "actor2_country": self.actor2_country,
            "actor1": self.actor1,
            "actor2": self.actor2,
            "inter1": self.inter1,
            "inter2": self.inter2,
            "fatalities": self.fatalities,
            "lat": self.lat,
            "lon": self.lon,
            "country": self.country,
            "date": self.date,
        }


# ---------------------------------------------------------------- data files


def _rows(name: str) -> list[dict[str, str]]:
    """Read one CSV data file shipped beside this module."""
    text = resources.files("eventcoder.evaluate").joinpath(name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


@dataclass(frozen=True)
class LegacyType:
    """One row of acled_legacy.csv: a pre-2019 event type, when it applies, its current type."""

    legacy: str
    when: str  # "" (always), "protesters" or "rioters" (an actor of the row is one: `crowd_of`)
    event_type: str
    sub_event_type: str | None


@functools.cache
def legacy_acled_types() -> tuple[LegacyType, ...]:
    """Return the pre-2019 ACLED event types' mapping rows, the first matching row wins."""
    return tuple(
        LegacyType(r["legacy_event_type"], r["when"], r["event_type"], r["sub_event_type"] or None)
        for r in _rows("acled_legacy.csv")
    )


@functools.cache
def acled_sub_types() -> dict[str, str]:
    """Map each of ACLED's 25 sub-event types to its event type."""
    return {r["sub_event_type"]: r["event_type"] for r in _rows("acled_types.csv")}


@functools.cache
def plover_names() -> dict[str, tuple[str | None, int]]:
    """Map PLOVER type names, old ones included, to (current type or None, quad class)."""
    return {r["name"]: (r["type"] or None, int(r["quad"])) for r in _rows("plover_types.csv")}


@functools.cache
def _cameo_table() -> dict[str, tuple[str | None, int]]:
    """Map CAMEO codes (roots and exceptions) to (PLOVER type or None, PentaClass)."""
    return {r["cameo"]: (r["plover"] or None, int(r["penta"])) for r in _rows("cameo_plover.csv")}


def plover_of_cameo(code: str) -> str | None:
    """Return the PLOVER type of a CAMEO code by its longest listed prefix; None if dropped."""
    table = _cameo_table()
    for end in range(len(code), 1, -1):
        if code[:end] in table:
            return table[code[:end]][0]
    return None


def penta_of_cameo(code: str) -> int | None:
    """Return the ConfliBERT PentaClass (0-4) of a CAMEO code; None if not a CAMEO code."""
    entry = _cameo_table().get(code[:2])
    return entry[1] if entry else None


@functools.cache
def _country_aliases() -> dict[str, str]:
    """Map country names pycountry does not know to ISO3."""
    return {r["name"].casefold(): r["iso3"] for r in _rows("country_aliases.csv")}


@functools.cache
def country_code(name: str) -> str | None:
    """Return the ISO3 code of a country name, or None if it names no country."""
    name = name.strip()
    if not name:
        return None
    alias = _country_aliases().get(name.casefold())
    if alias:
        return alias
    from eventcoder.resolve.countries import country_of  # the coder's own country table

    return country_of(name)


_PAREN = re.compile(r"\(([^()]*)\)")
_OF = re.compile(r"\b(?:of|in)\s+(?:the\s+)?([A-Z][\w' -]*?)\s*(?:\(|$)")


def actor_country(actor: str) -> str | None:
    """Return the ISO3 country an ACLED actor name states ("Police Forces of Kenya" -> KEN)."""
    for inside in _PAREN.findall(actor):
        code = country_code(re.sub(r"[\d-]+$", "", inside).strip())
        if code:
            return code
    match = _OF.search(actor)
    return country_code(match.group(1)) if match else None


# ---------------------------------------------------------------- ACLED


def _lower_keys(row: Mapping[str, str | None]) -> dict[str, str]:
    """Return the row with lower-case column names and stripped values."""
    return {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}


def _int_or_none(value: str) -> int | None:
    """Parse an integer cell; None when empty or not a number."""
    try:
        return int(float(value))
    except ValueError:
        return None


def _float_or_none(value: str) -> float | None:
    """Parse a float cell; None when empty or not a number."""
    try:
        return float(value)
    except ValueError:
        return None


_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%B-%Y", "%d %B %Y", "%d-%b-%Y", "%d %b %Y", "%Y%m%d")


def parse_gold_date(value: str) -> str | None:
    """Return an ACLED or PLOVER date cell as ISO YYYY-MM-DD, or None if unparseable."""
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(value.strip(), fmt).date().isoformat()
        except ValueError:
            continue
    return None


def acled_type_of_row(row: Mapping[str, str]) -> tuple[str | None, str | None]:
    """Decide the gold (event_type, sub_event_type) of an ACLED row in the current typology.

    A pre-2019 type maps by acled_legacy.csv, whose `when` column reads the row's crowd
    (`crowd_of`): "Riots/Protests" is Riots when rioters took part, else Protests; "Violence
    against civilians" against protesters is Protests (excessive force), by rioters Riots (mob
    violence), as the 2019 codebook codes them.
    """
    event_type = _canonical_type(row.get("event_type", ""))
    sub_type = row.get("sub_event_type", "") or None
    if event_type in acled_sub_types().values() and (sub_type or event_type not in _legacy_names()):
        return event_type, sub_type  # a current row ("Violence against civilians" is both)
    crowd = crowd_of(row)
    for legacy in legacy_acled_types():
        if legacy.legacy == event_type and legacy.when in ("", crowd):
            return legacy.event_type, legacy.sub_event_type
    return (event_type or None), sub_type


@functools.cache
def _legacy_names() -> frozenset[str]:
    """Return the pre-2019 ACLED event type names acled_legacy.csv maps."""
    return frozenset(legacy.legacy for legacy in legacy_acled_types())


@functools.cache
def _type_spellings() -> dict[str, str]:
    """Map each current and pre-2019 ACLED event type, case-folded, to its spelling."""
    return {k.casefold(): k for k in [*acled_sub_types().values(), *_legacy_names()]}


def _canonical_type(event_type: str) -> str:
    """Return an ACLED event type spelled as in the typology ("Violence Against Civilians")."""
    return _type_spellings().get(event_type.casefold(), event_type)


def crowd_of(row: Mapping[str, str]) -> str:
    """Say which crowd an ACLED row's actors include: "rioters", "protesters" or "" (none).

    An actor's name decides first ("Rioters (Kenya)", "Protesters (Kenya)"), then the inter
    codes (5 rioters, 6 protesters).
    """
    actors = (row.get("actor1", ""), row.get("actor2", ""))
    inters = (row.get("inter1", ""), row.get("inter2", ""))
    if any(a.startswith("Rioters") for a in actors):
        return "rioters"
    if any(a.startswith("Protesters") for a in actors):
        return "protesters"
    if "5" in inters:
        return "rioters"
    return "protesters" if "6" in inters else ""


def inter_code(value: str) -> int | None:
    """Return an ACLED inter code cell as 1-8; None for 0 (no such actor), empty or out of range."""
    code = _int_or_none(value)
    return code if code is not None and 1 <= code <= 8 else None


def _time_precision(value: str) -> str | None:
    """Map ACLED's time_precision (1 day, 2 week/month, 3 month/year) to a date precision."""
    return {"1": "day", "2": "month", "3": "year"}.get(value)


def acled_record(row: Mapping[str, str], line: int) -> GoldRecord | None:
    """Build a GoldRecord from one ACLED CSV row (current or pre-2019 columns); None if no notes."""
    row = _lower_keys(row)
    text = row.get("notes", "")
    if not text:
        return None
    event_type, sub_type = acled_type_of_row(row)
    country = row.get("iso3") or country_code(row.get("country", ""))
    return GoldRecord(
        id=row.get("event_id_cnty") or row.get("data_id") or f"line{line}",
        text=text,
        acled_type=event_type,
        acled_sub_type=sub_type,
        actor1_country=actor_country(row.get("actor1", "")),
        actor2_country=actor_country(row.get("actor2", "")),
        actor1=row.get("actor1") or None,
        actor2=row.get("actor2") or None,
        inter1=inter_code(row.get("inter1", "")),
        inter2=inter_code(row.get("inter2", "")),
        fatalities=_int_or_none(row.get("fatalities", "")),
        lat=_float_or_none(row.get("latitude", "")),
        lon=_float_or_none(row.get("longitude", "")),
        country=country,
        date=parse_gold_date(row.get("event_date", "")),
        date_precision=_time_precision(row.get("time_precision", "")),
    )


def read_acled(path: Path) -> Iterator[GoldRecord]:
    """Yield the GoldRecords of an ACLED CSV file (current or pre-2019 columns)."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        columns = {c.strip().lower() for c in reader.fieldnames or []}
        missing = {"notes", "event_type"} - columns
        if missing:
            raise GoldFormatError(
                f"{path}: not an ACLED CSV (no column {', '.join(sorted(missing))}); "
                "try --format plover or --format case"
            )
        for line, row in enumerate(reader, start=2):
            record = acled_record(row, line)
            if record:
                yield replace(record, origin=f"{path}:{line}")


# ---------------------------------------------------------------- PLOVER / CAMEO JSON


def _json_records(path: Path) -> list[dict[str, Any]]:
    """Load a JSON array, an object holding a list of records, or JSON lines."""
    text = path.read_text(encoding="utf-8-sig")
    try:
        data: Any = json.loads(text)
    except json.JSONDecodeError:
        data = None
    if isinstance(data, dict):
        lists = [v for v in data.values() if isinstance(v, list)]
        data = lists[0] if len(lists) == 1 else [data]
    if isinstance(data, list):
        return [r for r in data if isinstance(r, dict)]
    records = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            raise GoldFormatError(
                f"{path}:{number}: not JSON ({error.msg}); PLOVER gold is a JSON array or JSON lines"
            ) from None
        if isinstance(record, dict):
            records.append(record)
    return records


def _actor_code(actor: Any) -> str | None:
    """Return the first ISO3 country code of a PLOVER/CAMEO actor (string, object or list)."""
    if isinstance(actor, list):
        for item in actor:
            code = _actor_code(item)
            if code:
                return code
        return None
    if isinstance(actor, dict):
        actor = actor.get("code") or actor.get("cc3") or ""
    if not isinstance(actor, str) or len(actor) < 3:
        return None
    prefix = actor[:3].upper()
    import pycountry  # imported here: only gold files with actor codes need it

    return prefix if pycountry.countries.get(alpha_3=prefix) else None


def _event_codings(record: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Return the record's codings: its `events` list, else the record itself."""
    events = record.get("events")
    if isinstance(events, list) and events:
        return [e for e in events if isinstance(e, dict)]
    return [dict(record)]


def _cameo_of(coding: Mapping[str, Any]) -> str | None:
    """Return a coding's CAMEO code as a digit string, or None."""
    for key in ("eventcode", "cameo", "CAMEO", "cameo_code", "code"):
        value = coding.get(key)
        if value is not None and re.fullmatch(r"\d{2,4}", str(value).strip()):
            return str(value).strip()
    return None


def _plover_of(coding: Mapping[str, Any]) -> str | None:
    """Return a coding's current PLOVER type from its `event`/`type` field, or None."""
    for key in ("event", "eventType", "plover", "type"):
        value = coding.get(key)
        if isinstance(value, str) and value.strip().upper() in plover_names():
            return plover_names()[value.strip().upper()][0]
    return None


def _location(record: Mapping[str, Any]) -> tuple[float | None, float | None, str | None]:
    """Return (lat, lon, ISO3) of a PLOVER record's eventLoc, where coded."""
    loc = record.get("eventLoc")
    if isinstance(loc, list):
        loc = loc[0] if loc else None
    if not isinstance(loc, dict):
        return None, None, None
    lat = _float_or_none(str(loc.get("latitude", loc.get("lat", ""))))
    lon = _float_or_none(str(loc.get("longitude", loc.get("lon", ""))))
    iso3 = loc.get("cc3")
    return lat, lon, iso3 if isinstance(iso3, str) else None


def plover_record(record: Mapping[str, Any], number: int) -> GoldRecord | None:
    """Build a GoldRecord from one PLOVER/CAMEO JSON record; None if its text is empty."""
    text = record.get("text")
    if not isinstance(text, str):
        raise GoldFormatError(f"record {number}: no text; PLOVER gold records need a 'text' field")
    if not text.strip():
        return None
    codings = _event_codings(record)
    cameos = [c for c in (_cameo_of(e) for e in codings) if c]
    plovers = [_plover_of(e) for e in codings] + [plover_of_cameo(c) for c in cameos]
    first = codings[0]
    lat, lon, country = _location(record)
    dead = record.get("dead")
    return GoldRecord(
        id=str(record.get("id", f"record{number}")),
        text=text.strip(),
        plover_types=tuple(dict.fromkeys(p for p in plovers if p)),
        cameo_roots=tuple(dict.fromkeys(c[:2] for c in cameos)),
        penta=penta_of_cameo(cameos[0]) if cameos else None,
        actor1_country=_actor_code(first.get("source")),
        actor2_country=_actor_code(first.get("target")),
        fatalities=dead if isinstance(dead, int) else None,
        lat=lat,
        lon=lon,
        country=country,
    )


def _plover_mode(value: Any) -> str | None:
    """Return a PLOVER mode as the manual spells it ("DEMO" -> "demonstrate"), or None."""
    if not isinstance(value, str) or not value.strip():
        return None
    mode = value.strip().lower()
    return _MODE_SPELLINGS.get(mode, mode)


# spellings of the NGEC synthetic stories that differ from the PLOVER manual's
_MODE_SPELLINGS = {
    "demo": "demonstrate",
    "hunger": "hunger-strike",
    "primative": "primitive",
    "sieze": "seize",
}


def plover_csv_record(row: Mapping[str, str], line: int) -> GoldRecord | None:
    """Build a GoldRecord from one PLOVER CSV row (text, label, mode); None if its text is empty."""
    text = (row.get("text") or "").strip()
    label = (row.get("label") or row.get("event") or "").strip().upper()
    if not text:
        return None
    if label not in plover_names():
        raise GoldFormatError(f"line {line}: PLOVER label {label!r} is not a PLOVER type")
    plover = plover_names()[label][0]
    return GoldRecord(
        id=row.get("id") or f"line{line}",
        text=text,
        plover_types=(plover,) if plover else (),
        plover_mode=_plover_mode(row.get("mode")),
    )


def read_plover(path: Path) -> Iterator[GoldRecord]:
    """Yield the GoldRecords of a PLOVER JSON / JSON-lines file, or of a PLOVER CSV."""
    if path.suffix.lower() == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            if not {"text", "label"} <= {c.strip().lower() for c in reader.fieldnames or []}:
                raise GoldFormatError(f"{path}: a PLOVER CSV needs 'text' and 'label' columns")
            for line, row in enumerate(reader, start=2):
                try:
                    gold = plover_csv_record(_lower_keys(row), line)
                except GoldFormatError as error:
                    raise GoldFormatError(f"{path}:{error}") from None
                if gold:
                    yield replace(gold, origin=f"{path}:{line}")
        return
    for number, record in enumerate(_json_records(path), start=1):
        gold = plover_record(record, number)
        if gold:
            yield replace(gold, plover_mode=_plover_mode(record.get("mode")), origin=f"{path}:{number}")


# ---------------------------------------------------------------- CASE-style classification


def label_record(record_id: str, text: str, label: str) -> GoldRecord:
    """Build a GoldRecord from a sentence and one classification label of any known scheme."""
    label = label.strip()
    if re.fullmatch(r"[0-4]", label):
        return GoldRecord(id=record_id, text=text, penta=int(label))
    if re.fullmatch(r"\d{2,4}", label):
        plover = plover_of_cameo(label)
        return GoldRecord(
            id=record_id,
            text=text,
            cameo_roots=(label[:2],),
            plover_types=(plover,) if plover else (),
            penta=penta_of_cameo(label),
        )
    if label.upper() in plover_names():
        plover, quad = plover_names()[label.upper()]
        return GoldRecord(id=record_id, text=text, plover_types=(plover,) if plover else (), penta=quad)
    if label in acled_sub_types():
        return GoldRecord(id=record_id, text=text, acled_type=acled_sub_types()[label], acled_sub_type=label)
    if label in acled_sub_types().values():
        return GoldRecord(id=record_id, text=text, acled_type=label)
    # a label outside every scheme ("Natural disaster", "Sports"): no ACLED event
    return GoldRecord(id=record_id, text=text, acled_type="(none)")


_ROOT = re.compile(r"^\s*\d-(\d{1,2})\b")


def _rater_roots(row: Mapping[str, str]) -> list[str]:
    """Return each rater's CAMEO root of the first action, in rater order."""
    roots = []
    for key in sorted(row):
        if re.fullmatch(r"Action1_CAMEO_\d+", key):
            match = _ROOT.match(row[key] or "")
            if match:
                roots.append(match.group(1).zfill(2))
    return roots


def _all_roots(row: Mapping[str, str]) -> list[str]:
    """Return every CAMEO root any rater gave to any action of the row."""
    roots = []
    for key, value in row.items():
        match = _ROOT.match(value or "") if key and "_CAMEO_" in key else None
        if match:
            roots.append(match.group(1).zfill(2))
    return roots


def annotation_record(row: Mapping[str, str], line: int) -> GoldRecord | None:
    """Build a GoldRecord from a CAMEO_ConfliBERT annotation row; None if no rater coded it.

    The gold root is the raters' majority on the first action (ties: the first rater);
    `rater_roots` lists every root any rater gave to any action.
    """
    text = (row.get("sentences") or row.get("plain_text") or "").strip()
    firsts = _rater_roots(row)
    if not text or not firsts:
        return None
    majority = Counter(firsts).most_common(1)[0][0]
    plover = plover_of_cameo(majority)
    return GoldRecord(
        id=row.get("ids") or f"line{line}",
        text=text,
        cameo_roots=(majority,),
        rater_roots=tuple(dict.fromkeys([majority, *_all_roots(row)])),
        plover_types=(plover,) if plover else (),
        penta=penta_of_cameo(majority),
    )


def _case_rows(path: Path) -> Iterator[GoldRecord]:
    """Yield GoldRecords of one CASE-style file: TSV, JSON lines or annotation CSV."""
    if path.suffix == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as handle:
            for row_number, row in enumerate(csv.DictReader(handle), start=2):
                record = annotation_record(row, row_number)
                if record:
                    yield replace(record, origin=f"{path}:{row_number}")
        return
    with path.open(encoding="utf-8-sig") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            yield replace(_case_line(path, number, line), origin=f"{path}:{number}")


def _case_line(path: Path, number: int, line: str) -> GoldRecord:
    """Parse one TSV or JSON line of a CASE-style file."""
    record_id = f"{path.stem}:{number}"
    if line.lstrip().startswith("{"):
        try:
            data = json.loads(line)
        except json.JSONDecodeError as error:
            raise GoldFormatError(f"{path}:{number}: broken JSON line ({error.msg})") from None
        text = data.get("text") or data.get("sentence")
        label = data.get("label", data.get("labels", data.get("event_type")))
        if isinstance(label, list):
            label = label[0] if label else None
        if not isinstance(text, str) or label is None:
            raise GoldFormatError(f"{path}:{number}: a CASE JSON line needs 'text' and 'label' fields")
        return label_record(str(data.get("id", record_id)), text, str(label))
    parts = line.rstrip("\n").split("\t")
    if len(parts) < 2:
        raise GoldFormatError(f"{path}:{number}: expected 'sentence<TAB>label'; is this the right --format?")
    return label_record(record_id, parts[0].strip(), parts[-1])


def read_case(path: Path) -> Iterator[GoldRecord]:
    """Yield the GoldRecords of a CASE-style file, or of every such file in a folder."""
    paths = sorted(p for p in path.iterdir() if p.is_file()) if path.is_dir() else [path]
    for one in paths:
        if one.suffix in {".tsv", ".jsonl", ".csv", ".txt"}:
            yield from _case_rows(one)


# ---------------------------------------------------------------- eventcoder JSON lines


def _jsonl_acled(value: Any, where: str) -> tuple[str, str | None]:
    """Return (event_type, sub_event_type) of a record's `acled` value; NO_EVENT for null."""
    if value is None:
        return NO_EVENT, None
    if not isinstance(value, dict):
        raise GoldFormatError(f'{where}: \'acled\' must be null or {{"event_type", "sub_event_type"}}')
    event_type, sub_type = value.get("event_type"), value.get("sub_event_type") or None
    if sub_type is not None and sub_type not in acled_sub_types():
        raise GoldFormatError(f"{where}: {sub_type!r} is not one of ACLED's 25 sub-event types")
    if sub_type is not None and event_type is None:
        event_type = acled_sub_types()[sub_type]
    if event_type not in acled_sub_types().values():
        raise GoldFormatError(f"{where}: {event_type!r} is not one of ACLED's 6 event types")
    if sub_type is not None and acled_sub_types()[sub_type] != event_type:
        raise GoldFormatError(f"{where}: {sub_type!r} is a sub-event type of {acled_sub_types()[sub_type]!r}")
    return str(event_type), None if sub_type is None else str(sub_type)


def jsonl_record(data: Mapping[str, Any], where: str) -> GoldRecord:
    """Build a GoldRecord from one eventcoder-style line: text, type, mode, acled."""
    text = data.get("text")
    if not isinstance(text, str) or not text.strip():
        raise GoldFormatError(f"{where}: no 'text'; each line needs the text it codes")
    kind = data.get("type")
    known = isinstance(kind, str) and plover_names().get(kind.upper(), (None,))[0] is not None
    if kind is not None and not known:
        raise GoldFormatError(f"{where}: type {kind!r} is not one of the 16 PLOVER types (or null: no event)")
    mode = _plover_mode(data.get("mode"))
    if mode is not None and kind is None:
        raise GoldFormatError(f"{where}: mode {mode!r} without a type")
    event_type, sub_type = _jsonl_acled(data.get("acled"), where)
    plover = plover_names()[kind.upper()][0] if isinstance(kind, str) else NO_EVENT
    return GoldRecord(
        id=str(data.get("id") or where),
        text=text.strip(),
        acled_type=event_type,
        acled_sub_type=sub_type,
        plover_types=(plover,) if plover else (),
        plover_mode=mode,
        origin=where,
    )


def read_jsonl(path: Path) -> Iterator[GoldRecord]:
    """Yield the GoldRecords of an eventcoder JSON-lines file."""
    with path.open(encoding="utf-8-sig") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            where = f"{path}:{number}"
            try:
                data = json.loads(line)
            except json.JSONDecodeError as error:
                raise GoldFormatError(f"{where}: broken JSON line ({error.msg})") from None
            if not isinstance(data, dict):
                raise GoldFormatError(f"{where}: each line must be a JSON object")
            yield jsonl_record(data, where)


def read_gold(path: Path, fmt: GoldFormat) -> Iterator[GoldRecord]:
    """Yield the GoldRecords of a gold file in the given format.

    Raises:
        GoldFormatError: the file is missing or is not in the format asked for.
    """
    if not path.exists():
        raise GoldFormatError(f"{path}: no such file; give the path of a gold file")
    if fmt == "acled":
        if path.is_dir():
            raise GoldFormatError(f"{path}: a folder; give the ACLED CSV file inside it")
        return read_acled(path)
    if fmt == "plover":
        return read_plover(path)
    if fmt == "case":
        return read_case(path)
    if fmt == "jsonl":
        return read_jsonl(path)
    raise GoldFormatError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
