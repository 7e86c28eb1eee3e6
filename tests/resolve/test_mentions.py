"""resolve/mentions.py: a document's raw mentions resolved once, in text order."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

from eventcoder.extract.mentions import RawMention, document_mentions
from eventcoder.resolve.actors import ActorMemory, capitals
from eventcoder.resolve.mentions import DocumentContext, resolve_mentions

EXTRACT = Path(__file__).parents[2] / "src" / "eventcoder" / "extract"


def resolve(nlp, gazetteer, text: str, published: dt.date | None = None):
    raw = document_mentions(nlp(text))
    context = DocumentContext("t", published, gazetteer, [], ActorMemory(capitals=capitals()))
    return raw, resolve_mentions(raw, context)


def test_mentions_extract_imports_nothing_of_resolve():
    imported = set()
    for path in EXTRACT.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                imported.add(node.module)
    assert imported
    assert not {m for m in imported if m.startswith("eventcoder.resolve")}


def test_mentions_raw_mentions_hold_words_not_identities(nlp, gazetteer):
    raw, resolved = resolve(nlp, gazetteer, "Kenyan police arrested six protesters in Mombasa.")
    assert all(isinstance(r, RawMention) for r in raw)
    assert raw[0].agent is not None
    assert raw[0].agent.text == "police"
    assert resolved[0].source is not None
    assert resolved[0].source.country == "KEN"
    assert resolved[0].location is not None
    assert resolved[0].location.name == "Mombasa"


def test_mentions_an_actor_named_earlier_keeps_its_country(nlp, gazetteer):
    text = "Russian President Vladimir Putin met the envoy in Moscow. Later Putin phoned the Turkish leader."
    _, resolved = resolve(nlp, gazetteer, text)
    last = resolved[-1]
    assert last.source is not None
    assert last.source.country == "RUS"
    assert last.source.sector == "GOV"


def test_mentions_linked_tellings_of_one_sentence_fold(nlp, gazetteer):
    raw, resolved = resolve(nlp, gazetteer, "Gunmen killed four villagers and wounded nine others in Kaduna.")
    assert len([r for r in raw if r.standalone]) == 2
    assert len(resolved) == 1
    assert (resolved[0].fatalities, resolved[0].injuries) == (4, 9)


def test_mentions_bare_toll_is_resolved_as_a_casualty_report(nlp, gazetteer):
    _, resolved = resolve(nlp, gazetteer, "Five soldiers dead, as well as one civilian.")
    (toll,) = resolved
    assert toll.casualty_report
    assert not toll.standalone
    assert toll.fatalities is not None
    assert toll.location is None
    assert toll.source is None


def test_mentions_date_in_the_clause_decides_historical(nlp, gazetteer):
    text = "Rebels attacked the town of Goma in March 2012."
    _, resolved = resolve(nlp, gazetteer, text, published=dt.date(2016, 5, 1))
    assert resolved[0].date is not None
    assert resolved[0].flags.historical


def test_mentions_the_partner_of_a_coordinated_pair_is_no_place(nlp, gazetteer):
    _, resolved = resolve(nlp, gazetteer, "Kenya and Uganda agreed to reopen the border crossing.")
    agreement = next(m for m in resolved if m.kind.type == "AGREE")
    assert agreement.target is not None
    assert agreement.target.country == "UGA"
    assert agreement.location is None or agreement.location.country != "UGA"
