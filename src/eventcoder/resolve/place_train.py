"""Train the place ranker from geoparsing gold (LGL, GeoVirus) and ACLED notes (event coordinates).

Each detected toponym that overlaps a gold toponym becomes one group: its gazetteer candidates'
feature rows and the index of the right one (the gold GeoNames id, else the candidate nearest the
gold point within `RIGHT_KM`). An ACLED note has one gold point, the event's: a toponym of the note
counts only when one of its candidates lies within `ACLED_KM` of it. Only the training part of the
fixed document split (`place_corpora.split_of`) is read.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from eventcoder.classify.model import LearnedModel
from eventcoder.resolve.gazetteer import Candidate, Gazetteer
from eventcoder.resolve.place_corpora import Article, GoldToponym, distance_km, split_of
from eventcoder.resolve.places import (
    FEATURES,
    choices,
    context_countries,
    doc_places,
    document_countries,
    features,
)
from eventcoder.resolve.rank import NAME, VERSION, Group, Ranker, accuracy, fit

RIGHT_KM = 161.0
ACLED_KM = 25.0
VALIDATION_SHARE = 0.15


@dataclass(frozen=True, slots=True)
class TrainingSet:
    """Groups by source, and how many gold toponyms each source offered."""

    groups: dict[str, list[Group]]
    gold: dict[str, int]


def _right(cands: Sequence[Candidate], gold: GoldToponym, km: float) -> int:
    """Return the index of the right candidate: same GeoNames id, else the nearest within km; -1."""
    if gold.geonameid is not None:
        for k, c in enumerate(cands):
            if c.geonameid == gold.geonameid:
                return k
    dist = [distance_km(c.lat, c.lon, gold.lat, gold.lon) for c in cands]
    k = min(range(len(cands)), key=dist.__getitem__)
    return k if dist[k] <= km else -1


def doc_groups(
    doc: Any,
    gazetteer: Gazetteer,
    gold: Sequence[GoldToponym],
    km: float,
    any_span: bool,
    country_model: LearnedModel | None = None,
) -> list[Group]:
    """Return the groups of one parsed document: toponyms overlapping gold (any_span: every toponym)."""
    state = doc_places(doc, gazetteer)
    countries = context_countries(doc, document_countries(doc, gazetteer), country_model)
    out: list[Group] = []
    for n, m in enumerate(state.mentions):
        cands = choices(state, n, countries)
        if m.demonym or len(cands) < 2:
            continue
        g = (
            gold[0]
            if any_span and gold
            else next((t for t in gold if t.start < m.end_char and m.start_char < t.end), None)
        )
        if g is None:
            continue
        right = _right(cands, g, km)
        if right >= 0:
            out.append(([features(state, n, c, countries) for c in cands], right))
    return out


def corpus_groups(
    nlp: Any, gazetteer: Gazetteer, articles: Iterable[Article], country_model: LearnedModel | None = None
) -> tuple[list[Group], int]:
    """Return the groups and the gold count of a geoparsing corpus's training part."""
    chosen = [(t, g) for t, g in articles if split_of(t) == "train"]
    out: list[Group] = []
    for doc, (_t, gold) in zip(nlp.pipe(t for t, _ in chosen), chosen, strict=True):
        out += doc_groups(doc, gazetteer, gold, RIGHT_KM, any_span=False, country_model=country_model)
    return out, sum(len(g) for _t, g in chosen)


def acled_groups(
    nlp: Any,
    gazetteer: Gazetteer,
    notes: Iterable[tuple[str, str, float, float]],
    country_model: LearnedModel | None = None,
) -> tuple[list[Group], int]:
    """Return the groups of ACLED notes (id, text, lat, lon) in the training part of the split."""
    chosen = [(text, lat, lon) for nid, text, lat, lon in notes if split_of(nid) == "train"]
    out: list[Group] = []
    for doc, (_t, lat, lon) in zip(nlp.pipe(t for t, _la, _lo in chosen), chosen, strict=True):
        point = [GoldToponym(0, 0, lat, lon)]
        out += doc_groups(doc, gazetteer, point, ACLED_KM, any_span=True, country_model=country_model)
    return out, len(chosen)


def split_validation(groups: Sequence[Group]) -> tuple[list[Group], list[Group]]:
    """Return (train, validation): every n-th group held out for the card's figure."""
    step = round(1 / VALIDATION_SHARE)
    return [g for k, g in enumerate(groups) if k % step], [g for k, g in enumerate(groups) if not k % step]


def train_ranker(data: TrainingSet, sources: dict[str, str]) -> Ranker:
    """Fit the ranker on every source's groups; the card tells sizes and validation accuracy."""
    everything = [g for groups in data.groups.values() for g in groups]
    train, validation = split_validation(everything)
    check = Ranker(FEATURES, fit(train, FEATURES))
    weights = fit(everything, FEATURES)
    card = {
        "trained": dt.date.today().isoformat(),
        "task": "pick the GeoNames candidate of a toponym among the gazetteer's candidates",
        "sources": sources,
        "toponyms": {name: len(groups) for name, groups in data.groups.items()},
        "gold_offered": data.gold,
        "validation_top1": round(accuracy(check, validation), 4),
        "validation_groups": len(validation),
        "weights": {f: round(float(w), 4) for f, w in zip(FEATURES, weights, strict=True)},
    }
    return Ranker(FEATURES, weights, NAME, VERSION, card)


def country_examples(
    notes: Iterable[tuple[str, str, str]], articles: Iterable[Article]
) -> tuple[list[tuple[str, str]], dict[str, int]]:
    """Return the country head's (text, ISO3) examples of the training part and their count per source.

    `notes` are ACLED (id, text, ISO3); an article counts under the country most of its gold
    toponyms lie in (LGL codes each toponym's country), and not at all without one.
    """
    out = [(text, iso3) for nid, text, iso3 in notes if iso3 and split_of(nid) == "train"]
    counts = {"acled": len(out)}
    for text, gold in articles:
        named = Counter(g.country for g in gold if g.country)
        if named and split_of(text) == "train":
            out.append((text, named.most_common(1)[0][0]))
    counts["articles"] = len(out) - counts["acled"]
    return out, counts
