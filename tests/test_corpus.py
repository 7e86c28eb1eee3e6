"""Code a corpus of sentences and short articles end to end, as a careful human coder would.

Cases live in tests/data/sentences.jsonl (one sentence or snippet a line) and
tests/data/articles/expected.jsonl (one .txt article a line). Each case may carry:

* ``expect``: objects that must each match a distinct event. A key absent from an object is
  not checked. Keys: type, mode, source_country, source_sector, target_country,
  target_sector, fatalities, injuries, negated, hypothetical, accidental, historical,
  location_country, date (compared with ``date.value``; null means unresolved or absent);
  substring keys, case- and accent-insensitive: source_contains and target_contains (actor
  text or name), location_name_contains (place name or text as written),
  attributed_to_contains (any speaker).
* ``forbid_types``: no event of these types at all.
* ``forbid_factual_types``: no event of these types unless it is flagged negated or
  hypothetical (threats, denials, plans).
* ``max_events_of_type``: at most this many events of a type: one record per real-world
  event, however many times the text tells it.
"""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from eventcoder.records import Actor, Document, Event

DATA = Path(__file__).parent / "data"
SENTENCES = DATA / "sentences.jsonl"
ARTICLES = DATA / "articles"
SCHEMA = DATA / "contract" / "event.schema.json"  # the bundled copy of shared/contract/

PLOVER_TYPES = {
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
}  # fmt: skip
EQUAL_KEYS = {
    "type", "mode", "source_country", "source_sector", "target_country", "target_sector",
    "fatalities", "injuries", "negated", "hypothetical", "accidental", "historical",
    "location_country", "date",
}  # fmt: skip
CONTAINS_KEYS = {
    "source_contains", "target_contains", "location_name_contains", "attributed_to_contains",
}  # fmt: skip
CASE_KEYS = {
    "id", "file", "text", "published", "expect", "note",
    "forbid_types", "forbid_factual_types", "max_events_of_type",
}  # fmt: skip


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    """Return the JSON objects of a .jsonl file, one a line."""
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def _cases() -> list[dict[str, Any]]:
    """Return every case, sentences then articles, each with `case_id` and `text`."""
    cases = []
    for row in _read_jsonl(SENTENCES):
        cases.append({**row, "case_id": f"sentence:{row['id']}"})
    for row in _read_jsonl(ARTICLES / "expected.jsonl"):
        text = (ARTICLES / row["file"]).read_text(encoding="utf-8")
        cases.append({**row, "case_id": f"article:{row['file']}", "text": text})
    return cases


def _known_failures() -> dict[str, str]:
    """Return case id -> cause for the cases listed in tests/data/known_failures.tsv."""
    path = Path(__file__).parent / "data" / "known_failures.tsv"
    rows = (line.split("\t", 1) for line in path.read_text(encoding="utf-8").splitlines())
    return {row[0]: row[1] for row in rows if len(row) == 2 and not row[0].startswith("#")}


Coded = dict[str, list[Event]]
CASES = _cases()
CASE_IDS = [case["case_id"] for case in CASES]
KNOWN_FAILURES = _known_failures()
CODED_CASES = [
    pytest.param(case, marks=pytest.mark.xfail(reason=KNOWN_FAILURES[case["case_id"]], strict=True))
    if case["case_id"] in KNOWN_FAILURES
    else case
    for case in CASES
]


def _fold(text: str | None) -> str:
    """Return text lower-cased, without accents, hyphens as spaces, for substring matching."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return bare.casefold().replace("-", " ")


def _actor_value(actor: Actor | None, field: str) -> str | None:
    """Return one field of an actor, None when there is no actor."""
    return getattr(actor, field) if actor is not None else None


def _observed(event: Event, key: str) -> Any:
    """Return the event's value for an expectation key."""
    flags = {"negated", "hypothetical", "accidental", "historical"}
    if key in flags:
        return getattr(event.flags, key)
    if key in {"type", "mode", "fatalities", "injuries"}:
        return getattr(event, key)
    if key.startswith(("source_", "target_")) and key not in CONTAINS_KEYS:
        role, field = key.split("_", 1)
        return _actor_value(getattr(event, role), field)
    if key == "location_country":
        return event.location.country if event.location else None
    if key == "date":
        return event.date.value if event.date else None
    if key in {"source_contains", "target_contains"}:
        actor = getattr(event, key.split("_")[0])
        return [actor.text, actor.name] if actor is not None else []
    if key == "location_name_contains":
        return [event.location.name, event.location.text] if event.location else []
    if key == "attributed_to_contains":
        return list(event.attributed_to)
    raise KeyError(key)


def _mismatches(expect: dict[str, Any], event: Event) -> list[str]:
    """Return one line per expectation key the event does not meet."""
    lines = []
    for key, wanted in expect.items():
        seen = _observed(event, key)
        if key in CONTAINS_KEYS:
            if not any(_fold(wanted) in _fold(value) for value in seen):
                lines.append(f"{key}: want {wanted!r} in {seen!r}")
        elif seen != wanted:
            lines.append(f"{key}: want {wanted!r}, got {seen!r}")
    return lines


def _assign(expects: list[dict[str, Any]], events: list[Event]) -> dict[int, int]:
    """Return a matching expect index -> distinct event index, as large as possible."""
    fits = [[j for j, ev in enumerate(events) if not _mismatches(ex, ev)] for ex in expects]
    owner: dict[int, int] = {}

    def place(i: int, seen: set[int]) -> bool:
        for j in fits[i]:
            if j not in seen:
                seen.add(j)
                if j not in owner or place(owner[j], seen):
                    owner[j] = i
                    return True
        return False

    for i in range(len(expects)):
        place(i, set())
    return {i: j for j, i in owner.items()}


def _describe(event: Event) -> str:
    """Return a one-line summary of an event for failure messages."""
    src = event.source.code or event.source.text if event.source else None
    tgt = event.target.code or event.target.text if event.target else None
    place = f"{event.location.name}/{event.location.country}" if event.location else None
    on = event.date.value if event.date else None
    flags = [name for name, on_ in event.flags.to_dict().items() if on_]
    return (
        f"{event.type}/{event.mode} {src} -> {tgt} at {place} on {on} "
        f"killed={event.fatalities} hurt={event.injuries} flags={flags} "
        f"said_by={list(event.attributed_to)} evidence={[s.text for s in event.evidence][:2]}"
    )


def _document(case: dict[str, Any]) -> Document:
    """Return the Document for a case."""
    published = dt.date.fromisoformat(case["published"]) if case.get("published") else None
    return Document(id=case["case_id"], text=case["text"], published=published)


@pytest.fixture(scope="session")
def coded() -> dict[str, list[Event]]:
    """Code every case once with the real pipeline; return events by case id."""
    from eventcoder.pipeline import code_documents

    try:
        results = {doc.id: events for doc, events in code_documents(_document(c) for c in CASES)}
    except NotImplementedError:
        pytest.skip("eventcoder.pipeline.code_documents is not implemented yet")
    return results


def _problems(case: dict[str, Any], events: list[Event]) -> Iterator[str]:
    """Yield every way the events fall short of the case's expectations."""
    expects = case.get("expect", [])
    matched = _assign(expects, events)
    for i, expect in enumerate(expects):
        if i in matched:
            continue
        same_type = [ev for ev in events if ev.type == expect["type"]]
        yield f"no event matches {expect}"
        if not same_type:
            yield f"  (no {expect['type']} event at all)"
        for ev in same_type:
            yield f"  closest {_describe(ev)}: " + "; ".join(_mismatches(expect, ev))
    for ev in events:
        if ev.type in case.get("forbid_types", []):
            yield f"forbidden type: {_describe(ev)}"
        factual = not (ev.flags.negated or ev.flags.hypothetical)
        if ev.type in case.get("forbid_factual_types", []) and factual:
            yield f"forbidden as a fact (not negated or hypothetical): {_describe(ev)}"
    counts = Counter(ev.type for ev in events)
    for kind, most in case.get("max_events_of_type", {}).items():
        if counts[kind] > most:
            told = [_describe(ev) for ev in events if ev.type == kind]
            yield f"{counts[kind]} {kind} events, at most {most} real ones: {told}"


@pytest.mark.slow
@pytest.mark.parametrize("case", CODED_CASES, ids=CASE_IDS)
def test_corpus_case_coded_as_careful_coder(case: dict[str, Any], coded: Coded) -> None:
    events = coded[case["case_id"]]
    problems = list(_problems(case, events))
    all_events = "\n".join(f"  got {_describe(ev)}" for ev in events) or "  got no events"
    assert not problems, f"{case['text'][:160]!r}\n" + "\n".join(problems) + "\n" + all_events


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_corpus_records_match_contract_schema(case: dict[str, Any], coded: Coded) -> None:
    if not SCHEMA.is_file():
        pytest.skip(f"contract schema not found at {SCHEMA}; copy shared/contract/event.schema.json there")
    import jsonschema

    validator = jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))
    for event in coded[case["case_id"]]:
        record = event.to_dict()
        errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(record)]
        assert not errors, f"{_describe(event)}\n" + "\n".join(errors)


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_corpus_evidence_spans_slice_document_text(case: dict[str, Any], coded: Coded) -> None:
    for event in coded[case["case_id"]]:
        assert event.doc_id == case["case_id"]
        assert event.evidence, f"no evidence: {_describe(event)}"
        for span in event.evidence:
            assert case["text"][span.start : span.end] == span.text, _describe(event)


def test_corpus_cases_are_well_formed() -> None:
    sentences = [c for c in CASES if c["case_id"].startswith("sentence:")]
    articles = [c for c in CASES if c["case_id"].startswith("article:")]
    quiet = [c for c in sentences if not c["expect"] and "ASSAULT" in c.get("forbid_types", [])]
    assert len(sentences) >= 45
    assert len(articles) >= 6
    assert len(quiet) >= 10
    assert len(set(CASE_IDS)) == len(CASE_IDS)
    for case in CASES:
        assert set(case) - {"case_id"} <= CASE_KEYS, case["case_id"]
        assert case["text"].strip(), case["case_id"]
        if case.get("published"):
            dt.date.fromisoformat(case["published"])
        named = set(case.get("forbid_types", [])) | set(case.get("forbid_factual_types", []))
        named |= set(case.get("max_events_of_type", {}))
        for expect in case["expect"]:
            assert set(expect) <= EQUAL_KEYS | CONTAINS_KEYS, (case["case_id"], expect)
            named.add(expect["type"])
        assert named <= PLOVER_TYPES, (case["case_id"], named - PLOVER_TYPES)
