"""Read inputs (files, folders, standard input) into Documents, reporting bad ones.

Every bad input becomes a BadDocument that is yielded, not raised, so one broken file or
line never stops a batch; the caller reports `doc_id: reason` and goes on.
"""

from __future__ import annotations

import codecs
import datetime as dt
import io
import json
import os
import re
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import feedparser

from eventcoder.errors import BadDocument
from eventcoder.ingest.clean import clean_text, html_to_text, looks_like_html
from eventcoder.records import Document

Item = Document | BadDocument

# extension -> how the file is read; anything else is sniffed as HTML or plain text
FORMATS: Mapping[str, str] = {
    ".txt": "text",
    ".html": "html",
    ".htm": "html",
    ".jsonl": "jsonl",
    ".xml": "feed",
    ".rss": "feed",
    ".atom": "feed",
}
STDIN = "-"
_SNIFF_BYTES = 8192
# control bytes other than tab, newline, form feed, carriage return and escape
_CONTROL = frozenset(range(32)) - {8, 9, 10, 12, 13, 27} | {127}
_MAX_CONTROL_SHARE = 0.1
_ISO_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})(?:[T ].*)?")
_HTML_TYPES = ("text/html", "application/xhtml+xml")
EMPTY = "empty document: no text after cleaning"


def is_binary(data: bytes) -> bool:
    """Tell whether bytes are a binary file: NUL bytes or mostly control bytes near the start."""
    sample = data[:_SNIFF_BYTES]
    if not sample:
        return False
    if b"\x00" in sample:
        return True
    controls = sum(1 for byte in sample if byte in _CONTROL)
    return controls / len(sample) > _MAX_CONTROL_SHARE


def decode(doc_id: str, data: bytes) -> str:
    """Decode a file's bytes as UTF-8 (or BOM-marked UTF-16), raising BadDocument if not text."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise BadDocument(
                doc_id, f"not valid UTF-16 at byte {error.start}; re-save it as UTF-8"
            ) from error
    if is_binary(data):
        raise BadDocument(doc_id, "binary file, not text; give a .txt, .html or .jsonl file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise BadDocument(
            doc_id, f"not valid UTF-8 at byte {error.start} (line {line}); re-save it as UTF-8"
        ) from error


def parse_published(value: object) -> dt.date | None:
    """Parse a document's publication date, YYYY-MM-DD (a time after it is ignored)."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ValueError(value)
    match = _ISO_DATE.fullmatch(value.strip())
    if match is None:
        raise ValueError(value)
    return dt.date.fromisoformat(match.group(1))


def _opens_with(text: str, headline: str) -> bool:
    """Tell whether the text's first paragraph is the headline."""
    first = text.lstrip().split("\n", 1)[0]
    return " ".join(first.split()).casefold() == " ".join(headline.split()).casefold()


def _document(
    doc_id: str,
    text: str,
    *,
    title: str | None = None,
    published: dt.date | None = None,
    url: str | None = None,
    what: str = "",
) -> Item:
    """Make a Document, or a BadDocument when no text is left after cleaning."""
    if not text.strip():
        return BadDocument(doc_id, EMPTY + what)
    return Document(id=doc_id, text=text, title=title, published=published, url=url)


def read_markup_or_text(doc_id: str, content: str, kind: str, published: dt.date | None) -> Item:
    """Make a Document from a text or HTML document's content."""
    if kind == "html" or (kind != "text" and looks_like_html(content)):
        text, title = html_to_text(content)
        return _document(
            doc_id, text, title=title, published=published, what=" (no article text in the page)"
        )
    return _document(doc_id, clean_text(content), published=published)


def _bad_line(path: str, lineno: int, doc_id: str | None, problem: str) -> BadDocument:
    """Report one bad line of a .jsonl file."""
    return BadDocument(doc_id or f"{path}:{lineno}", f"line {lineno}: {problem}")


def _optional_str(record: Mapping[str, Any], key: str) -> str | None:
    """Return a string field of a JSON record, or None when missing or not a string."""
    value = record.get(key)
    return value if isinstance(value, str) and value.strip() else None


def read_jsonl_line(path: str, lineno: int, line: bytes, published: dt.date | None) -> Item | None:
    """Make a Document from one .jsonl line, a BadDocument if it is broken, None if blank."""
    try:
        content = line.decode("utf-8-sig" if lineno == 1 else "utf-8")
    except UnicodeDecodeError as error:
        return _bad_line(
            path,
            lineno,
            None,
            f"not valid UTF-8 at byte {error.start} of the line; re-save the file as UTF-8",
        )
    if not content.strip():
        return None
    try:
        record = json.loads(content)
    except json.JSONDecodeError as error:
        return _bad_line(
            path,
            lineno,
            None,
            f"invalid JSON: {error.msg} (column {error.colno}); fix the line or remove it",
        )
    if not isinstance(record, dict):
        return _bad_line(
            path,
            lineno,
            None,
            f'expected a JSON object like {{"id": ..., "text": ...}}, got {type(record).__name__}',
        )
    raw_id = record.get("id")
    doc_id = str(raw_id) if isinstance(raw_id, str | int) and str(raw_id) else f"{path}:{lineno}"
    try:
        own_date = parse_published(record.get("published"))
    except ValueError:
        return _bad_line(
            path,
            lineno,
            doc_id,
            f"published {record.get('published')!r} is not a date; write it as YYYY-MM-DD",
        )
    title = _optional_str(record, "title")
    url = _optional_str(record, "url")
    when = own_date or published
    if isinstance(record.get("text"), str):
        return _document(doc_id, clean_text(record["text"]), title=title, published=when, url=url)
    if isinstance(record.get("html"), str):
        text, page_title = html_to_text(record["html"])
        return _document(
            doc_id,
            text,
            title=title or page_title,
            published=when,
            url=url,
            what=" (no article text in the html)",
        )
    return _bad_line(path, lineno, doc_id, 'no "text" or "html" string field; give each line one of them')


def read_jsonl(path: str, data: bytes, published: dt.date | None) -> Iterator[Item]:
    """Yield a Document or BadDocument per non-blank line of a .jsonl file."""
    if is_binary(data):
        yield BadDocument(path, "binary file, not text; give a .jsonl file with one JSON per line")
        return
    for lineno, line in enumerate(data.split(b"\n"), start=1):
        item = read_jsonl_line(path, lineno, line, published)
        if item is not None:
            yield item


def _entry_date(entry: Mapping[str, Any]) -> dt.date | None:
    """Return a feed entry's publication (else update) date."""
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        stamp = entry.get(key)
        if isinstance(stamp, time.struct_time):
            return dt.date(stamp.tm_year, stamp.tm_mon, stamp.tm_mday)
    return None


def _entry_body(entry: Mapping[str, Any]) -> str:
    """Return a feed entry's cleaned body: its content, else its summary."""
    candidates: list[Mapping[str, Any]] = list(entry.get("content") or [])
    if entry.get("summary_detail"):
        candidates.append(entry["summary_detail"])
    for detail in candidates:
        value = detail.get("value")
        if not isinstance(value, str) or not value.strip():
            continue
        if detail.get("type", "text/html") in _HTML_TYPES or looks_like_html(value):
            text = html_to_text(value)[0]
        else:
            text = clean_text(value)
        if text:
            return text
    return ""


def read_feed_entry(path: str, index: int, entry: Mapping[str, Any], published: dt.date | None) -> Item:
    """Make a Document from one RSS/Atom entry: its headline, then its content or summary."""
    raw_id = entry.get("id") or entry.get("link")
    doc_id = raw_id if isinstance(raw_id, str) and raw_id else f"{path}#{index}"
    raw_title = entry.get("title")
    title = clean_text(raw_title) if isinstance(raw_title, str) else ""
    body = _entry_body(entry)
    # A headline-only entry is still a report: its text is the headline.
    text = body or title
    if body and title and not _opens_with(body, title):
        text = f"{title}\n\n{body}"
    link = entry.get("link")
    return _document(
        doc_id,
        text,
        title=title or None,
        published=_entry_date(entry) or published,
        url=link if isinstance(link, str) else None,
        what=" (the feed entry has no title, content or summary)",
    )


def read_feed(path: str, data: bytes, published: dt.date | None) -> Iterator[Item]:
    """Yield a Document or BadDocument per entry of an RSS or Atom feed file."""
    if is_binary(data):
        yield BadDocument(path, "binary file, not text; give an RSS or Atom feed file")
        return
    # A BytesIO, never the bytes themselves: feedparser takes a string for a URL or a path.
    feed = feedparser.parse(io.BytesIO(data))
    # a malformed file can parse to empty entries: that is no feed, not empty documents
    entries = [entry for entry in feed.entries if entry]
    if not entries:
        problem = feed.get("bozo_exception")
        detail = f" ({problem})" if problem else ""
        yield BadDocument(path, f"not an RSS or Atom feed with entries{detail}; check the file is a feed")
        return
    for index, entry in enumerate(entries, start=1):
        yield read_feed_entry(path, index, entry, published)


def read_file(path: str, published: dt.date | None) -> Iterator[Item]:
    """Yield the Documents of one file, or a BadDocument for what cannot be read."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as error:
        reason = error.strerror or str(error)
        yield BadDocument(path, f"cannot read file: {reason}; check the path and its permissions")
        return
    kind = FORMATS.get(os.path.splitext(path)[1].lower(), "sniff")
    if kind == "jsonl":
        yield from read_jsonl(path, data, published)
    elif kind == "feed":
        yield from read_feed(path, data, published)
    else:
        yield _read_single(path, data, kind, published)


def _read_single(doc_id: str, data: bytes, kind: str, published: dt.date | None) -> Item:
    """Make the Document of a one-document input (a .txt, .html or unknown file, stdin)."""
    try:
        content = decode(doc_id, data)
    except BadDocument as bad:
        return bad
    return read_markup_or_text(doc_id, content, kind, published)


def read_stdin(published: dt.date | None) -> Iterator[Item]:
    """Yield the one document on standard input, HTML or plain text, with id "-"."""
    buffer = getattr(sys.stdin, "buffer", None)
    data = buffer.read() if buffer is not None else sys.stdin.read().encode("utf-8")
    yield _read_single(STDIN, data, "sniff", published)


def folder_files(folder: str) -> list[str]:
    """List a folder's readable files, recursively and sorted, skipping hidden ones."""
    found: list[str] = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found.extend(
            os.path.join(root, name)
            for name in files
            if not name.startswith(".") and os.path.splitext(name)[1].lower() in FORMATS
        )
    return sorted(found)


def read_folder(folder: str, published: dt.date | None) -> Iterator[Item]:
    """Yield the Documents of every supported file under a folder, in path order."""
    paths = folder_files(folder)
    if not paths:
        kinds = ", ".join(sorted(FORMATS))
        yield BadDocument(folder, f"no readable files in this folder; give {kinds} files")
        return
    for path in paths:
        yield from read_file(path, published)


def iter_documents(
    inputs: Sequence[str], published: dt.date | None = None
) -> Iterator[Document | BadDocument]:
    """Yield a Document per readable input document, or a BadDocument per bad one, in order.

    Args:
        inputs: paths of .txt, .html/.htm, .jsonl, RSS/Atom (.xml, .rss, .atom) files or
            folders of them, or "-" for one document on standard input. Other files are
            read as HTML when they look like it, else as plain text.
        published: the publication date of documents that carry none (a .jsonl line's or a
            feed entry's own date wins).

    Returns:
        An iterator of Documents (id: the path as given, the .jsonl id or the feed entry id)
        and BadDocuments (yielded, never raised), one per document, in input order.
    """
    # one path given as a bare string would otherwise be read one character at a time
    for item in [inputs] if isinstance(inputs, str) else inputs:
        name = os.fspath(item)
        if name == STDIN:
            yield from read_stdin(published)
        elif os.path.isdir(name):
            yield from read_folder(name, published)
        else:
            yield from read_file(name, published)
