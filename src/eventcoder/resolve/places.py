"""Place resolution: gazetteer places named in a sentence, disambiguated and ranked.

spaCy's entity labels are not trusted ("al-Bab" comes out as PERSON): the sentence is scanned
for capitalised n-grams (with glued article prefixes such as "al-") and every one the gazetteer
knows is a mention. Mentions are filtered (stoplist, titles, demonyms, sentence-initial common
words, actor spans), candidates are scored (document countries, population, a stated country or
region, "X province"), and places are ranked: locative ones first ("in", "near", "the X area"),
then the most specific.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from eventcoder import ontology
from eventcoder.records import Place
from eventcoder.resolve.countries import country_of, is_demonym, load_demonyms
from eventcoder.resolve.gazetteer import ARTICLES, Candidate, Gazetteer, Kind, normalize

MAX_WORDS = 4  # words in a place name, hyphens and glued articles not counted
MAX_TOKENS = 8
LOCATIVE_PREPS = frozenset(
    [
        "in",
        "near",
        "at",
        "outside",
        "around",
        "across",
        "into",
        "from",
        "inside",
        "within",
        "throughout",
        "toward",
        "towards",
        "between",
        "along",
        "through",
        "off",
        "nearby",
        "beyond",
        "to",
    ]
)
# nouns whose "of" or compound makes a name a place: "the city of X", "the X area"
PLACE_NOUNS = frozenset(
    [
        "area",
        "city",
        "town",
        "village",
        "province",
        "region",
        "district",
        "state",
        "governorate",
        "county",
        "suburb",
        "suburbs",
        "outskirts",
        "countryside",
        "border",
        "capital",
        "oblast",
        "municipality",
        "neighbourhood",
        "neighborhood",
        "camp",
        "north",
        "south",
        "east",
        "west",
        "northeast",
        "northwest",
        "southeast",
        "southwest",
        "centre",
        "center",
        "heart",
        "streets",
        "outside",
        "vicinity",
        "part",
        "parts",
    ]
)
ADMIN_NOUNS = frozenset(["province", "state", "governorate", "region", "oblast", "county", "department"])
CITY_NOUNS = frozenset(["city", "town", "village"])
# lowercase words allowed inside a name: "Rio de Janeiro", "Deir ez-Zor", "Bay of Biscay"
GLUE = ARTICLES | frozenset(
    [
        "de",
        "del",
        "da",
        "do",
        "dos",
        "das",
        "di",
        "du",
        "la",
        "le",
        "les",
        "los",
        "las",
        "of",
        "upon",
        "on",
        "y",
    ]
)
PROPER_LABELS = frozenset({"GPE", "LOC", "FAC"})
CONTAINER_LABELS = frozenset({"PERSON", "ORG", "NORP", "WORK_OF_ART", "EVENT", "PRODUCT", "LAW"})
KIND_RANK: dict[Kind, int] = {"city": 2, "admin1": 1, "country": 0}
# a place named only in passing must be well known or in the story's countries to count
MIN_PASSING_POPULATION = 50_000
# a name found inside a longer capitalised phrase must be this big, or in the story's countries
MIN_PARTIAL_POPULATION = 100_000
# a town found by one of its alternate names yields to towns of that very name ("Batna" is not Patna)
ALTERNATE_NAME_PENALTY = 1.5
FUNCTION_POS = frozenset({"ADP", "DET", "PRON", "CCONJ", "SCONJ", "AUX", "VERB", "ADV", "PART"})
# "48km N of X", "116 km east of X", "some 110 kilometres south of X": X is a reference point
_REFERENCE = re.compile(
    r"(\d+(?:[.,]\d+)?)\s*-?\s*(km|kms|kilomet(?:er|re)s?|mi|miles?)\.?\s+(?:to\s+the\s+)?"
    r"(north(?:[- ]?(?:east|west))?|south(?:[- ]?(?:east|west))?|east|west|[NS][EW]?|[EW])?"
    r"\s*(?:of|from)\s+(?:the\s+)?(?:town\s+of\s+|city\s+of\s+)?$",
    re.IGNORECASE,
)
BEARINGS = {"n": 0.0, "ne": 45.0, "e": 90.0, "se": 135.0, "s": 180.0, "sw": 225.0, "w": 270.0, "nw": 315.0}
MILE_KM = 1.609344


@dataclass(frozen=True, slots=True)
class _Mention:
    """A place name found in a sentence, with its candidates and context."""

    start: int  # token index in the doc
    end: int  # token index in the doc, exclusive
    start_char: int
    end_char: int
    text: str
    candidates: tuple[Candidate, ...]
    locative: str | None  # the preposition or construction that ties it to the sentence
    prefer: Kind | None  # "X province" -> admin1, "the city of X" -> city
    partial: bool = False  # a part of a longer capitalised phrase ("Haram" of "Boko Haram")
    reference: tuple[float, float | None] | None = None  # "48 km north of X": (km, bearing)


@lru_cache(maxsize=4)
def _word_list(name: str) -> frozenset[str]:
    """Read a one-entry-a-line data file (comments start with #) as normalised names."""
    text = resources.files("eventcoder.resolve").joinpath("data", name).read_text("utf-8")
    lines = (line.strip() for line in text.splitlines())
    return frozenset(normalize(line) for line in lines if line and not line.startswith("#"))


def stoplist() -> frozenset[str]:
    """Return the normalised names never taken as places."""
    return _word_list("stoplist.txt")


def place_words() -> frozenset[str]:
    """Return the words that may stand beside a place name in a capitalised phrase."""
    return _word_list("place_words.txt")


def person_titles() -> frozenset[str]:
    """Return the words that make the capitalised name after them a person."""
    return _word_list("titles.txt")


def _is_cap(tok: Any) -> bool:
    """Tell whether a token can be a word of a place name: capitalised letters or digits."""
    text: str = tok.text
    return bool(text) and text[0].isupper() and any(ch.isalpha() for ch in text)


def _is_glue(tok: Any) -> bool:
    """Tell whether a token may sit inside a name: a hyphen or a lowercase particle."""
    text: str = tok.text
    return text in {"-", "\u2010", "\u2011"} or (text.islower() and text in GLUE)


def _can_start(doc: Any, i: int, end: int) -> bool:
    """Tell whether a name may start at token i: a capital, or "al-" glued to a capital."""
    tok = doc[i]
    if _is_cap(tok):
        return True
    text: str = tok.text
    return (
        text.lower() in ARTICLES
        and i + 2 < end
        and doc[i + 1].text in {"-", "\u2010", "\u2011"}
        and _is_cap(doc[i + 2])
    )


def _spans(doc: Any, start: int, end: int) -> list[tuple[int, int]]:
    """Return candidate name spans (token indices) from i, longest first."""
    out: list[tuple[int, int]] = []
    for i in range(start, end):
        if not _can_start(doc, i, end):
            continue
        words = 0
        for j in range(i, min(end, i + MAX_TOKENS)):
            tok = doc[j]
            if _is_cap(tok):
                words += 1
            elif not (_is_glue(tok) or (j == i and tok.text.lower() in ARTICLES)):
                break
            if words > MAX_WORDS:
                break
            # a name cannot run across whitespace-free punctuation joins other than hyphens
            if j > i and not doc[j - 1].whitespace_ and not _is_glue(tok) and not _is_glue(doc[j - 1]):
                break
            if _is_cap(tok):
                out.append((i, j + 1))
    # longest first, then leftmost: the scan keeps the first that the gazetteer knows
    out.sort(key=lambda s: (s[0], -(s[1] - s[0])))
    return out


def _container(doc: Any, start: int, end: int) -> Any | None:
    """Return a multi-token person/organisation entity that strictly contains the span."""
    for ent in doc.ents:
        if ent.label_ not in CONTAINER_LABELS or len(ent) < 2:
            continue
        if ent.start <= start and end <= ent.end and (ent.start, ent.end) != (start, end):
            return ent
    return None


def _locative(doc: Any, start: int, end: int) -> str | None:
    """Name the construction that ties a span to its sentence as a place, or None."""
    root = next((t for t in doc[start:end] if not (start <= t.head.i < end)), doc[end - 1])
    tok = root
    for _ in range(5):
        head = tok.head
        if head.i == tok.i:
            return None
        head_lower: str = head.lower_
        if tok.dep_ == "pobj" and head_lower in LOCATIVE_PREPS:
            return head_lower
        if tok.dep_ == "pobj" and head_lower == "of" and head.head.lemma_.lower() in PLACE_NOUNS:
            return f"{head.head.lower_} of"
        if tok.dep_ in {"compound", "amod", "nmod", "appos", "conj", "poss", "npadvmod"}:
            tok = head
            continue
        if tok.dep_ == "pobj" and head_lower == "of":
            tok = head.head
            continue
        if head.lemma_.lower() in PLACE_NOUNS and tok.dep_ in {"prep", "pobj"}:
            tok = head
            continue
        if tok.dep_ == "dobj" and head.pos_ == "VERB":
            # "shelled Donetsk": a weaker tie than a preposition (see _TIE)
            return f"object of '{head.lower_}'"
        return None
    return None


def _preferred_kind(doc: Any, start: int, end: int) -> Kind | None:
    """Return the kind a neighbouring noun asks for: "X province", "the city of X"."""
    if end < len(doc):
        after = doc[end].lower_
        if after in ADMIN_NOUNS:
            return "admin1"
        if after in CITY_NOUNS:
            return "city"
    if start >= 2 and doc[start - 1].lower_ == "of":
        before = doc[start - 2].lower_
        if before in ADMIN_NOUNS:
            return "admin1"
        if before in CITY_NOUNS:
            return "city"
    return None


def _sentence_initial(doc: Any, start: int, sent_start: int) -> bool:
    """Tell whether only punctuation stands between the sentence start and token start."""
    return all(doc[k].is_punct or doc[k].is_space for k in range(sent_start, start))


def _person(doc: Any, start: int, end: int) -> bool:
    """Tell whether spaCy tags the span as (part of) a person's name."""
    return all(t.ent_type_ == "PERSON" for t in doc[start:end])


def _inside_institution(doc: Any, start: int, end: int) -> bool:
    """Tell whether the span is part of a capitalised institution name ("Russian Air Force")."""
    sectors = ontology.sectors()
    left, right = start, end
    while left > 0 and _is_cap(doc[left - 1]):
        left -= 1
    while right < len(doc) and _is_cap(doc[right]):
        right += 1
    outside = [t for t in doc[left:right] if not start <= t.i < end]
    return any(t.lower_ in sectors and t.lower_ not in ("state", "people") for t in outside)


def _rejected(doc: Any, start: int, end: int, sent_start: int, text: str) -> bool:
    """Tell whether a name that the gazetteer knows is still not a place here."""
    key = normalize(text)
    if key in stoplist() or is_demonym(text):
        return True
    if _inside_institution(doc, start, end):
        return True
    span = doc[start:end]
    if start > sent_start and normalize(doc[start - 1].text) in person_titles():
        return True
    if (
        start >= 2 + sent_start
        and doc[start - 1].text == "."
        and doc[start - 2].lower_
        in {
            "gen",
            "col",
            "lt",
            "dr",
            "mr",
            "mrs",
            "sgt",
            "capt",
            "maj",
        }
    ):
        return True
    if all(t.text.isupper() and len(t.text) > 1 for t in span if t.is_alpha) and (country_of(text) is None):
        # acronyms (NATO, ISIS, AFP) collide with villages; country codes are handled above
        return True
    if all(t.is_stop or not t.is_alpha for t in span):
        # "The", "We", "Most": capitalised stop words are never places
        return True
    if _sentence_initial(doc, start, sent_start) and end - start == 1:
        tok = doc[start]
        if tok.ent_type_ not in PROPER_LABELS and (tok.pos_ != "PROPN" or tok.is_stop):
            return True
    return False


def _run_word(tok: Any) -> bool:
    """Tell whether a token continues a capitalised name phrase: a capitalised content word."""
    return _is_cap(tok) and tok.pos_ not in FUNCTION_POS and not (tok.is_stop and tok.pos_ != "PROPN")


def _partial(doc: Any, start: int, end: int, sent_start: int, sent_end: int) -> bool:
    """Tell whether a span is only part of a longer capitalised name ("Haram" of "Boko Haram")."""
    hyphens = {"-", "\u2010", "\u2011"}
    left, right = start, end
    while left > sent_start and (
        _run_word(doc[left - 1])
        or (doc[left - 1].text in hyphens and left - 1 > sent_start and _run_word(doc[left - 2]))
    ):
        left -= 1
    while right < sent_end and (
        _run_word(doc[right])
        or (doc[right].text in hyphens and right + 1 < sent_end and _run_word(doc[right + 1]))
    ):
        right += 1
    words = place_words()
    others = [t for t in [*doc[left:start], *doc[end:right]] if t.text not in hyphens]
    return any(normalize(t.text) not in words for t in others)


def _reference(doc: Any, start: int, sent_start: int) -> tuple[float, float | None] | None:
    """Return (km, bearing) when the name is a reference point: "48km N of X"."""
    begin = max(sent_start, start - 10)
    match = _REFERENCE.search(doc[begin:start].text_with_ws)  # not doc.text: that rebuilds the whole text
    if match is None:
        return None
    km = float(match.group(1).replace(",", "."))
    if match.group(2).lower().startswith("mi"):
        km *= MILE_KM
    direction = match.group(3)
    if direction is None:
        return km, None
    compass = re.sub(r"[- ]", "", direction.lower())
    for word, letter in (("north", "n"), ("south", "s"), ("east", "e"), ("west", "w")):
        compass = compass.replace(word, letter)
    return km, BEARINGS.get(compass)


def _offset(lat: float, lon: float, km: float, bearing: float) -> tuple[float, float]:
    """Return the point km kilometres from (lat, lon) along a compass bearing."""
    d = km / 6371.0
    b, p1, l1 = math.radians(bearing), math.radians(lat), math.radians(lon)
    p2 = math.asin(math.sin(p1) * math.cos(d) + math.cos(p1) * math.sin(d) * math.cos(b))
    l2 = l1 + math.atan2(math.sin(b) * math.sin(d) * math.cos(p1), math.cos(d) - math.sin(p1) * math.sin(p2))
    return math.degrees(p2), (math.degrees(l2) + 540.0) % 360.0 - 180.0


def _mentions(
    doc: Any, start: int, end: int, gazetteer: Gazetteer, exclude: Sequence[tuple[int, int]]
) -> list[_Mention]:
    """Find gazetteer place names between two token indices of a doc."""
    found: list[_Mention] = []
    covered_to = start
    for i, j in _spans(doc, start, end):
        if i < covered_to:
            continue
        span = doc[i:j]
        text: str = span.text
        if any(span.start_char < b and a < span.end_char for a, b in exclude):
            continue
        candidates = gazetteer.lookup(text)
        if not candidates or _rejected(doc, i, j, start, text):
            continue
        locative = _locative(doc, i, j)
        container = _container(doc, i, j)
        if _tie(locative) < 2 and (container is not None or _person(doc, i, j)):
            # "Clinton said", "University of Texas"; a place after a possessive stays
            possessed = i >= 1 and doc[i - 1].lower_ in {"'s", "\u2019s"}
            if not possessed:
                continue
        found.append(
            _Mention(
                i,
                j,
                span.start_char,
                span.end_char,
                text,
                tuple(candidates),
                locative,
                _preferred_kind(doc, i, j),
                _partial(doc, i, j, start, end),
                _reference(doc, i, start),
            )
        )
        covered_to = j
    return found


def _qualifiers(doc: Any, mentions: list[_Mention]) -> dict[int, _Mention]:
    """Map a mention's index to the mention that qualifies it: "Syria's X", "X, Syria"."""
    out: dict[int, _Mention] = {}
    for n, m in enumerate(mentions):
        prev = mentions[n - 1] if n else None
        nxt = mentions[n + 1] if n + 1 < len(mentions) else None
        if prev is not None and prev.end + 1 == m.start and doc[prev.end].lower_ in {"'s", "\u2019s", "'"}:
            out[n] = prev
        elif (
            nxt is not None
            and m.end + 1 == nxt.start
            and doc[m.end].text == ","
            # "near al-Bab, Turkey's military said": a possessive starts a new phrase
            and not (nxt.end < len(doc) and doc[nxt.end].lower_ in {"'s", "\u2019s"})
        ):
            out[n] = nxt
    return out


def _narrow(cands: tuple[Candidate, ...], qualifier: _Mention | None) -> tuple[Candidate, ...]:
    """Keep the candidates inside the stated country or region, when one is stated."""
    if qualifier is None:
        return cands
    kept: list[Candidate] = []
    for q in qualifier.candidates:
        if q.kind == "country":
            kept += [c for c in cands if c.country == q.country and c.kind != "country"]
        elif q.kind == "admin1":
            kept += [c for c in cands if c.country == q.country and c.admin1 == q.admin1]
    unique = tuple(dict.fromkeys(kept))
    return unique or cands


def _score(cand: Candidate, countries: Sequence[str], prefer: Kind | None) -> float:
    """Score a candidate: document countries, population, kind asked for, article as written."""
    score = math.log10(cand.population + 1)
    if cand.country is not None and cand.country in countries:
        score += 4.0 - 0.5 * min(list(countries).index(cand.country), 3)
    if prefer is not None and cand.kind == prefer:
        score += 5.0
    if cand.kind == "country":
        score += 3.0
    elif cand.kind == "admin1" and prefer != "admin1":
        # a region sums its towns; the bare name means the town ("in Aleppo")
        score -= 1.0
    if cand.exact:
        score += 0.5
    if not cand.primary:
        score -= ALTERNATE_NAME_PENALTY
    return score


def _plausible_part(cand: Candidate, countries: Sequence[str]) -> bool:
    """Tell whether a name found inside a longer capitalised phrase may still mean this place."""
    if cand.kind == "country" or (cand.country is not None and cand.country in countries):
        return True
    return cand.primary and cand.population >= MIN_PARTIAL_POPULATION


def _best(
    m: _Mention, countries: Sequence[str], qualifier: _Mention | None
) -> tuple[Candidate, float, list[str]] | None:
    """Pick a mention's candidate; None when a passing mention is too obscure to count."""
    cands = _narrow(m.candidates, qualifier)
    if m.partial and cands is m.candidates:
        cands = tuple(c for c in cands if _plausible_part(c, countries))
        if not cands:
            return None
    best = max(cands, key=lambda c: _score(c, countries, m.prefer))
    why = [f"'{m.text}'"]
    if m.locative:
        why.append(f"tied by '{m.locative}'")
    if qualifier is not None and cands is not m.candidates:
        why.append(f"qualified by '{qualifier.text}'")
    if best.country in countries:
        why.append(f"{best.country} in document")
    why.append(f"{best.kind}, population {best.population}")
    passing = m.locative is None and qualifier is None
    if (
        passing
        and best.kind == "city"
        and best.country not in countries
        and best.population < MIN_PASSING_POPULATION
    ):
        return None
    return best, _score(best, countries, m.prefer), why


def find_places(
    sentence: Any,
    gazetteer: Gazetteer,
    countries: Sequence[str],
    exclude: Sequence[tuple[int, int]] = (),
) -> list[Place]:
    """Decide Event.location candidates: gazetteer places named in the sentence, best first.

    Args:
        sentence: a spaCy Span (a sentence of a parsed Doc).
        gazetteer: the loaded Gazetteer.
        countries: ISO3 codes of the document's countries, most relevant first.
        exclude: doc character spans already used as actors; names overlapping them are skipped.

    Returns:
        Places ordered locative first, then most specific (city, admin1, country), then score;
        a country comes after a more specific place inside it.
    """
    doc = sentence.doc
    mentions = _mentions(doc, sentence.start, sentence.end, gazetteer, exclude)
    quals = _qualifiers(doc, mentions)
    picked: list[tuple[_Mention, Candidate, float, list[str]]] = []
    for n, m in enumerate(mentions):
        best = _best(m, countries, quals.get(n))
        if best is not None:
            picked.append((m, *best))
    # a place named together with a place inside it is its container, not the event's place
    in_country = {c.country for _m, c, _s, _w in picked if c.kind != "country"}
    in_admin1 = {(c.country, c.admin1) for _m, c, _s, _w in picked if c.kind == "city"}
    qualifier_ids = {id(q) for q in quals.values()}

    def rank(item: tuple[_Mention, Candidate, float, list[str]]) -> tuple[int, int, int, float]:
        """Order places: not a container, qualifier or reference, best tied, most specific, best scored."""
        m, c, score, _why = item
        demoted = (
            (c.kind == "country" and c.country in in_country)
            or (c.kind == "admin1" and (c.country, c.admin1) in in_admin1)
            or id(m) in qualifier_ids
            or m.reference is not None
        )
        return (0 if demoted else 1, _tie(m.locative), KIND_RANK[c.kind], score)

    picked.sort(key=rank, reverse=True)
    return [_place(m, c, why) for m, c, _s, why in picked]


def _place(m: _Mention, cand: Candidate, why: list[str]) -> Place:
    """Return a mention's Place; a reference point ("48km N of X") moves by the stated distance."""
    km, bearing = m.reference or (0.0, None)
    if bearing is None or cand.kind == "country":
        return cand.to_place(m.text, "; ".join(why))
    lat, lon = _offset(cand.lat, cand.lon, km, bearing)
    name = f"{km:g} km from {cand.name} at bearing {bearing:g}"
    reason = "; ".join([*why, f"the stated distance and direction from '{m.text}'"])
    return Place(m.text, name, lat, lon, cand.country, cand.admin1, None, cand.kind, reason)


def _tie(locative: str | None) -> int:
    """Rank how firmly a mention is tied to the sentence: preposition 2, object 1, none 0."""
    if locative is None:
        return 0
    return 1 if locative.startswith("object of") else 2


def resolve_place(
    sentence: Any,
    gazetteer: Gazetteer,
    countries: Sequence[str],
    exclude: Sequence[tuple[int, int]] = (),
) -> Place | None:
    """Decide Event.location: the most specific gazetteer place tied to the mention's sentence."""
    places = find_places(sentence, gazetteer, countries, exclude)
    return places[0] if places else None


def document_countries(doc: Any, gazetteer: Gazetteer) -> list[str]:
    """Decide the document's countries: ISO3 codes of names and demonyms, most frequent first."""
    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    table = load_demonyms()
    covered_to = 0
    for i, j in _spans(doc, 0, len(doc)):
        if i < covered_to:
            continue
        text: str = doc[i:j].text
        code = _country_code(text, table, gazetteer)
        if code is None:
            continue
        counts[code] += 1
        first.setdefault(code, i)
        covered_to = j
    named = sorted(counts, key=lambda c: (-counts[c], first[c]))
    return named + [c for c in _shared_countries(doc, gazetteer) if c not in named]


def _shared_countries(doc: Any, gazetteer: Gazetteer) -> list[str]:
    """Return the country most of the document's place names can lie in, when two or more agree.

    Notes often name villages and districts without their country: "Bodong and Kalu", each
    ambiguous alone, are read together in the one country that has both.
    """
    votes: Counter[str] = Counter()
    weight: dict[str, float] = {}
    seen: set[str] = set()
    for sent in doc.sents:
        for m in _mentions(doc, sent.start, sent.end, gazetteer, ()):
            key = normalize(m.text)
            if m.partial or key in seen:
                continue
            seen.add(key)
            best: dict[str, float] = {}
            for c in m.candidates:
                if c.country is None or not c.primary:
                    continue
                score = math.log10(c.population + 1) - (0.0 if c.primary else ALTERNATE_NAME_PENALTY)
                best[c.country] = max(best.get(c.country, -math.inf), score)
            for code, score in best.items():
                votes[code] += 1
                weight[code] = weight.get(code, 0.0) + score
    ranked = sorted(votes, key=lambda c: (-votes[c], -weight[c]))
    return [c for c in ranked[:2] if votes[c] >= 2]


def _country_code(text: str, table: dict[str, str], gazetteer: Gazetteer) -> str | None:
    """Return the ISO3 code a capitalised name or demonym stands for, or None.

    A region's name counts for its country ("Louisiana" -> USA) unless a large town shares it
    ("Alexandria" is a governorate and a city of millions).
    """
    key = text.lower().replace("\u2019", "'")
    if key in table:
        return table[key]
    if normalize(text) in stoplist():
        return None
    cands = gazetteer.lookup(text)
    for cand in cands:
        if cand.kind == "country":
            return cand.country
    regions = {c.country for c in cands if c.kind == "admin1"}
    big_towns = any(c.kind == "city" and c.population >= 100_000 for c in cands)
    if len(regions) == 1 and not big_towns:
        return regions.pop()
    return None
