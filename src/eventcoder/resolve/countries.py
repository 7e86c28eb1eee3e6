"""Country names and demonyms to ISO 3166-1 alpha-3 codes.

The table is `resolve/data/demonyms.csv` (text, iso3, kind: "name" or "demonym"); pycountry is
the fallback for official names and codes the table does not list.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from functools import lru_cache
from importlib import resources

import pycountry

_POSSESSIVE = re.compile("(?:'s|\u2019s|'|\u2019)$")
_LEADING_THE = re.compile(r"^the\s+", re.IGNORECASE)
# plural demonyms are derived, not listed: "Syrians", "Afghans", "Iraqis"
_NO_PLURAL = ("s", "sh", "ch", "ese", "x", "z")


def _read_data(name: str) -> str:
    """Read a text file shipped in eventcoder/resolve/data."""
    return resources.files("eventcoder.resolve").joinpath("data", name).read_text("utf-8")


@lru_cache(maxsize=1 << 14)
def _key(text: str) -> str:
    """Return the lookup key of a name: lowercase, accents folded, no 'the', no possessive."""
    folded = unicodedata.normalize("NFKD", text.strip())
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    folded = _POSSESSIVE.sub("", _LEADING_THE.sub("", folded))
    return " ".join(folded.replace("\u2019", "'").lower().split())


@lru_cache(maxsize=1)
def demonym_rows() -> tuple[tuple[str, str, str], ...]:
    """Return the rows of demonyms.csv as (text, iso3, kind) with derived plurals added."""
    rows: list[tuple[str, str, str]] = []
    for row in csv.DictReader(io.StringIO(_read_data("demonyms.csv"))):
        text, iso3, kind = row["text"], row["iso3"], row["kind"]
        rows.append((text, iso3, kind))
        if kind == "demonym" and not text.lower().endswith(_NO_PLURAL):
            rows.append((text + "s", iso3, kind))
    return tuple(rows)


@lru_cache(maxsize=1)
def load_demonyms() -> dict[str, str]:
    """Return demonyms and country-name variants (lowercase key) mapped to ISO3 codes."""
    table: dict[str, str] = {}
    for text, iso3, _kind in demonym_rows():
        table.setdefault(_key(text), iso3)
    return table


@lru_cache(maxsize=1)
def demonym_keys() -> frozenset[str]:
    """Return the lookup keys that are demonyms or adjectives, not country names."""
    names = {_key(text) for text, _iso3, kind in demonym_rows() if kind == "name"}
    return frozenset(_key(text) for text, _iso3, kind in demonym_rows() if kind == "demonym") - names


def is_demonym(text: str) -> bool:
    """Tell whether text is a demonym or national adjective ("Turkish", "Syrians")."""
    return _key(text) in demonym_keys()


def country_of(text: str) -> str | None:
    """Decide Actor.country from a name: a demonym or country name ("Syrian", "U.S.") -> ISO3."""
    key = _key(text)
    if not key:
        return None
    table = load_demonyms()
    if key in table:
        return table[key]
    undotted = key.replace(".", "")
    if undotted in table:
        return table[undotted]
    return _pycountry_code(text.strip())


@lru_cache(maxsize=1 << 12)
def _pycountry_code(text: str) -> str | None:
    """Resolve an official name, or an upper-case alpha-2/alpha-3 code, through pycountry."""
    # codes only when written as codes: "IN" is India, "in" is a preposition
    if len(text) <= 3 and not text.isupper():
        return None
    # two capitals are an abbreviation far more often than an ISO code ("CM Sindh", "PM", "AU", "IS");
    # demonyms.csv names those that are countries in news ("US", "UK")
    if len(text) == 2:
        return None
    try:
        country = pycountry.countries.lookup(text)
    except LookupError:
        return None
    code: str = country.alpha_3
    return code
