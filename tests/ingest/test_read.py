"""Tests of eventcoder.ingest.read: every input kind, and bad inputs that never stop a batch."""

from __future__ import annotations

import datetime as dt
import io
import json
import sys
from pathlib import Path

import pytest

from eventcoder.errors import BadDocument
from eventcoder.ingest.read import iter_documents
from eventcoder.records import Document

GOOD_TEXT = "Gunmen attacked a police post in the north on Friday, killing two officers.\n"
OTHER_TEXT = "Protesters marched to parliament on Saturday to demand new elections.\n"


def read_all(inputs, published=None):
    """Return every item iter_documents yields for the inputs."""
    return list(iter_documents([str(i) for i in inputs], published))


def write(path: Path, content: str | bytes) -> Path:
    """Write text (UTF-8) or bytes to a file and return its path."""
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def test_read_txt_file_gives_its_cleaned_text_and_path_as_id(tmp_path):
    path = write(tmp_path / "story.txt", "You are here\r\n\r\nHeadline\r\n\r\n" + GOOD_TEXT)
    [doc] = read_all([path])
    assert isinstance(doc, Document)
    assert doc.id == str(path)
    assert doc.text == "Headline\n\n" + GOOD_TEXT.strip()
    assert doc.title is None
    assert doc.url is None


def test_read_txt_file_takes_the_published_argument(tmp_path):
    path = write(tmp_path / "story.txt", GOOD_TEXT)
    [doc] = read_all([path], dt.date(2017, 2, 9))
    assert isinstance(doc, Document)
    assert doc.published == dt.date(2017, 2, 9)


def test_read_keeps_the_path_as_given(tmp_path, monkeypatch):
    write(tmp_path / "story.txt", GOOD_TEXT)
    monkeypatch.chdir(tmp_path)
    [doc] = list(iter_documents(["./story.txt"]))
    assert isinstance(doc, Document)
    assert doc.id == "./story.txt"


def test_read_html_file_drops_page_furniture(ingest_data):
    path = ingest_data / "seed_page.html"
    [doc] = read_all([path], dt.date(2017, 2, 9))
    assert isinstance(doc, Document)
    assert doc.id == str(path)
    assert doc.title is not None
    assert doc.text.startswith(doc.title + "\n\n")
    assert doc.published == dt.date(2017, 2, 9)
    for furniture in ("You are here", "Share on Facebook", "Bomb kills 12", "cookies"):
        assert furniture not in doc.text


@pytest.mark.parametrize("suffix", [".htm", ".HTML"])
def test_read_html_suffixes(tmp_path, suffix):
    page = f"<html><body><article><p>{GOOD_TEXT}</p></article></body></html>"
    [doc] = read_all([write(tmp_path / f"page{suffix}", page)])
    assert isinstance(doc, Document)
    assert doc.text == GOOD_TEXT.strip()


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("saved.php", f"<!DOCTYPE html><html><body><p>{GOOD_TEXT}</p></body></html>", GOOD_TEXT),
        (
            "notes.md",
            "Headline <b>bold</b>\n\n" + GOOD_TEXT,
            "Headline <b>bold</b>\n\n" + GOOD_TEXT,
        ),
        ("wire", GOOD_TEXT, GOOD_TEXT),
    ],
)
def test_read_other_files_are_sniffed_as_html_or_text(tmp_path, name, content, expected):
    [doc] = read_all([write(tmp_path / name, content)])
    assert isinstance(doc, Document)
    assert doc.text == expected.strip()


def test_read_jsonl_yields_each_line_in_order(ingest_data):
    path = ingest_data / "batch.jsonl"
    items = read_all([path], dt.date(2020, 1, 1))
    ids = [item.id if isinstance(item, Document) else item.doc_id for item in items]
    assert ids == [
        "lagos-arrests",
        "goma-page",
        f"{path}:3",
        "bad-date",
        "no-text",
        "blank",
        f"{path}:7",
        "42",
        f"{path}:10",
    ]
    kinds = [type(item).__name__ for item in items]
    assert kinds == [
        "Document",
        "Document",
        "BadDocument",
        "BadDocument",
        "BadDocument",
        "BadDocument",
        "Document",
        "Document",
        "BadDocument",
    ]


def test_read_jsonl_keeps_the_fields_of_a_line(ingest_data):
    docs = {d.id: d for d in read_all([ingest_data / "batch.jsonl"]) if isinstance(d, Document)}
    lagos = docs["lagos-arrests"]
    assert lagos.title == "Lagos police arrest 14 protesters"
    assert lagos.url == "https://news.example.org/lagos"
    assert lagos.published == dt.date(2021, 3, 1)
    assert lagos.text.startswith("Police arrested 14 protesters in Lagos on Monday")
    assert "\r" not in lagos.text


def test_read_jsonl_html_line_is_extracted(ingest_data):
    docs = {d.id: d for d in read_all([ingest_data / "batch.jsonl"]) if isinstance(d, Document)}
    goma = docs["goma-page"]
    assert goma.text.startswith("Shelling near Goma kills four\n\nArtillery shells struck")
    assert goma.title == "Shelling near Goma kills four"
    assert "Home" not in goma.text
    assert "All rights reserved" not in goma.text


def test_read_jsonl_own_date_wins_over_the_argument(ingest_data):
    docs = read_all([ingest_data / "batch.jsonl"], dt.date(2020, 1, 1))
    dates = {d.id: d.published for d in docs if isinstance(d, Document)}
    assert dates["lagos-arrests"] == dt.date(2021, 3, 1)
    assert dates["42"] == dt.date(2020, 1, 1)


@pytest.mark.parametrize(
    ("doc_id", "words"),
    [
        (":3", ["line 3", "invalid JSON"]),
        ("bad-date", ["line 4", "'March 3rd'", "YYYY-MM-DD"]),
        ("no-text", ["line 5", '"text"', '"html"']),
        ("blank", ["empty document: no text after cleaning"]),
        (":10", ["line 10", "JSON object"]),
    ],
)
def test_read_jsonl_bad_lines_name_the_reason(ingest_data, doc_id, words):
    bad = [b for b in read_all([ingest_data / "batch.jsonl"]) if isinstance(b, BadDocument)]
    [item] = [b for b in bad if b.doc_id.endswith(doc_id)]
    assert str(item).startswith(f"{item.doc_id}: ")
    for word in words:
        assert word in item.reason


def test_read_jsonl_accepts_a_timestamp_as_published(tmp_path):
    line = '{"id": "a", "text": "Troops withdrew.", "published": "2021-03-01T10:00:00Z"}\n'
    [doc] = read_all([write(tmp_path / "a.jsonl", line)])
    assert isinstance(doc, Document)
    assert doc.published == dt.date(2021, 3, 1)


def test_read_jsonl_invalid_utf8_line_spares_the_others(tmp_path):
    data = (
        b'{"id": "a", "text": "Troops withdrew."}\n'
        b'{"id": "b", "text": "caf\xe9 bombed"}\n'
        b'{"id": "c", "text": "Police withdrew."}\n'
    )
    items = read_all([write(tmp_path / "mixed.jsonl", data)])
    assert [type(i).__name__ for i in items] == ["Document", "BadDocument", "Document"]
    bad = items[1]
    assert isinstance(bad, BadDocument)
    assert bad.doc_id == f"{tmp_path / 'mixed.jsonl'}:2"
    assert "not valid UTF-8" in bad.reason


def test_read_rss_feed_gives_one_document_per_entry(ingest_data):
    docs = read_all([ingest_data / "feed.rss"], dt.date(2023, 8, 1))
    assert all(isinstance(d, Document) for d in docs)
    assert [d.id for d in docs if isinstance(d, Document)] == [
        "wire-2023-0719-nairobi",
        "https://wire.example.net/2023/07/kandahar-mine",
        "https://wire.example.net/2023/07/brussels-grain",
    ]
    nairobi, kandahar, brussels = (d for d in docs if isinstance(d, Document))
    assert nairobi.published == dt.date(2023, 7, 19)
    assert nairobi.url == "https://wire.example.net/2023/07/nairobi-protest"
    assert nairobi.title == "Protesters clash with police in Nairobi"
    assert nairobi.text.startswith(
        "Protesters clash with police in Nairobi\n\nPolice fired tear gas at hundreds"
    )
    assert nairobi.text.endswith("Officers arrested at least 30 people, a police spokesman said.")
    assert kandahar.text.endswith("wounding three shepherds, a provincial spokesman said.")
    assert brussels.text == "Ministers meet in Brussels over grain deal"
    assert brussels.published == dt.date(2023, 8, 1)


def test_read_atom_feed_gives_one_document_per_entry(ingest_data):
    docs = [d for d in read_all([ingest_data / "feed.atom"]) if isinstance(d, Document)]
    assert [d.id for d in docs] == [
        "urn:frontline:2024-02-02-kherson",
        "urn:frontline:2024-02-01-doha",
    ]
    kherson, doha = docs
    assert kherson.published == dt.date(2024, 2, 2)
    assert kherson.url == "https://frontline.example.com/kherson-depot"
    assert "<p>" not in kherson.text
    assert kherson.text.endswith("regional officials said.\n\nNo casualties were reported.")
    assert doha.published == dt.date(2024, 2, 1)
    assert doha.text == (
        "Talks resume in Doha\n\nNegotiators resumed indirect talks in Doha on Thursday, mediators said."
    )


def test_read_folder_reads_supported_files_recursively_in_order(tmp_path):
    folder = tmp_path / "inbox"
    (folder / "b" / "deep").mkdir(parents=True)
    (folder / ".hidden").mkdir()
    write(folder / "b" / "deep" / "c.txt", OTHER_TEXT)
    write(folder / "a.txt", GOOD_TEXT)
    write(folder / "b" / "page.html", f"<html><body><p>{OTHER_TEXT}</p></body></html>")
    write(folder / "b" / "docs.jsonl", '{"id": "j1", "text": "Troops withdrew."}\n')
    write(folder / "notes.md", "not read from a folder")
    write(folder / "photo.png", b"\x89PNG\r\n\x1a\n\x00\x00")
    write(folder / ".hidden" / "x.txt", GOOD_TEXT)
    items = read_all([folder])
    assert all(isinstance(i, Document) for i in items)
    assert [i.id for i in items if isinstance(i, Document)] == [
        str(folder / "a.txt"),
        str(folder / "b" / "deep" / "c.txt"),
        "j1",
        str(folder / "b" / "page.html"),
    ]


def test_read_empty_folder_is_reported(tmp_path):
    [bad] = read_all([tmp_path])
    assert isinstance(bad, BadDocument)
    assert bad.doc_id == str(tmp_path)
    assert "no readable files" in bad.reason
    assert ".txt" in bad.reason


def stdin_of(monkeypatch, data: bytes) -> None:
    """Make standard input read the given bytes."""
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


def test_read_stdin_is_one_document_with_id_dash(monkeypatch):
    stdin_of(monkeypatch, ("Advertisement\n" + GOOD_TEXT).encode())
    [doc] = list(iter_documents(["-"], dt.date(2024, 5, 1)))
    assert isinstance(doc, Document)
    assert doc.id == "-"
    assert doc.text == GOOD_TEXT.strip()
    assert doc.published == dt.date(2024, 5, 1)


def test_read_stdin_html_is_extracted(monkeypatch):
    stdin_of(monkeypatch, f"<html><body><nav>Home</nav><p>{GOOD_TEXT}</p></body></html>".encode())
    [doc] = list(iter_documents(["-"]))
    assert isinstance(doc, Document)
    assert doc.text == GOOD_TEXT.strip()


def test_read_stdin_invalid_utf8_is_reported(monkeypatch):
    stdin_of(monkeypatch, b"Caf\xe9 bombed on Monday.")
    [bad] = list(iter_documents(["-"]))
    assert isinstance(bad, BadDocument)
    assert bad.doc_id == "-"
    assert "not valid UTF-8 at byte 3" in bad.reason


def test_read_utf8_bom_is_dropped(tmp_path):
    [doc] = read_all([write(tmp_path / "bom.txt", b"\xef\xbb\xbf" + GOOD_TEXT.encode())])
    assert isinstance(doc, Document)
    assert doc.text == GOOD_TEXT.strip()


def test_read_utf16_with_bom_is_decoded(tmp_path):
    [doc] = read_all([write(tmp_path / "wide.txt", GOOD_TEXT.encode("utf-16"))])
    assert isinstance(doc, Document)
    assert doc.text == GOOD_TEXT.strip()


# name, content, words the reason must contain
BAD_INPUTS = [
    ("missing.txt", None, ["cannot read file: No such file or directory", "check the path"]),
    ("latin1.txt", "Caf\u00e9 bombed".encode("latin-1"), ["not valid UTF-8 at byte 3", "UTF-8"]),
    ("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), ["binary file"]),
    ("controls.txt", bytes([1, 2, 3, 4, 5, 6, 7]) * 50, ["binary file, not text"]),
    ("blank.txt", "  \n\n\u00a0\t\n", ["empty document: no text after cleaning"]),
    ("furniture.txt", "You are here\nShare this article\nAdvertisement\n", ["empty document"]),
    ("nav.html", "<html><body><nav><a href='/'>Home</a></nav></body></html>", ["empty document"]),
    ("binary.jsonl", b'{"id": "x"}\x00\x00\x00' * 20, ["binary file"]),
    ("plain.rss", "This is not a feed at all.", ["not an RSS or Atom feed"]),
    ("broken.xml", "<rss><channel><item><title>x</ti", ["not an RSS or Atom feed"]),
    ("binary.atom", b"\x00\x01\x02" * 100, ["binary file"]),
]


@pytest.mark.parametrize(("name", "content", "words"), BAD_INPUTS)
def test_read_bad_input_is_reported_and_the_batch_goes_on(tmp_path, name, content, words):
    before = write(tmp_path / "before.txt", GOOD_TEXT)
    after = write(tmp_path / "after.txt", OTHER_TEXT)
    bad_path = tmp_path / name
    if content is not None:
        write(bad_path, content)
    items = read_all([before, bad_path, after])
    assert [type(i).__name__ for i in items] == ["Document", "BadDocument", "Document"]
    first, bad, last = items
    assert isinstance(first, Document)
    assert isinstance(last, Document)
    assert (first.text, last.text) == (GOOD_TEXT.strip(), OTHER_TEXT.strip())
    assert isinstance(bad, BadDocument)
    assert bad.doc_id == str(bad_path)
    assert str(bad) == f"{bad_path}: {bad.reason}"
    for word in words:
        assert word in bad.reason


def test_read_directory_as_a_bad_file_name_is_not_confused(tmp_path):
    [bad] = read_all([tmp_path / "nope" / "story.html"])
    assert isinstance(bad, BadDocument)
    assert "cannot read file" in bad.reason


def test_read_a_bare_path_string_is_one_input(tmp_path):
    path = write(tmp_path / "story.txt", GOOD_TEXT)
    [doc] = list(iter_documents(str(path)))
    assert isinstance(doc, Document)
    assert doc.id == str(path)


def test_read_jsonl_brackets_inside_strings_do_not_count_as_nesting(tmp_path):
    text = "Troops withdrew. " + "[{" * 200
    path = write(tmp_path / "docs.jsonl", json.dumps({"id": "a", "text": text}) + "\n")
    [doc] = read_all([path])
    assert isinstance(doc, Document)
    assert doc.id == "a"


def test_read_count_documents_counts_lines_and_files_but_not_feeds(tmp_path, ingest_data):
    from eventcoder.ingest.read import count_documents

    folder = tmp_path / "in"
    folder.mkdir()
    write(folder / "a.txt", GOOD_TEXT)
    write(folder / "b.jsonl", '{"id": "x", "text": "a"}\n\n{"id": "y", "text": "b"}\n')
    assert count_documents([str(folder)]) == 3
    assert count_documents([str(folder), str(ingest_data / "feed.rss")]) is None
    assert count_documents(["-"]) is None


def test_read_published_argument_out_of_range_is_refused():
    with pytest.raises(ValueError, match=r"published 0001-01-10 is outside 1800-01-01\.\.2199-12-31"):
        list(iter_documents(["-"], dt.date(1, 1, 10)))
