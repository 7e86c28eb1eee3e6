"""Tests of eventcoder.ingest.clean: text repair, page furniture, main-text extraction."""

from __future__ import annotations

import html
import re

import pytest

from eventcoder.ingest.clean import (
    boilerplate_phrases,
    clean_text,
    html_to_text,
    is_furniture_line,
    looks_like_html,
)

# Strings of the seed page that are not the article: menu, breadcrumb, share box, related
# and most-read headlines (other violent events, so a leak would code a wrong event),
# cookie banner, newsletter box, footer.
PAGE_FURNITURE = [
    "You are here",
    "Home > World",
    "Middle East",
    "Subscribe to the Dispatch",
    "Share on Facebook",
    "Share on Twitter",
    "Share this article",
    "Email this story",
    "Related articles",
    "Bomb kills 12 in Kabul market",
    "Mogadishu",
    "Kharkiv",
    "Lima protesters",
    "Dhaka",
    "Sahel",
    "cookies",
    "Sign up for our newsletter",
    "About us",
    "Contact the newsroom",
    "Privacy policy",
    "Follow us",
    "All rights reserved",
    "Advertisement",
]


def page_paragraphs(page: str) -> list[str]:
    """Return the article paragraphs of the seed page, as its markup states them."""
    body = page.split('<div class="story-body">', 1)[1].split("</div>\n      <div", 1)[0]
    return [html.unescape(p) for p in re.findall(r"<p>(.*?)</p>", body, re.DOTALL)]


def page_headline(page: str) -> str:
    """Return the article headline of the seed page."""
    found = re.search(r'<h1 class="headline">(.*?)</h1>', page)
    assert found is not None
    return html.unescape(found.group(1))


def test_clean_html_to_text_keeps_every_paragraph_in_order(seed_page):
    text, _ = html_to_text(seed_page)
    paragraphs = page_paragraphs(seed_page)
    assert len(paragraphs) >= 5
    positions = [text.find(clean_text(p)) for p in paragraphs]
    assert all(pos >= 0 for pos in positions), [
        p for p, i in zip(paragraphs, positions, strict=True) if i < 0
    ]
    assert positions == sorted(positions)


def test_clean_html_to_text_starts_with_the_headline(seed_page):
    text, title = html_to_text(seed_page)
    headline = page_headline(seed_page)
    assert title == headline
    assert text.split("\n\n", 1)[0] == headline


@pytest.mark.parametrize("furniture", PAGE_FURNITURE)
def test_clean_html_to_text_drops_page_furniture(seed_page, furniture):
    text, _ = html_to_text(seed_page)
    assert furniture.casefold() not in text.casefold()


def test_clean_html_to_text_separates_paragraphs_by_blank_lines(seed_page):
    text, _ = html_to_text(seed_page)
    blocks = text.split("\n\n")
    assert len(blocks) == len(page_paragraphs(seed_page)) + 1
    assert "\n\n\n" not in text


def test_clean_html_to_text_reads_a_fragment():
    text, title = html_to_text("<p>Police arrested 5 protesters in Lagos on Monday.</p>")
    assert text == "Police arrested 5 protesters in Lagos on Monday."
    assert title is None


def test_clean_html_to_text_decodes_entities():
    text, _ = html_to_text("<div><p>Troops &amp; police fired on the crowd.</p></div>")
    assert text == "Troops & police fired on the crowd."


def test_clean_html_to_text_gives_nothing_for_a_page_without_text():
    text, _ = html_to_text("<html><head><script>var x = 1;</script></head><body></body></html>")
    assert text == ""


@pytest.mark.parametrize(
    ("broken", "fixed"),
    [
        ("The cafÃ© in Mosul was hit.", "The café in Mosul was hit."),
        ("It\u00e2\u20ac\u2122s a mistake, Moscow said.", "It\u2019s a mistake, Moscow said."),
        ("He said â€œnoâ€\x9d on Monday.", "He said “no” on Monday."),
    ],
)
def test_clean_text_repairs_mojibake(broken, fixed):
    assert clean_text(f"The talks ended.\n\n{broken}") == f"The talks ended.\n\n{fixed}"


def test_clean_text_keeps_curly_quotes_and_ellipses():
    text = "“We discussed… the incident,” Peskov said."
    assert clean_text(text) == text


def test_clean_text_normalises_newlines_and_trailing_spaces():
    text = "First line.  \r\nSecond line.\t\rThird line."
    assert clean_text(text) == "First line.\nSecond line.\nThird line."


def test_clean_text_collapses_runs_of_blank_lines():
    assert clean_text("One.\n\n\n\n\nTwo.\n\n\nThree.") == "One.\n\nTwo.\n\nThree."


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        ("Kills\u00a0three soldiers", "Kills three soldiers"),
        ("a\u202fnarrow space", "a narrow space"),
        ("an\u2009thin space", "an thin space"),
        ("zero\u200bwidth", "zerowidth"),
        ("\ufeffByte order mark", "Byte order mark"),
        ("soft\u00adhyphen", "softhyphen"),
        ("Erdogan,\u00a0\n\nNext", "Erdogan,\n\nNext"),
    ],
)
def test_clean_text_replaces_invisible_and_exotic_spaces(raw, cleaned):
    assert clean_text(raw) == cleaned


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        ("Moscow confirmed.The head of staff", "Moscow confirmed. The head of staff"),
        ("It ended in 2015.The war went on.", "It ended in 2015. The war went on."),
        ("Was it an accident?Nobody knows.", "Was it an accident? Nobody knows."),
        ("They fled.Then, they returned.", "They fled. Then, they returned."),
        ("claimed by Islamic State (IS).On Monday", "claimed by Islamic State (IS). On Monday"),
    ],
)
def test_clean_text_separates_glued_sentences(raw, cleaned):
    assert clean_text(raw) == cleaned


@pytest.mark.parametrize(
    "text",
    [
        "The U.S. Army said so.",
        "Troops of the U.S.Army said so.",
        "Some groups, e.g.The Base, were banned.",
        "Read it at https://news.example.com/World.Report now.",
        "Mail press@example.org.Thanks",
        "See news.Example.com for more.",
        "Inflation rose 3.5 percent.",
        "Version 2.0.Final was released.",
        "He wrote i.e.Not this.",
        "Inspector General R.K.Vij said so.",
    ],
)
def test_clean_text_leaves_abbreviations_urls_and_decimals_alone(text):
    assert clean_text(text) == text


@pytest.mark.parametrize(
    "line",
    [
        "You are here",
        "  you are here  ",
        "You are here: Home > World > Middle East",
        "Skip to main content",
        "Share this article:",
        "Advertisement",
        "ADVERTISEMENT",
        "Read more: Bomb kills 12 in Kabul market",
        "Related articles",
        "Follow us",
        "Sign up for our newsletter",
        "Read more »",
    ],
)
def test_clean_text_drops_page_furniture_lines(line):
    text = f"{line}\n\nGunmen killed two guards.\n{line}\nPolice arrived later."
    assert clean_text(text) == "Gunmen killed two guards.\nPolice arrived later."


@pytest.mark.parametrize(
    "line",
    [
        "You are here because the war came to you, she said.",
        "Advertisement boards were torn down by protesters.",
        "Read more about the attack in our live blog, the editor said.",
        "Police said the suspects would follow us, the witness added.",
    ],
)
def test_clean_text_keeps_sentences_that_merely_start_like_furniture(line):
    assert clean_text(line) == line
    assert not is_furniture_line(line)


def test_clean_boilerplate_phrases_come_from_the_data_file():
    phrases = boilerplate_phrases()
    assert "you are here" in phrases
    assert "share this article" in phrases
    assert all(p == p.strip().casefold() and not p.startswith("#") for p in phrases)


def test_clean_text_leaves_readable_text_unchanged():
    text = (
        "Rebels shelled the town of al-Bab on Thursday, killing 3 people.\n\n"
        '"We will respond," the governor said — and troops moved in (at 5:30 a.m.).'
    )
    assert clean_text(text) == text


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("<!DOCTYPE html><html><body><p>x</p></body></html>", True),
        ("  <html lang='en'><head></head></html>", True),
        ("<div class='story'><p>Troops moved in.</p></div>", True),
        ("<p>One.</p>\n<p>Two.</p>", True),
        ("Troops moved in on Monday.\n\nThe 3 < 5 rule and a <b> tag.", False),
        ("Plain text about an <attack> on the town.", False),
        ("", False),
    ],
)
def test_clean_looks_like_html(data, expected):
    assert looks_like_html(data) is expected


def test_clean_html_to_text_reads_a_page_wrapped_in_a_form():
    page = (
        "<html><body><form id='aspnetForm' method='post'><nav><a href='/'>Home</a></nav>"
        "<div id='content'><h1>Gunmen kill two guards in Kano</h1>"
        "<p>Gunmen killed two security guards at a bank in Kano on Monday, police said.</p>"
        "<p>The attackers escaped with an unknown sum of money.</p></div>"
        "<footer>All rights reserved</footer></form></body></html>"
    )
    text, title = html_to_text(page)
    assert title == "Gunmen kill two guards in Kano"
    assert text == (
        "Gunmen kill two guards in Kano\n\n"
        "Gunmen killed two security guards at a bank in Kano on Monday, police said.\n\n"
        "The attackers escaped with an unknown sum of money."
    )


def test_clean_cuts_symbol_runs_and_breaks_long_tokens():
    from eventcoder.ingest.clean import MAX_SYMBOL_RUN, MAX_TOKEN

    assert clean_text("Wait... what?!?! " + "&" * 30_000) == "Wait... what?!?! " + "&" * MAX_SYMBOL_RUN
    assert clean_text("a_" * 20 + "_" * 40) == "a_" * 20 + "_" * (MAX_SYMBOL_RUN - 1)
    tokens = clean_text("x" * (3 * MAX_TOKEN + 5)).split(" ")
    assert [len(t) for t in tokens] == [MAX_TOKEN, MAX_TOKEN, MAX_TOKEN, 5]
    url = "https://example.com/" + "a" * 150
    assert clean_text(f"See {url} now") == f"See {url} now"
