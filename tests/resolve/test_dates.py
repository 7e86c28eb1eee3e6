"""Date resolution: expressions, sentences parsed by the real spaCy model, the historical flag."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from eventcoder.nlp import load_model
from eventcoder.records import When
from eventcoder.resolve.dates import is_historical, parse_date_text, resolve_date

THU = dt.date(2017, 2, 9)  # a Thursday
FRI = dt.date(2017, 2, 10)
SUN = dt.date(2016, 3, 6)
JAN = dt.date(2018, 1, 3)  # a Wednesday early in a year
WED = dt.date(2016, 1, 6)
MON = dt.date(2017, 2, 13)
MAY = dt.date(2016, 5, 20)


@pytest.fixture(scope="module")
def nlp() -> Any:
    return load_model()


def sentence_of(nlp: Any, text: str) -> Any:
    """Parse text and return its whole as one span, as the pipeline passes a sentence."""
    doc = nlp(text)
    return doc[:]


def token_index(span: Any, word: str) -> int:
    """Return the doc index of the first token of the span spelled `word`."""
    index: int = next(t.i for t in span if t.text == word)
    return index


# sentence, published, trigger word (None: no anchor), expected value, expected precision
SENTENCES = [
    (
        "A Russian airstrike accidentally killed three Turkish soldiers and wounded 11 others "
        "during an operation against the Islamic State in northern Syria on Thursday morning, "
        "Turkey's military said.",
        THU, "killed", "2017-02-09", "day",
    ),
    (
        "A Russian airstrike accidentally killed three Turkish soldiers and wounded 11 others "
        "during an operation against the Islamic State in northern Syria on Thursday morning, "
        "Turkey's military said.",
        FRI, "killed", "2017-02-09", "day",
    ),
    (
        "He expressed condolences to his colleague over the incident that took place early "
        "Thursday morning, when Turkish servicemen were killed.",
        THU, "killed", "2017-02-09", "day",
    ),
    (
        "He expressed condolences to his colleague over the incident that took place early "
        "Thursday morning, when Turkish servicemen were killed.",
        FRI, None, "2017-02-09", "day",
    ),
    (
        "The Russian and Turkish presidents held a phone conversation earlier on Thursday.",
        FRI, "held", "2017-02-09", "day",
    ),
    (
        "Whether this was payback for the downing of a Russian jet over the Turkish-Syrian "
        "border in November 2015 is unclear.",
        THU, "downing", "2015-11", "month",
    ),
    ("Police arrested 25 protesters in Cairo yesterday.", SUN, "arrested", "2016-03-05", "day"),
    ("A 25-year-old man was shot dead last night in Karachi.", SUN, "shot", "2016-03-05", "day"),
    ("Two days ago, gunmen killed 2,000 people in the market.", FRI, "killed", "2017-02-08", "day"),
    ("Troops entered the town on 3 March.", SUN, "entered", "2016-03-03", "day"),
    ("Troops entered the town on 3 March.", THU, "entered", "2016-03-03", "day"),
    ("The attack on March 3, 2016 killed four policemen.", THU, "attack", "2016-03-03", "day"),
    ("Rebels seized the town in mid-2015.", THU, "seized", "2015", "year"),
    ("Protests continued this week in Paris.", THU, "continued", "2017-02", "month"),
    ("Late on Friday, militants attacked a checkpoint.", SUN, "attacked", "2016-03-04", "day"),
    ("Late on Friday, militants attacked a checkpoint.", FRI, "attacked", "2017-02-10", "day"),
    ("The ceasefire collapsed last month in Aleppo.", JAN, "collapsed", "2017-12", "month"),
    ("Parliament was dissolved last year.", JAN, "dissolved", "2017", "year"),
    ("The bombing on Tuesday, January 5 killed 12.", WED, None, "2016-01-05", "day"),
    (
        "Fighting has raged for three years, after 2 weeks of fighting in 2014.",
        THU, "raged", "2014", "year",
    ),
    (
        "The protests, which began in March, continued on Sunday.",
        dt.date(2016, 6, 14), "began", "2016-03", "month",
    ),
    (
        "The protests, which began in March, continued on Sunday.",
        dt.date(2016, 6, 14), "continued", "2016-06-12", "day",
    ),
    (
        "Militants have fought the army since 2011, and on Monday they attacked a base.",
        THU, None, "2017-02-06", "day",
    ),
    ("The talks will resume next Thursday in Geneva.", THU, "resume", "2017-02-16", "day"),
    ("Clashes erupted over the weekend in Tripoli.", MON, None, "2017-02-11", "day"),
    ("Soldiers opened fire on 2016-03-03 near the border.", None, "fire", "2016-03-03", "day"),
    ("Soldiers opened fire on 12/05/2016 near the border.", THU, "fire", None, None),
    ("Officials met on 5 May to discuss the truce.", MAY, "met", "2016-05-05", "day"),
    ("Three weeks ago, a car bomb exploded in Kabul.", THU, "exploded", "2017-01-19", "day"),
    ("The siege, which lasted 24 hours, ended Feb. 3, 2017.", None, "ended", "2017-02-03", "day"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "published", "trigger", "value", "precision"), SENTENCES)
def test_dates_resolves_sentence(nlp, text, published, trigger, value, precision):
    sentence = sentence_of(nlp, text)
    anchor = token_index(sentence, trigger) if trigger else None
    when = resolve_date(sentence, published, anchor)
    assert when is not None
    assert (when.value, when.precision) == (value, precision)
    assert when.text
    assert when.text in text


# sentences without a date of the event: durations, ages, counts, holidays, bounds, verbs
NO_DATE = [
    "Fighting has raged for three years.",
    "A 25-year-old man was wounded in the clash.",
    "After 2 weeks of fighting the rebels withdrew.",
    "The rebels held the hill for 24 hours.",
    "Gunmen killed 2,000 people.",
    "Protesters gathered on Good Friday in Belfast.",
    "May protesters return to the square?",
    "Jan Egeland said 300 people died.",
    "The town has been under siege since 2011.",
    "Two days later, the army shelled the village.",
]


@pytest.mark.parametrize("text", NO_DATE)
def test_dates_finds_no_date(nlp, text):
    assert resolve_date(sentence_of(nlp, text), THU) is None


# sentences resolved without a publication date: relative ones stay null, absolute ones resolve
WITHOUT_PUBLISHED = [
    ("Russian jets struck al-Bab on Thursday morning.", "Thursday morning", None, None),
    ("The presidents spoke earlier on Thursday.", "earlier on Thursday", None, None),
    ("Police arrested 25 protesters in Cairo yesterday.", "yesterday", None, None),
    ("Protests continued last week in Paris.", "last week", None, None),
    ("Troops entered the town on 3 March.", "3 March", None, None),
    ("A Russian jet was downed in November 2015.", "November 2015", "2015-11", "month"),
    ("Troops entered the town on 3 March 2016.", "3 March 2016", "2016-03-03", "day"),
]


@pytest.mark.parametrize(("text", "shown", "value", "precision"), WITHOUT_PUBLISHED)
def test_dates_without_published_never_guesses(nlp, text, shown, value, precision):
    when = resolve_date(sentence_of(nlp, text), None)
    assert when == When(text=shown, value=value, precision=precision)


# expression, published, value, precision (precision "-" marks "not a date": None returned)
EXPRESSIONS = [
    ("Thursday", THU, "2017-02-09", "day"),
    ("Thursday", FRI, "2017-02-09", "day"),
    ("early Thursday morning", FRI, "2017-02-09", "day"),
    ("last Thursday", THU, "2017-02-02", "day"),
    ("this Thursday", dt.date(2017, 2, 7), "2017-02-09", "day"),
    ("Thursday last week", FRI, "2017-02-02", "day"),
    ("today", THU, "2017-02-09", "day"),
    ("last night", dt.date(2017, 3, 1), "2017-02-28", "day"),
    ("a week ago", THU, "2017-02-02", "day"),
    ("two months ago", THU, "2016-12", "month"),
    ("five years ago", THU, "2012", "year"),
    ("last week", dt.date(2017, 3, 2), "2017-02", "month"),
    ("earlier this month", THU, "2017-02", "month"),
    ("late last year", THU, "2016", "year"),
    ("March last year", THU, "2016-03", "month"),
    ("in March", THU, "2016-03", "month"),
    ("in January", THU, "2017-01", "month"),
    ("February 12", THU, "2017-02-12", "day"),
    ("February 29", dt.date(2017, 3, 10), "2016-02-29", "day"),
    ("late November 2015", None, "2015-11", "month"),
    ("the end of 2015", None, "2015", "year"),
    ("summer 2014", None, "2014", "year"),
    ("Sept. 11, 2001", None, "2001-09-11", "day"),
    ("9 February 2017 at 10:30 a.m. GMT", None, "2017-02-09", "day"),
    ("2016/03/03", None, "2016-03-03", "day"),
    ("25/12/2016", None, "2016-12-25", "day"),
    ("several days ago", THU, None, None),
    ("for three years", THU, None, "-"),
    ("24 hours", THU, None, "-"),
    ("three-year", THU, None, "-"),
    ("the 1990s", THU, None, "-"),
    ("since 2011", THU, None, "-"),
    ("2014-15", THU, None, "-"),
    ("1850", THU, None, "-"),
    ("31 February 2016", None, None, "-"),
    ("recent days", THU, None, "-"),
]


@pytest.mark.parametrize(("text", "published", "value", "precision"), EXPRESSIONS)
def test_dates_parses_expression(text, published, value, precision):
    when = parse_date_text(text, published)
    if precision == "-":
        assert when is None
    else:
        assert when == When(text=text, value=value, precision=precision)


RELATIVE = ["Thursday", "yesterday", "today", "last night", "last week", "two days ago", "3 March"]


@pytest.mark.parametrize("text", RELATIVE)
def test_dates_relative_without_published_is_unresolved(text):
    assert parse_date_text(text, None) == When(text=text, value=None, precision=None)


# value, precision, published, historical
HISTORICAL = [
    ("2015-11", "month", THU, True),
    ("2016-11", "month", THU, True),
    ("2016-12", "month", THU, False),
    ("2017-02-09", "day", FRI, False),
    ("2016-12-11", "day", THU, False),
    ("2016-12-10", "day", THU, True),
    ("2016", "year", THU, False),
    ("2016", "year", dt.date(2017, 3, 1), True),
    ("2017-02-16", "day", THU, False),
    ("2015-11", "month", None, False),
    (None, None, THU, False),
]


@pytest.mark.parametrize(("value", "precision", "published", "historical"), HISTORICAL)
def test_dates_is_historical(value, precision, published, historical):
    assert is_historical(When(text="x", value=value, precision=precision), published) is historical


def test_dates_is_historical_without_date():
    assert is_historical(None, THU) is False


def test_dates_seed_background_is_historical(nlp):
    sentence = sentence_of(nlp, "A Russian jet was downed over the border in November 2015.")
    assert is_historical(resolve_date(sentence, THU), THU) is True


@pytest.mark.slow
def test_dates_off_the_calendar_stay_unresolved_and_the_event_is_kept():
    from eventcoder import extract

    (event,) = [
        e for e in extract("Gunmen killed 4 villagers 1000000 days ago in Maiduguri.", published="2021-03-01")
    ]
    assert event.type == "ASSAULT"
    assert event.date is None or event.date.value is None
