"""Turn raw document text or a saved web page into the cleaned text every offset refers to.

The cleaned text is what a reader of the article sees: mojibake repaired, newlines and
spaces normalised, page furniture ("You are here", "Share this article") dropped.
"""

from __future__ import annotations

import functools
import re
from html.parser import HTMLParser
from importlib import resources

import ftfy

# Spaces a reader cannot tell from a plain one: NBSP, en/em/thin/hair spaces, narrow NBSP,
# medium mathematical space, ideographic space.
_SPACES = re.compile("[\u00a0\u2000-\u200a\u202f\u205f\u3000]")
# Invisible characters that only split words for a tokenizer: zero-width space, word joiner,
# byte order mark, soft hyphen. Zero-width (non-)joiners stay: some scripts need them.
_INVISIBLE = re.compile("[\u200b\u2060\ufeff\u00ad]")
_TRAILING_SPACE = re.compile(r"[ \t]+$", re.MULTILINE)
_BLANK_LINES = re.compile(r"\n{3,}")
_TOKEN = re.compile(r"\S+")
# "confirmed.The": two lowercase letters (or digits, or a closing bracket), a sentence end,
# then a capitalised word
# that ends the token or is followed by punctuation other than a dot ("U.S.", "e.g.The",
# "news.Example.com" and decimals never match).
_GLUED = re.compile(r"(?:(?<=[a-z]{2})|(?<=[0-9]{2})|(?<=\w\)))([.!?])(?=[A-Z][a-z]+(?:[,;:!?)]|$))")
_URL_LIKE = ("://", "www.", "@", "/")
# spaCy's tokenizer strips leading and trailing punctuation one character at a time, copying the
# rest each time: a run of n symbols costs n squared (30,000 '&' take a minute). Prose never has
# more than a few in a row, so longer runs are cut to this many, in one linear pass.
MAX_SYMBOL_RUN = 16
_SYMBOL_RUN = re.compile(rf"(?:[^\w\s]|_){{{MAX_SYMBOL_RUN + 1},}}")
# Mixed runs ("$A$A$A...") cost the same: a token longer than this (longer than any URL a report
# prints) gets a space after every MAX_TOKEN characters, so the tokenizer's cost stays linear.
MAX_TOKEN = 200
_LONG_TOKEN = re.compile(rf"\S{{{MAX_TOKEN}}}(?=\S)")
# colon, ">", "»", "|", single right angle quote
_FURNITURE_SEPARATORS = ":>\u00bb|\u203a"
# the separators, sentence punctuation, ellipsis, hyphen, en and em dash
_FURNITURE_TRAILING = " \t.:;,!>\u00bb|\u203a\u2026-\u2013\u2014"
_HTML_TAG = re.compile(
    r"<(?:html|head|body|div|p|br|span|article|section|a|table|meta|title|script|style|h[1-6]|ul|li)\b",
    re.IGNORECASE,
)
_DROP_TAGS = frozenset({"script", "style", "noscript", "nav", "header", "footer", "aside", "button", "title"})
# never <form>: ASP.NET pages wrap the whole page in one
_PRUNE = ("//nav", "//footer", "//aside")
_BLOCK_TAGS = frozenset(
    {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "article"}
)


@functools.cache
def boilerplate_phrases() -> frozenset[str]:
    """Load the page-furniture phrases from `boilerplate.txt`, lowercased."""
    data = resources.files("eventcoder.ingest").joinpath("boilerplate.txt").read_text("utf-8")
    return frozenset(
        line.strip().casefold()
        for line in data.splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    )


def is_furniture_line(line: str) -> bool:
    """Tell whether a line is page furniture: a boilerplate phrase alone or before a trail."""
    phrases = boilerplate_phrases()
    stripped = line.strip().casefold()
    if not stripped:
        return False
    if stripped.rstrip(_FURNITURE_TRAILING) in phrases:
        return True
    cut = min((i for i, c in enumerate(stripped) if c in _FURNITURE_SEPARATORS), default=-1)
    return cut > 0 and stripped[:cut].strip() in phrases


def strip_furniture(text: str) -> str:
    """Drop whole lines that are page furniture ("You are here", "Share this article")."""
    return "\n".join(line for line in text.split("\n") if not is_furniture_line(line))


def _unglue_token(token: str) -> str:
    """Insert a space after a sentence end glued to the next sentence inside one token."""
    if any(mark in token for mark in _URL_LIKE):
        return token
    return _GLUED.sub(r"\1 ", token)


def unglue_sentences(text: str) -> str:
    """Insert a space where a sentence end is glued to the next one ("confirmed.The")."""
    return _TOKEN.sub(lambda m: _unglue_token(m.group(0)), text)


def cut_symbol_runs(text: str) -> str:
    """Cut runs of punctuation and symbols longer than MAX_SYMBOL_RUN, which no reader needs."""
    return _SYMBOL_RUN.sub(lambda m: m.group(0)[:MAX_SYMBOL_RUN], text)


def break_long_tokens(text: str) -> str:
    """Put a space after every MAX_TOKEN characters of a token longer than that, in linear time."""
    return _LONG_TOKEN.sub(lambda m: m.group(0) + " ", text)


def clean_text(text: str) -> str:
    """Repair and normalise a document's text without changing what a reader sees.

    Runs ftfy on the whole document (mojibake, HTML entities in plain text, odd line
    breaks), cuts runs of more than MAX_SYMBOL_RUN symbols ("&&&&...") and breaks tokens
    longer than MAX_TOKEN (the tokenizer takes quadratic time on both), turns CR LF and CR
    into LF, exotic spaces into plain ones, drops invisible characters, trailing spaces and
    page-furniture lines, separates glued sentences ("confirmed.The" -> "confirmed. The"),
    collapses runs of blank lines and strips the ends.
    """
    # Curly quotes stay: they are what the reader sees, and attribution reads them.
    text = ftfy.fix_text(text, uncurl_quotes=False)
    text = break_long_tokens(cut_symbol_runs(text))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _SPACES.sub(" ", text)
    text = _INVISIBLE.sub("", text)
    text = _TRAILING_SPACE.sub("", text)
    text = strip_furniture(text)
    text = unglue_sentences(text)
    text = _BLANK_LINES.sub("\n\n", text)
    return text.strip()


def looks_like_html(data: str) -> bool:
    """Tell whether a text is HTML markup rather than plain text, from its first 4 kB."""
    head = data[:4096].lstrip().lower()
    if head.startswith(("<!doctype html", "<html")):
        return True
    return len(_HTML_TAG.findall(head)) >= 2


def _as_page(html: str) -> str:
    """Wrap an HTML fragment in html/body tags: trafilatura returns nothing for bare fragments."""
    head = html[:4096].lower()
    if "<html" in head or "<body" in head:
        return html
    return f"<html><body>{html}</body></html>"


def _paragraphs(text: str) -> str:
    """Separate trafilatura's one-line blocks by blank lines, as in a .txt article."""
    return "\n\n".join(line.strip() for line in text.split("\n") if line.strip())


def _trafilatura(page: str, *, precision: bool) -> tuple[str, str | None]:
    """Extract main text and title with trafilatura, favouring precision or recall."""
    import trafilatura  # imported on first HTML page: plain-text runs never pay for it

    result = trafilatura.bare_extraction(
        page,
        favor_precision=precision,
        favor_recall=not precision,
        include_comments=False,
        include_tables=False,
        with_metadata=True,
        # trafilatura reads a menu as the text of a page that has nothing else
        prune_xpath=list(_PRUNE),
    )
    if result is None:
        return "", None
    text = getattr(result, "text", None) or ""
    title = getattr(result, "title", None) or None
    return text, title


class _VisibleText(HTMLParser):
    """Collect a page's visible text and <title>, skipping scripts, menus and footers."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title: list[str] = []
        self._skip: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Enter a skipped element, or start a new line at a block."""
        if tag in _DROP_TAGS:
            self._skip.append(tag)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        """Leave a skipped element, or end a line at a block."""
        if self._skip and self._skip[-1] == tag:
            self._skip.pop()
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        """Keep text outside skipped elements; keep the <title> apart."""
        if self._skip == ["title"]:
            self.title.append(data)
        elif not self._skip:
            self.parts.append(data)


def _plain_markup_text(page: str) -> tuple[str, str | None]:
    """Read the visible text of a page, minus scripts, menus, headers and footers."""
    parser = _VisibleText()
    parser.feed(page)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).split("\n"))
    title = " ".join("".join(parser.title).split())
    return "\n\n".join(line for line in lines if line), title or None


def _opens_with(text: str, headline: str) -> bool:
    """Tell whether one of the text's first three paragraphs is the headline."""
    wanted = " ".join(headline.split()).casefold()
    opening = [p for p in text.split("\n") if p.strip()][:3]
    return any(" ".join(p.split()).casefold() == wanted for p in opening)


def html_to_text(html: str) -> tuple[str, str | None]:
    """Extract a web page's article as cleaned text (headline, then body) and its title.

    Args:
        html: the page's markup, a whole page or a fragment.

    Returns:
        (text, title): the text as a .txt version of the article would read, the headline
        first; "" when the page has no main text. title is None when none is found.
    """
    page = _as_page(html)
    raw, title = _trafilatura(page, precision=True)
    if not raw.strip():
        raw, title = _trafilatura(page, precision=False)
    headline = clean_text(title) if title else None
    if not raw.strip():
        # The <title> of a page trafilatura could not read often carries the site's name:
        # keep it as the document's title but do not print it as the headline.
        raw, page_title = _plain_markup_text(page)
        return clean_text(raw), headline or (clean_text(page_title) if page_title else None)
    text = clean_text(_paragraphs(raw))
    if headline and text and not _opens_with(text, headline) and not is_furniture_line(headline):
        text = f"{headline}\n\n{text}"
    return text, headline or None
