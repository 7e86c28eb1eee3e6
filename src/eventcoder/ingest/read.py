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
import stat
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from typing import IO, Any

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
# Bounds checked before anything is parsed, so no input costs more than linear time and memory.
# A file read whole, a .jsonl line and standard input: far above any news page (16 MiB).
MAX_INPUT_BYTES = 16 * 1024 * 1024
# Cleaned characters per document: about 32,000 words, a report of 80 pages. Coding is linear in
# length (a 200,000-character report takes about 14 s: benchmarks/places.py's speed line).
MAX_DOCUMENT_CHARS = 200_000
# A document line is one flat object; the json module recurses once per level.
MAX_JSON_DEPTH = 64
# Python refuses integers over 4,300 digits with a ValueError; no id or field needs 100.
MAX_INT_DIGITS = 100
MAX_ID_CHARS = 500
# Publication dates the coder resolves against: it shifts them by days to decades, and the store
# compares dates a few weeks apart, so dates near year 1 or 9999 overflow. News is within these.
EARLIEST_PUBLISHED = dt.date(1800, 1, 1)
LATEST_PUBLISHED = dt.date(2199, 12, 31)
_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')
_JSON_BRACKET = re.compile(r"[\[\]{}]")
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def is_binary(data: bytes) -> bool:
    """Tell whether bytes are a binary file: NUL bytes or mostly control bytes near the start."""
    sample = data[:_SNIFF_BYTES]
    if not sample:
        return False
    if b"\x00" in sample:
        return True
    controls = sum(1 for byte in sample if byte in _CONTROL)
    return controls / len(sample) > _MAX_CONTROL_SHARE


def display_name(path: str) -> str:
    """Return a path as a printable id: undecodable bytes and control characters as \\xNN escapes."""
    raw = os.fsencode(path)
    name = raw.decode("utf-8", "backslashreplace")
    return _UNPRINTABLE.sub(lambda m: f"\\x{ord(m.group(0)):02x}", name)


def published_problem(day: dt.date) -> str | None:
    """Say why a publication date cannot be resolved against, or None when it can."""
    if EARLIEST_PUBLISHED <= day <= LATEST_PUBLISHED:
        return None
    return (
        f"published {day.isoformat()} is outside {EARLIEST_PUBLISHED.isoformat()}.."
        f"{LATEST_PUBLISHED.isoformat()}, the dates eventcoder resolves against; "
        "give the real publication date"
    )


def parse_published(value: object) -> dt.date | None:
    """Parse a document's publication date, YYYY-MM-DD (a time after it is ignored).

    Raises:
        ValueError: saying what is wrong: not a date, or outside the dates the coder handles.
    """
    if value is None or value == "":
        return None
    shown = repr(value) if isinstance(value, str) and len(value) <= 40 else f"a {type(value).__name__}"
    if not isinstance(value, str):
        raise ValueError(f"published {shown} is not a date; write it as YYYY-MM-DD")
    match = _ISO_DATE.fullmatch(value.strip())
    try:
        day = dt.date.fromisoformat(match.group(1)) if match else None
    except ValueError:
        day = None
    if day is None:
        raise ValueError(f"published {shown} is not a date; write it as YYYY-MM-DD")
    problem = published_problem(day)
    if problem:
        raise ValueError(problem)
    return day


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
    """Make a Document, or a BadDocument when no text is left after cleaning or far too much."""
    if not text.strip():
        return BadDocument(doc_id, EMPTY + what)
    if len(text) > MAX_DOCUMENT_CHARS:
        return BadDocument(
            doc_id,
            f"{len(text)} characters after cleaning, more than the {MAX_DOCUMENT_CHARS} eventcoder codes "
            "in one document; split it into articles or sections",
        )
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


def printable(value: str) -> str:
    """Drop control characters and unpaired surrogates from a short field (a title, a URL)."""
    return _UNPRINTABLE.sub("", value)


def _optional_str(record: Mapping[str, Any], key: str) -> str | None:
    """Return a string field of a JSON record, printable, or None when missing or not a string."""
    value = record.get(key)
    if not isinstance(value, str):
        return None
    value = printable(value)
    return value if value.strip() else None


def json_depth(content: str) -> int:
    """Return how deeply a JSON text nests arrays and objects, in linear time, without parsing it."""
    if content.count("[") + content.count("{") <= MAX_JSON_DEPTH:
        return 1  # cannot be deeper than the limit: skip the scan
    depth = deepest = 0
    for bracket in _JSON_BRACKET.findall(_JSON_STRING.sub('""', content)):
        depth += 1 if bracket in "[{" else -1
        deepest = max(deepest, depth)
    return deepest


class _TooLong(ValueError):
    """A JSON number too long to be an id or a count."""


def _bounded_int(digits: str) -> int:
    """Parse a JSON integer, refusing one longer than any id or count (Python's limit is a crash)."""
    if len(digits) > MAX_INT_DIGITS:
        raise _TooLong(
            f"a number of {len(digits)} digits, more than the {MAX_INT_DIGITS} eventcoder reads; "
            "write long ids as strings"
        )
    return int(digits)


def load_json_line(content: str) -> Any:
    """Parse one JSON line with its nesting and numbers bounded first.

    Raises:
        ValueError: saying what is wrong with the line and how to fix it.
    """
    depth = json_depth(content)
    if depth > MAX_JSON_DEPTH:
        raise ValueError(
            f"JSON nested {depth} levels deep, more than {MAX_JSON_DEPTH}; give one flat "
            '{"id": ..., "text": ...} object per line'
        )
    try:
        return json.loads(content, parse_int=_bounded_int)
    except _TooLong as error:
        raise ValueError(str(error)) from None
    except json.JSONDecodeError as error:
        where = f"{error.msg} (column {error.colno})"
        raise ValueError(f"invalid JSON: {where}; fix the line or remove it") from None


def line_id(record: Mapping[str, Any]) -> str | None:
    """Return a line's own id as a string, or None when it has none (bool is no id)."""
    raw_id = record.get("id")
    if isinstance(raw_id, bool) or not isinstance(raw_id, str | int):
        return None
    return str(raw_id) or None


def id_problem(doc_id: str) -> str | None:
    """Say why a given id cannot name a document in records and messages, or None when it can."""
    if len(doc_id) > MAX_ID_CHARS:
        return f"id of {len(doc_id)} characters, more than {MAX_ID_CHARS}; give a shorter id"
    if _UNPRINTABLE.search(doc_id):
        return (
            "id holds a control character (NUL, newline, ...) or an unpaired surrogate; give a printable id"
        )
    return None


def read_jsonl_line(path: str, lineno: int, line: bytes, published: dt.date | None) -> Item | None:
    """Make a Document from one .jsonl line, a BadDocument if it is broken, None if blank."""
    if b"\x00" in line:
        return _bad_line(path, lineno, None, "binary data (NUL bytes), not a JSON object; remove the line")
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
        record = load_json_line(content)
    except ValueError as error:
        return _bad_line(path, lineno, None, str(error))
    if not isinstance(record, dict):
        return _bad_line(
            path,
            lineno,
            None,
            f'expected a JSON object like {{"id": ..., "text": ...}}, got {type(record).__name__}',
        )
    given = line_id(record)
    if given is not None and (problem := id_problem(given)):
        return _bad_line(path, lineno, None, problem)
    doc_id = given or f"{path}:{lineno}"
    try:
        own_date = parse_published(record.get("published"))
    except ValueError as error:
        return _bad_line(path, lineno, doc_id, str(error))
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


def bounded_lines(handle: IO[bytes], limit: int = MAX_INPUT_BYTES) -> Iterator[bytes | None]:
    """Yield a file's lines, None in place of one longer than `limit` bytes (its rest is skipped)."""
    while True:
        line = handle.readline(limit + 1)
        if not line:
            return
        if len(line) <= limit or line.endswith(b"\n"):
            yield line
            continue
        while line and not line.endswith(b"\n"):  # skip the rest of the long line, a block at a time
            line = handle.readline(1 << 20)
        yield None


def _text_lines(head: bytes) -> bool:
    """Tell whether a file's first bytes hold a line that could be a JSON document (no NUL, a brace)."""
    return any(b"\x00" not in line and line.lstrip().startswith(b"{") for line in head.split(b"\n"))


def read_jsonl(
    path: str, handle: IO[bytes], published: dt.date | None, doc_id: str | None = None
) -> Iterator[Item]:
    """Yield a Document or BadDocument per non-blank line of a .jsonl file, read line by line."""
    name = doc_id or path
    head = handle.peek(_SNIFF_BYTES)[:_SNIFF_BYTES] if hasattr(handle, "peek") else b""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        yield BadDocument(name, "UTF-16 text; re-save the .jsonl file as UTF-8, one JSON per line")
        return
    if is_binary(head) and not _text_lines(head):
        yield BadDocument(name, "binary file, not text; give a .jsonl file with one JSON per line")
        return
    found = False
    for lineno, line in enumerate(bounded_lines(handle), start=1):
        if line is None:
            item: Item | None = _bad_line(
                name, lineno, None, f"longer than {MAX_INPUT_BYTES} bytes; split the document it holds"
            )
        else:
            item = read_jsonl_line(name, lineno, line, published)
        if item is not None:
            found = True
            yield item
    if not found:
        yield BadDocument(
            name, 'no documents: the file is empty or blank; give one {"id": ..., "text": ...} per line'
        )


def _entry_date(entry: Mapping[str, Any]) -> dt.date | None:
    """Return a feed entry's publication (else update) date, when the coder can resolve against it."""
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        stamp = entry.get(key)
        if isinstance(stamp, time.struct_time):
            try:
                day = dt.date(stamp.tm_year, stamp.tm_mon, stamp.tm_mday)
            except ValueError:
                continue
            if published_problem(day) is None:
                return day
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
    usable = isinstance(raw_id, str) and raw_id and id_problem(raw_id) is None
    doc_id = raw_id if usable and isinstance(raw_id, str) else f"{path}#{index}"
    raw_title = entry.get("title")
    title = clean_text(raw_title) if isinstance(raw_title, str) else ""
    body = _entry_body(entry)
    # A headline-only entry is still a report: its text is the headline.
    text = body or title
    if body and title and not _opens_with(body, title):
        text = f"{title}\n\n{body}"
    link = entry.get("link")
    link = printable(link) if isinstance(link, str) else None
    return _document(
        doc_id,
        text,
        title=title or None,
        published=_entry_date(entry) or published,
        url=link or None,
        what=" (the feed entry has no title, content or summary)",
    )


def read_feed(path: str, data: bytes, published: dt.date | None) -> Iterator[Item]:
    """Yield a Document or BadDocument per entry of an RSS or Atom feed file."""
    if is_binary(data):
        yield BadDocument(path, "binary file, not text; give an RSS or Atom feed file")
        return
    import feedparser  # imported on the first feed: other inputs never pay for it

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


def not_regular(path: str) -> str | None:
    """Say what a path is when it is no regular file (FIFO, device, socket), without opening it."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None  # opening it reports why
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def read_bounded(doc_id: str, handle: IO[bytes], what: str) -> bytes:
    """Read a whole input of at most MAX_INPUT_BYTES, raising BadDocument for a larger one."""
    data = handle.read(MAX_INPUT_BYTES + 1)
    if len(data) > MAX_INPUT_BYTES:
        raise BadDocument(
            doc_id,
            f"{what} over {MAX_INPUT_BYTES // (1024 * 1024)} MiB, far more than a news document; "
            "split it, or give a .jsonl file with one document per line",
        )
    return data


def read_file(path: str, published: dt.date | None) -> Iterator[Item]:
    """Yield the Documents of one file, or a BadDocument for what cannot be read."""
    doc_id = display_name(path)
    special = not_regular(path)
    if special:
        yield BadDocument(doc_id, f"{special}, not a regular file; give a file, or - for standard input")
        return
    kind = FORMATS.get(os.path.splitext(path)[1].lower(), "sniff")
    try:
        with open(path, "rb") as handle:
            if kind == "jsonl":
                yield from read_jsonl(path, handle, published, doc_id)
                return
            data = read_bounded(doc_id, handle, "file")
    except OSError as error:
        reason = error.strerror or str(error)
        yield BadDocument(doc_id, f"cannot read file: {reason}; check the path and its permissions")
        return
    except BadDocument as bad:
        yield bad
        return
    if kind == "feed":
        yield from read_feed(doc_id, data, published)
    else:
        yield _read_single(doc_id, data, kind, published)


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
    if buffer is None:  # a text stream (tests, embedding): its characters as UTF-8
        buffer = io.BytesIO(sys.stdin.read(MAX_INPUT_BYTES + 1).encode("utf-8", "replace"))
    try:
        data = read_bounded(STDIN, buffer, "standard input")
    except BadDocument as bad:
        yield bad
        return
    yield _read_single(STDIN, data, "sniff", published)


def folder_files(folder: str, errors: list[OSError] | None = None) -> list[str]:
    """List a folder's readable files, recursively and sorted, skipping hidden ones.

    Folders that cannot be listed are appended to `errors` (os.walk would skip them silently).
    """
    found: list[str] = []
    for root, dirs, files in os.walk(folder, onerror=errors.append if errors is not None else None):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found.extend(
            os.path.join(root, name)
            for name in files
            if not name.startswith(".") and os.path.splitext(name)[1].lower() in FORMATS
        )
    return sorted(found)


def read_folder(folder: str, published: dt.date | None) -> Iterator[Item]:
    """Yield the Documents of every supported file under a folder, in path order."""
    errors: list[OSError] = []
    paths = folder_files(folder, errors)
    for error in errors:
        where = display_name(error.filename if isinstance(error.filename, str) else folder)
        reason = error.strerror or str(error)
        yield BadDocument(where, f"cannot read folder: {reason}; check its permissions (chmod u+rx)")
    if not paths and not errors:
        kinds = ", ".join(sorted(FORMATS))
        yield BadDocument(display_name(folder), f"no readable files in this folder; give {kinds} files")
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
            read as HTML when they look like it, else as plain text. Inputs that are not
            regular files (FIFOs, devices) and files over MAX_INPUT_BYTES are refused.
        published: the publication date of documents that carry none (a .jsonl line's or a
            feed entry's own date wins).

    Returns:
        An iterator of Documents (id: the path as given, with undecodable bytes escaped, the
        .jsonl id or the feed entry id) and BadDocuments (yielded, never raised), one per
        document, in input order.

    Raises:
        ValueError: `published` is outside EARLIEST_PUBLISHED..LATEST_PUBLISHED.
    """
    if published is not None and (problem := published_problem(published)):
        raise ValueError(problem)
    # one path given as a bare string would otherwise be read one character at a time
    for item in [inputs] if isinstance(inputs, str) else inputs:
        name = os.fspath(item)
        if name == STDIN:
            yield from read_stdin(published)
        elif os.path.isdir(name):
            yield from read_folder(name, published)
        else:
            yield from read_file(name, published)


def count_documents(inputs: Sequence[str]) -> int | None:
    """Count the documents the inputs hold, cheaply, or None when that needs parsing (feeds, stdin)."""
    total = 0
    for item in [inputs] if isinstance(inputs, str) else inputs:
        name = os.fspath(item)
        if name == STDIN:
            return None
        paths = folder_files(name) if os.path.isdir(name) else [name]
        for path in paths:
            kind = FORMATS.get(os.path.splitext(path)[1].lower(), "sniff")
            if kind == "feed":
                return None
            total += _count_lines(path) if kind == "jsonl" and not_regular(path) is None else 1
    return total


def _count_lines(path: str) -> int:
    """Count a .jsonl file's non-blank lines (1 when it cannot be read: it is reported once)."""
    try:
        with open(path, "rb") as handle:
            return max(1, sum(1 for line in bounded_lines(handle) if line is None or line.strip()))
    except OSError:
        return 1
