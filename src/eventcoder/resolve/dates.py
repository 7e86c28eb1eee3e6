"""Resolve the date expressions of a sentence against the document's publication date.

Relative expressions are resolved against `published`, never against today's clock; without a
publication date they stay unresolved (`When(text, None, None)`), while absolute ones ("November
2015", "3 March 2016") still resolve. The choices, each tested in tests/resolve/test_dates.py:

- a bare weekday is the most recent such day on or before publication (the same weekday is the
  publication day itself); "last Thursday" is strictly before, "next Thursday" strictly after,
  "this Thursday" the Thursday of the publication's Monday-to-Sunday week;
- "today", "tonight", "this morning" are the publication day; "yesterday" and "last night" the
  day before;
- a week has no precision of its own: "this/last/next week" give the month holding the
  publication day shifted by that many weeks (month precision); "N days/weeks ago" give a day,
  "N months ago" a month, "N years ago" a year;
- a day and month without a year is the most recent such date at most a week after publication;
  a month alone the most recent such month not after the publication month;
- "early/mid/late 2015", "the end of 2015", "summer 2015" keep year precision;
- durations ("for three years", "2 weeks of fighting", "24 hours"), ages ("a 25-year-old"),
  counts ("2,000"), decades, dates tied to another event ("two days later") and bounds ("since
  2011", "until March") are not the event's date.

The words these rules read (months, weekdays, number words, day parts to strip) are in
data/datewords.csv.
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from typing import TYPE_CHECKING, Any

from dateparser.date import DateDataParser

from eventcoder.nlp import ents_within, span_text
from eventcoder.records import When

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

# a day and month without a year may be this many days after publication (announced events)
FUTURE_TOLERANCE_DAYS = 7
# an event dated this many days or more before publication is background, not news
HISTORICAL_DAYS = 60
# a month (or year) is historical when it ends before the publication month minus this many
HISTORICAL_MONTHS = 2
ENTITY_LABELS = frozenset({"DATE", "TIME"})
YEAR_RE = re.compile(r"^(?:19|20)\d{2}$")
DAY_RE = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?$")
ISO_RE = re.compile(r"^((?:19|20)\d{2})-(\d{2})(?:-(\d{2}))?$")
SLASH_RE = re.compile(r"^(\d{1,2})/(\d{1,2})/((?:19|20)\d{2})$")
AGE_RE = re.compile(r"\b(?:year|month|week|day)s? old\b|\baged?\b")
COUNT_RE = re.compile(r"\d,\d{3}")


@dataclass(frozen=True, slots=True)
class Lexicon:
    """The words of date expressions, read from data/datewords.csv."""

    months: dict[str, int]
    weekdays: dict[str, int]
    numbers: dict[str, int | None]
    units: dict[str, str]
    dayoffsets: dict[str, int]
    relatives: dict[str, int]
    qualifiers: frozenset[str]
    notdate: frozenset[str]
    notweekday: frozenset[str]


@dataclass(frozen=True, slots=True)
class Parts:
    """The date words left in an expression once day parts and prepositions are stripped."""

    directions: tuple[int, ...]
    weekdays: tuple[int, ...]
    units: tuple[str, ...]
    months: tuple[int, ...]
    days: tuple[int, ...]
    years: tuple[int, ...]
    others: tuple[str, ...]


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """Load the date words from the package data file, once."""
    path = files("eventcoder") / "resolve" / "data" / "datewords.csv"
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line[:1] != "#"]
    by_kind: dict[str, dict[str, str]] = {}
    for row in csv.DictReader(lines):
        by_kind.setdefault(row["kind"], {})[row["word"]] = row["value"]

    def ints(kind: str) -> dict[str, int]:
        """Return the words of one kind with their integer values."""
        return {word: int(value) for word, value in by_kind.get(kind, {}).items()}

    return Lexicon(
        months=ints("month"),
        weekdays=ints("weekday"),
        numbers={w: int(v) if v else None for w, v in by_kind.get("number", {}).items()},
        units=dict(by_kind.get("unit", {})),
        dayoffsets=ints("dayoffset"),
        relatives=ints("relative"),
        qualifiers=frozenset(by_kind.get("qualifier", {})),
        notdate=frozenset(by_kind.get("notdate", {})),
        notweekday=frozenset(by_kind.get("notweekday", {})),
    )


# ---------------------------------------------------------------- one expression


def normalize(text: str) -> str:
    """Lower-case a date expression and reduce it to space-separated words."""
    low = text.lower().replace("\u2019", "'").replace("\u2018", "'")
    low = re.sub(r"'s\b", "", low)
    low = re.sub(r"\b([ap])\.m\.?", r"\1m", low)
    low = re.sub(r"\b\d{1,2}(?::\d{2})?\s*(?:am|pm)\b|\b\d{1,2}:\d{2}\b", " ", low)
    low = re.sub(r"(?<=[a-z0-9])-(?=[a-z])|(?<=[a-z])-(?=\d)", " ", low)
    low = re.sub(r"\ba couple of\b", "couple", low)
    low = re.sub(r"\ba few\b", "few", low)
    low = re.sub(r"[,;:()\"!?]|(?<!\d)\.|\.(?!\d)", " ", low)
    return " ".join(low.split())


def parse_date_text(text: str, published: dt.date | None) -> When | None:
    """Resolve one date expression ("on Thursday", "November 2015", "last week") to a When.

    Args:
        text: the expression as written.
        published: the document's publication date; relative expressions need it.

    Returns:
        A When whose value is None when the expression is a date that cannot be resolved
        (relative without `published`, an ambiguous 03/05/2016), or None when the text is not
        a date of an event at all (a duration, an age, a count, a bound such as "since 2011").
    """
    shown = " ".join(text.split())
    low = normalize(text)
    if not low or AGE_RE.search(low) or COUNT_RE.search(text):
        return None
    words = low.split()
    lex = lexicon()
    if words[0] in lex.notdate:
        return None
    count = counted_unit(words, lex)
    if count is not None:
        number, unit, ago = count
        return ago_date(shown, number, unit, published) if ago else None
    words, offset = take_dayoffset(words, lex)
    words = [w for w in words if w not in lex.qualifiers]
    if not words:
        return day_offset_date(shown, offset, published) if offset is not None else None
    if len(words) == 1 and (numeric := numeric_date(shown, words[0])) is not None:
        return numeric
    parts = classify(words, lex)
    if parts.others:
        return fallback_date(shown, low)
    if parts.months or parts.years or parts.days:
        return absolute_date(shown, parts, published)
    if parts.weekdays:
        return weekday_date(shown, parts, published)
    if parts.units:
        return period_date(shown, parts, published)
    return None


def counted_unit(words: Sequence[str], lex: Lexicon) -> tuple[int | None, str, bool] | None:
    """Find "<number> <unit>" in the words: its count, unit, and whether "ago" follows."""
    for i, word in enumerate(words):
        unit = lex.units.get(word)
        if unit is None or i == 0:
            continue
        before = words[i - 1]
        if before.isdigit():
            number: int | None = int(before)
        elif before in lex.numbers:
            number = lex.numbers[before]
        else:
            continue
        return number, unit, words[i + 1 : i + 2] == ["ago"]
    return None


def take_dayoffset(words: list[str], lex: Lexicon) -> tuple[list[str], int | None]:
    """Remove a day-offset phrase ("yesterday", "last night") and return its offset."""
    joined = " " + " ".join(words) + " "
    for phrase in sorted(lex.dayoffsets, key=len, reverse=True):
        if f" {phrase} " in joined:
            rest = joined.replace(f" {phrase} ", " ", 1)
            return rest.split(), lex.dayoffsets[phrase]
    return words, None


def classify(words: Sequence[str], lex: Lexicon) -> Parts:
    """Sort the remaining words of an expression into date parts."""
    directions: list[int] = []
    weekdays: list[int] = []
    units: list[str] = []
    months: list[int] = []
    days: list[int] = []
    years: list[int] = []
    others: list[str] = []
    for word in words:
        day = DAY_RE.match(word)
        if word in lex.relatives:
            directions.append(lex.relatives[word])
        elif word in lex.weekdays:
            weekdays.append(lex.weekdays[word])
        elif word in lex.units:
            units.append(lex.units[word])
        elif word in lex.months:
            months.append(lex.months[word])
        elif YEAR_RE.match(word):
            years.append(int(word))
        elif day and 1 <= int(day.group(1)) <= 31:
            days.append(int(day.group(1)))
        else:
            others.append(word)
    return Parts(
        tuple(directions),
        tuple(weekdays),
        tuple(units),
        tuple(months),
        tuple(days),
        tuple(years),
        tuple(others),
    )


def direction_of(parts: Parts) -> int | None:
    """Return -1 for last/past, +1 for next/coming, 0 for this, None when no word says."""
    if not parts.directions:
        return None
    if -1 in parts.directions:
        return -1
    return 1 if 1 in parts.directions else 0


def unresolved(text: str) -> When:
    """Return a date expression whose value cannot be decided."""
    return When(text=text, value=None, precision=None)


def day(text: str, date: dt.date) -> When:
    """Return a day-precision When."""
    return When(text=text, value=date.isoformat(), precision="day")


def month(text: str, year: int, month_number: int) -> When:
    """Return a month-precision When."""
    return When(text=text, value=f"{year:04d}-{month_number:02d}", precision="month")


def year(text: str, year_number: int) -> When | None:
    """Return a year-precision When, or None outside 1900-2099."""
    if not 1900 <= year_number <= 2099:
        return None
    return When(text=text, value=f"{year_number:04d}", precision="year")


def shift_month(year_number: int, month_number: int, by: int) -> tuple[int, int]:
    """Return the (year, month) `by` months away."""
    index = year_number * 12 + month_number - 1 + by
    return index // 12, index % 12 + 1


def day_offset_date(text: str, offset: int, published: dt.date | None) -> When:
    """Resolve "yesterday", "today", "last night" against the publication day."""
    if published is None:
        return unresolved(text)
    return day(text, published + dt.timedelta(days=offset))


def ago_date(text: str, number: int | None, unit: str, published: dt.date | None) -> When | None:
    """Resolve "<number> <unit> ago" against the publication day."""
    if published is None or number is None:
        return unresolved(text)
    step_days = {"hour": 0, "day": 1, "week": 7, "fortnight": 14}
    if unit in step_days:
        return day(text, published - dt.timedelta(days=number * step_days[unit]))
    if unit == "month":
        return month(text, *shift_month(published.year, published.month, -number))
    if unit in ("year", "decade"):
        return year(text, published.year - number * (10 if unit == "decade" else 1))
    return None


def weekday_date(text: str, parts: Parts, published: dt.date | None) -> When | None:
    """Resolve a weekday ("Thursday", "last Friday", "Monday next week") against publication."""
    if len(set(parts.weekdays)) != 1 or set(parts.units) - {"week"}:
        return None
    if published is None:
        return unresolved(text)
    wanted = parts.weekdays[0]
    pub_day = published.weekday()
    direction = direction_of(parts)
    if parts.units:  # "Thursday last week": that weekday of the week shifted by the direction
        if direction is None:
            return None
        monday = published - dt.timedelta(days=pub_day) + dt.timedelta(weeks=direction)
        return day(text, monday + dt.timedelta(days=wanted))
    if direction is None:
        return day(text, published - dt.timedelta(days=(pub_day - wanted) % 7))
    if direction < 0:
        return day(text, published - dt.timedelta(days=(pub_day - wanted - 1) % 7 + 1))
    if direction > 0:
        return day(text, published + dt.timedelta(days=(wanted - pub_day - 1) % 7 + 1))
    return day(text, published + dt.timedelta(days=wanted - pub_day))


def period_date(text: str, parts: Parts, published: dt.date | None) -> When | None:
    """Resolve "last week", "this month", "next year", "the weekend" against publication."""
    if len(parts.units) != 1:
        return None
    unit = parts.units[0]
    direction = direction_of(parts)
    if unit == "weekend":
        saturday = Parts(parts.directions, (5,), (), (), (), (), ())
        return weekday_date(text, saturday, published)
    if direction is None or unit not in ("week", "month", "year"):
        return None
    if published is None:
        return unresolved(text)
    if unit == "week":
        shifted = published + dt.timedelta(weeks=direction)
        return month(text, shifted.year, shifted.month)
    if unit == "month":
        return month(text, *shift_month(published.year, published.month, direction))
    return year(text, published.year + direction)


def absolute_date(text: str, parts: Parts, published: dt.date | None) -> When | None:
    """Resolve an expression made of a day, a month and a year, any of them missing."""
    if len(parts.years) > 1 or len(parts.months) > 1 or len(parts.days) > 1:
        return None
    if parts.days and not parts.months:
        return None
    years = parts.years
    direction = direction_of(parts)
    if not years and parts.units == ("year",) and direction is not None and published:
        years = (published.year + direction,)  # "March last year"
    if years:
        if not parts.months:
            return year(text, years[0])
        if not parts.days:
            return month(text, years[0], parts.months[0])
        try:
            return day(text, dt.date(years[0], parts.months[0], parts.days[0]))
        except ValueError:
            return None
    if published is None:
        return unresolved(text)
    if parts.days:
        found = recent_day(parts.months[0], parts.days[0], published)
        return day(text, found) if found else None
    back = 1 if parts.months[0] > published.month else 0
    return month(text, published.year - back, parts.months[0])


def recent_day(month_number: int, day_number: int, published: dt.date) -> dt.date | None:
    """Return the latest date with this month and day at most a few days after publication."""
    latest = published + dt.timedelta(days=FUTURE_TOLERANCE_DAYS)
    for year_number in range(latest.year, latest.year - 9, -1):
        if day_number > calendar.monthrange(year_number, month_number)[1]:
            continue
        candidate = dt.date(year_number, month_number, day_number)
        if candidate <= latest:
            return candidate
    return None


def numeric_date(text: str, word: str) -> When | None:
    """Resolve 2016-03-03, 2016-03 and unambiguous day/month/year like 25/12/2016."""
    iso = ISO_RE.match(word)
    slash = SLASH_RE.match(word)
    try:
        if iso:
            y, m = int(iso.group(1)), int(iso.group(2))
            if iso.group(3) is None:
                return month(text, y, m) if 1 <= m <= 12 else None
            return day(text, dt.date(y, m, int(iso.group(3))))
        if slash:
            first, second, y = (int(g) for g in slash.groups())
            if first != second and first <= 12 and second <= 12:
                return unresolved(text)  # 03/05/2016: day-first or month-first cannot be told
            d, m = (first, second) if first > 12 or first == second else (second, first)
            return day(text, dt.date(y, m, d))
    except ValueError:
        return None
    return None


# two bases that differ in every part: a part dateparser filled in from its base differs
PROBE_BASES = (dt.datetime(2000, 1, 1), dt.datetime(2001, 7, 15))


@lru_cache(maxsize=2)
def date_parser(base: dt.datetime) -> DateDataParser:
    """Return a dateparser parser that needs an explicit year and fills gaps from `base`."""
    settings: dict[str, Any] = {
        "RELATIVE_BASE": base,
        "PREFER_DATES_FROM": "past",
        "RETURN_AS_TIMEZONE_AWARE": False,
        "REQUIRE_PARTS": ["year"],
    }
    return DateDataParser(languages=["en"], settings=settings)


def fallback_date(text: str, words: str) -> When | None:
    """Resolve, with dateparser, an expression with an explicit year that the rules do not read."""
    years = {int(y) for y in re.findall(r"\b(?:19|20)\d{2}\b", words)}
    if len(years) != 1:
        return None
    found: set[When] = set()
    for base in PROBE_BASES:
        data = date_parser(base).get_date_data(words)
        if data.date_obj is None or data.date_obj.year not in years:
            return None
        if data.period == "year":
            found.add(When(text, f"{data.date_obj.year:04d}", "year"))
        elif data.period == "month":
            found.add(When(text, data.date_obj.strftime("%Y-%m"), "month"))
        else:
            found.add(When(text, data.date_obj.date().isoformat(), "day"))
    # a part taken from the base, not the text, differs between the two probes
    return found.pop() if len(found) == 1 else None


# ---------------------------------------------------------------- a sentence


@lru_cache(maxsize=1)
def patterns() -> tuple[re.Pattern[str], ...]:
    """Build the regexes that find date expressions spaCy may miss."""
    lex = lexicon()
    weekday = "|".join(w.capitalize() for w in lex.weekdays)
    full = [m.capitalize() for m in lex.months if len(m) > 4 or m in ("may", "june", "july")]
    short = [m.capitalize() + r"\.?" for m in lex.months if m.capitalize() not in full]
    month_name = "(?:" + "|".join(full + short) + ")(?![a-z])"
    day_number = r"\d{1,2}(?:st|nd|rd|th)?"
    year_number = r"(?:19|20)\d{2}(?![\d]|,\d|s\b)"
    numbers = "|".join(sorted((re.escape(n) for n in lex.numbers), key=len, reverse=True))
    units = "|".join(sorted(lex.units, key=len, reverse=True))
    offsets = "|".join(p.replace(" ", r"\s+") for p in sorted(lex.dayoffsets, key=len)[::-1])
    lead = r"(?:(?i:early|late|earlier|later|last|next|this|past)\s+(?:(?i:on)\s+)?)?"
    part = r"(?:\s+(?i:morning|afternoon|evening|night))?"
    return (
        re.compile(rf"\b{lead}(?:{weekday})\b(?:'s)?{part}"),
        re.compile(rf"\b(?i:{offsets})\b"),
        re.compile(
            r"\b(?i:(?:(?:early|late|earlier|later)\s+)?(?:last|this|next)\s+"
            r"(?:week|weekend|month|year))\b"
        ),
        re.compile(rf"\b(?i:(?:\d+|{numbers})\s+(?:{units})\s+ago)\b"),
        re.compile(
            rf"\b(?:(?:{weekday}),?\s+)?"
            rf"(?:{day_number}\s+(?:of\s+)?{month_name}|{month_name}\s+{day_number}\b|{month_name})"
            rf"(?:,?\s+{year_number})?"
        ),
        re.compile(rf"\b(?i:in|during|of|early|late|mid)[\s-](?P<date>{year_number})"),
        re.compile(r"\b(?:19|20)\d{2}-\d{2}-\d{2}\b|\b\d{1,2}/\d{1,2}/(?:19|20)\d{2}\b"),
    )


MONTH_CONTEXT = frozenset({"in", "during", "of", "early", "late", "mid", "last", "this", "next"})


@lru_cache(maxsize=32)
def pattern_spans(sentence: Span) -> tuple[tuple[int, int], ...]:
    """Return the token spans of the sentence that the date regexes match, once per sentence."""
    return tuple(_pattern_spans(sentence))


def _pattern_spans(sentence: Span) -> Iterator[tuple[int, int]]:
    """Yield the token spans of the sentence that the date regexes match."""
    lex = lexicon()
    doc = sentence.doc
    text = span_text(sentence)
    for pattern in patterns():
        group = "date" if "date" in pattern.groupindex else 0
        for match in pattern.finditer(text):
            start, end = (sentence.start_char + i for i in match.span(group))
            span = doc.char_span(start, end, alignment_mode="expand")
            if span is None or not span.text:
                continue
            before = doc[span.start - 1].lower_ if span.start > 0 else ""
            if span[0].lower_ in lex.weekdays and before in lex.notweekday:
                continue  # Good Friday, Black Friday, Bloody Sunday
            yield span.start, span.end


def lone_month(doc: Doc, start: int, end: int) -> bool:
    """Tell a month name standing alone without "in", "last"... before it: "May" is a verb too."""
    before = doc[start - 1].lower_ if start > 0 else ""
    return end - start == 1 and doc[start].lower_ in lexicon().months and before not in MONTH_CONTEXT


def candidate_groups(sentence: Span) -> list[list[tuple[int, int]]]:
    """Group the entity and regex spans of date expressions that overlap, in text order."""
    spans = {(e.start, e.end) for e in ents_within(sentence) if e.label_ in ENTITY_LABELS}
    spans.update(pattern_spans(sentence))
    groups: list[list[tuple[int, int]]] = []
    for start, end in sorted(spans):
        if groups and start < max(e for _, e in groups[-1]):
            groups[-1].append((start, end))
        else:
            groups.append([(start, end)])
    return groups


def resolve_group(
    doc: Doc, group: list[tuple[int, int]], published: dt.date | None
) -> tuple[tuple[int, int], When] | None:
    """Resolve a group of overlapping spans: their union first, then each span, longest first."""
    union = (min(s for s, _ in group), max(e for _, e in group))
    before = doc[union[0] - 1].lower_ if union[0] > 0 else ""
    if before in lexicon().notdate:
        return None  # since 2011, until March: a bound, not the event's date
    tries = [union, *sorted(set(group) - {union}, key=lambda s: s[0] - s[1])]
    for start, end in tries:
        if lone_month(doc, start, end):
            continue
        try:
            when = parse_date_text(doc[start:end].text, published)
        except OverflowError:  # "1000000 days ago" lies off the calendar: leave it unresolved
            continue
        if when is not None:
            return (start, end), when
    return None


def tree_distance(doc: Doc, span: tuple[int, int], anchor: int) -> int:
    """Return how many dependency arcs join the span's head to the anchor token."""
    up: dict[int, int] = {}
    token = doc[anchor]
    for depth in range(len(doc)):
        up[token.i] = depth
        if token.head.i == token.i:
            break
        token = token.head
    token = doc[span[0] : span[1]].root
    for depth in range(len(doc)):
        if token.i in up:
            return depth + up[token.i]
        if token.head.i == token.i:
            break
        token = token.head
    return len(doc)  # in another sentence


def distance(doc: Doc, span: tuple[int, int], anchor: int) -> tuple[int, int]:
    """Rank a span by its distance to the anchor: in the dependency tree, then in tokens."""
    start, end = span
    if start <= anchor < end:
        return 0, 0
    tokens = start - anchor if anchor < start else anchor - end + 1
    return tree_distance(doc, span, anchor), tokens


def resolve_date(sentence: Span, published: dt.date | None, anchor: int | None = None) -> When | None:
    """Decide Event.date: the date expression tied to the event's sentence, resolved against the publication date.

    Args:
        sentence: a spaCy Span (a sentence of a parsed document).
        published: the document's publication date, or None.
        anchor: the doc token index of the event's trigger: the date nearest to it in the
            dependency tree, then in tokens, wins; without one the first date wins.

    Returns:
        The chosen When, or None when the sentence states no date.
    """  # noqa: E501
    groups = candidate_groups(sentence)
    found = [r for g in groups if (r := resolve_group(sentence.doc, g, published)) is not None]
    if not found:
        return None
    if anchor is None:
        return found[0][1]
    return min(found, key=lambda item: distance(sentence.doc, item[0], anchor))[1]


def is_historical(when: When | None, published: dt.date | None) -> bool:
    """Decide Event.flags.historical: a dated event long before the report.

    A day more than 60 days before publication, or a month or year that ends before the
    publication month minus two months.
    """
    if when is None or when.value is None or published is None:
        return False
    parts = [int(p) for p in when.value.split("-")]
    if len(parts) == 3:
        return (published - dt.date(parts[0], parts[1], parts[2])).days > HISTORICAL_DAYS
    limit = shift_month(published.year, published.month, -HISTORICAL_MONTHS)
    if len(parts) == 2:
        return (parts[0], parts[1]) < limit
    return (parts[0], 12) < limit
