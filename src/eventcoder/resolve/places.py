"""Place resolution: gazetteer places named in a sentence, disambiguated and ranked.

spaCy's entity labels are not trusted ("al-Bab" comes out as PERSON): the sentence is scanned
for capitalised n-grams (with glued article prefixes such as "al-") and every one the gazetteer
knows is a mention. Mentions are filtered (stoplist, titles, demonyms, sentence-initial common
words, actor spans), candidates are scored (document countries, population, a stated country or
region, "X province"), and places are ranked: locative ones first ("in", "near", "the X area"),
then the most specific.
"""

from __future__ import annotations

import bisect
import csv
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from importlib import resources
from typing import Any

from eventcoder import ontology
from eventcoder.classify.model import LearnedModel
from eventcoder.errors import ModelNotFound
from eventcoder.nlp import doc_text, span_text, token_words
from eventcoder.records import Place
from eventcoder.resolve.countries import country_of, is_demonym, load_demonyms
from eventcoder.resolve.gazetteer import ARTICLES, Candidate, Gazetteer, Kind, fold, normalize
from eventcoder.resolve.place_corpora import distance_km
from eventcoder.resolve.place_country import country_probabilities, load_country_model, min_guess_p
from eventcoder.resolve.rank import Ranker, load_ranker

MAX_WORDS = 4  # words in a place name, hyphens and glued articles not counted
MAX_TOKENS = 8
TOPIC_DEPTH = 12  # heads walked up from a place looking for what makes it a topic
MAX_ACRONYM = 5  # an all-capital word this long or shorter is an acronym unless it names a country
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
ADMIN_NOUNS = frozenset(
    ["province", "state", "governorate", "region", "oblast", "county", "department", "district", "parish"]
)
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
KIND_RANK: dict[Kind, int] = {"city": 3, "admin2": 2, "admin1": 1, "country": 0}
# a town outside the story's countries must be this big to count when named in passing, or at all
# when the story's countries are known and its words do not point to the town's (MIN_WORDS_P)
MIN_PASSING_POPULATION = 50_000
MIN_WORDS_P = 0.05  # the country head's probability of a country that its words do point to
MAX_NAMESAKE_POPULATION = 1_000_000  # a place abroad this big is meant even when the words point elsewhere
NAMESAKE_KM = 2000.0  # a place this far from the country the words point to is a namesake there
# how much a country the head guesses keeps of its probability for each name of the document that
# cannot lie in it (`_weighed_by_names`): with place-country 1.0 (shipped), 0.2 placed more ACLED
# development notes in the right country than 0.05, 0.5 and 1 (no weighing); with a retrained 1.1
# (reverted: it read a village near Mopti as India) it was within two notes of no weighing
NAME_ABSENT_WEIGHT = 0.2
# a name found inside a longer capitalised phrase must be this big, or in the story's countries
MIN_PARTIAL_POPULATION = 100_000
# a town found by one of its alternate names yields to towns of that very name ("Batna" is not Patna)
ALTERNATE_NAME_PENALTY = 1.5
MIN_AREA_POPULATION = 50_000  # a region or county this big is a place even where spaCy sees a person
AREA_TOWN_SHARE = 0.1  # a town this much smaller than the country or region of its name yields to it
# a town this much smaller than a first-level region of its own country and name yields to it even
# where the document names the town's region (`_home_region_of_its_name`): Columbia, S.C. (a tenth
# of the District of Columbia's count) stays a town, "Nevada" beside "Missouri" is the state
HOME_REGION_TOWN_SHARE = 0.02
MAX_ALIAS = 3  # an alternate name this short is an airport code or an abbreviation, not a town's name
PARTY_MARKS = frozenset({"D", "R", "I", "DFL"})  # US party letters before a member's home ("R-Marshall")
DATELINE_MARKS = frozenset({"\u2014", "\u2013", "--", "-", ":"})  # what follows a dateline's place
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
    demonym: bool = False  # "Syrian": its one candidate is the country
    topic: bool = False  # "talks on Syria": what the clause is about, not where it happened
    entity: str = ""  # spaCy's entity label of the name's first token


@cache  # one per data file: a bounded cache smaller than the files thrashed
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
    return _is_cap_word(tok.text)


def _is_cap_word(text: str) -> bool:
    """Tell whether a token's text can be a word of a place name: capitalised letters or digits."""
    return bool(text) and text[0].isupper() and any(ch.isalpha() for ch in text)


HYPHENS = frozenset({"-", "\u2010", "\u2011"})


def _is_glue(text: str) -> bool:
    """Tell whether a token's text may sit inside a name: a hyphen or a lowercase particle."""
    return text in HYPHENS or (text.islower() and text in GLUE)


def _can_start(words: list[str], i: int, end: int) -> bool:
    """Tell whether a name may start at token i: a capital, or "al-" glued to a capital."""
    text = words[i]
    lower = text.lower()
    if lower == "the":
        return False  # "The Hague" is found as "Hague"; the article is not part of the name as written
    if _is_cap_word(text):
        return True
    return lower in ARTICLES and i + 2 < end and words[i + 1] in HYPHENS and _is_cap_word(words[i + 2])


def _spans(doc: Any, start: int, end: int) -> list[tuple[int, int]]:
    """Return candidate name spans (token indices) from i, longest first."""
    words, spaced = token_words(doc)
    out: list[tuple[int, int]] = []
    for i in range(start, end):
        if not _can_start(words, i, end):
            continue
        count = 0
        for j in range(i, min(end, i + MAX_TOKENS)):
            text = words[j]
            capital = _is_cap_word(text)
            if capital:
                count += 1
            elif not (_is_glue(text) or (j == i and text.lower() in ARTICLES)):
                break
            if count > MAX_WORDS:
                break
            # a name cannot run across whitespace-free punctuation joins other than hyphens
            if j > i and not spaced[j - 1] and not _is_glue(text) and not _is_glue(words[j - 1]):
                break
            if capital:
                out.append((i, j + 1))
    # longest first, then leftmost: the scan keeps the first that the gazetteer knows
    out.sort(key=lambda s: (s[0], -(s[1] - s[0])))
    return out


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
    """Tell whether the span is inside a capitalised institution name, not leading it.

    "Free Aleppo Army" hides Aleppo; "Athens Police Department" and "Madison County Health
    Department" name the place they serve (and geoparsing corpora code it so).
    """
    sectors = ontology.sectors()
    left, right = start, end
    while left > 0 and _is_cap(doc[left - 1]) and doc[left - 1].lower_ != "the":
        left -= 1
    if left == start:
        return False
    while right < len(doc) and _is_cap(doc[right]):
        right += 1
    outside = [t for t in doc[left:right] if not start <= t.i < end]
    return any(t.lower_ in sectors and t.lower_ not in ("state", "people") for t in outside)


def _rejected(doc: Any, start: int, end: int, sent_start: int, text: str) -> bool:
    """Tell whether a name that the gazetteer knows is still not a place here."""
    key = normalize(text)
    if key in stoplist() or is_demonym(text):
        return True
    if _dateline(doc, start, end, sent_start):
        return False  # "TORRINGTON —", "BEIRUT:": where the report was filed
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
    code = country_of(text)
    alpha = [t.text for t in span if t.is_alpha]
    if sum(ch.isalpha() for ch in text) < 2:
        return True  # "D" of "D-Columbus", "A" of a list: a letter is no place name
    if alpha and all(w.isupper() and 1 < len(w) <= MAX_ACRONYM for w in alpha) and code is None:
        # acronyms (NATO, ISIS, AFP) collide with villages; a dateline ("CHARLESTON") is longer
        return True
    if code is not None and text.isupper():
        return False  # "US" is a country, not the pronoun
    if all(t.is_stop or not any(ch.isalpha() for ch in t.text) for t in span):
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
    left, right = start, end
    while left > sent_start and (
        _run_word(doc[left - 1])
        or (doc[left - 1].text in HYPHENS and left - 1 > sent_start and _run_word(doc[left - 2]))
    ):
        left -= 1
    while right < sent_end and (
        _run_word(doc[right])
        or (doc[right].text in HYPHENS and right + 1 < sent_end and _run_word(doc[right + 1]))
    ):
        right += 1
    words = place_words()
    others = [t for t in [*doc[left:start], *doc[end:right]] if t.text not in HYPHENS]
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


def _entity_index(doc: Any) -> list[tuple[int, int] | None]:
    """Map each token to the multi-token person/organisation entity it lies in (one pass over doc.ents)."""
    out: list[tuple[int, int] | None] = [None] * len(doc)
    for ent in doc.ents:
        if ent.label_ in CONTAINER_LABELS and len(ent) >= 2:
            for k in range(ent.start, ent.end):
                out[k] = (ent.start, ent.end)
    return out


def _people_words(doc: Any) -> frozenset[str]:
    """Return the normalised words of the multi-token person names spaCy tags in the document."""
    return frozenset(
        normalize(t.text) for ent in doc.ents if ent.label_ == "PERSON" and len(ent) >= 2 for t in ent
    )


def _party_place(doc: Any, i: int) -> bool:
    """Tell whether a name is a legislator's home after a party letter: "Sen. Ray Miller, D-Columbus"."""
    return i >= 2 and doc[i - 1].text == "-" and doc[i - 2].text in PARTY_MARKS


def _modifier(tok: Any) -> bool:
    """Tell whether a word modifies a noun: "Gainesville residents", "Gainesville's protections"."""
    return tok.dep_ in {"compound", "poss", "amod", "nmod"} and tok.head.pos_ in {"NOUN", "PROPN"}


def _dateline(doc: Any, start: int, end: int, sent_start: int) -> bool:
    """Tell whether the span is a dateline: capitals opening a sentence before a dash or colon ("BEIRUT:")."""
    alpha = [t.text for t in doc[start:end] if t.is_alpha]
    return (
        bool(alpha)
        and all(w.isupper() for w in alpha)
        and len("".join(alpha)) >= 3
        and end < len(doc)
        and doc[end].text in DATELINE_MARKS
        and _sentence_initial(doc, start, sent_start)
    )


def _tagged_places(doc: Any) -> frozenset[str]:
    """Return the normalised names spaCy tags as a place (GPE, LOC) somewhere in the document."""
    return frozenset(normalize(ent.text) for ent in doc.ents if ent.label_ in {"GPE", "LOC"})


def _surely_place(text: str, candidates: Sequence[Candidate], places: frozenset[str]) -> bool:
    """Tell whether a name spaCy tags as a person is a place all the same.

    A country, a region or county of MIN_AREA_POPULATION or more, or a region that outweighs its
    namesakes ("Sri Lanka", "Ohio"; not "Michael", a parish of Man: `_region_country`) is one,
    and so is a name the document tags as a place elsewhere ("Alexandria police" beside "in
    Alexandria").
    """
    area = any(
        c.kind == "country" or (c.kind in {"admin1", "admin2"} and c.population >= MIN_AREA_POPULATION)
        for c in candidates
    )
    return area or _region_country(candidates) is not None or normalize(text) in places


def _contained(doc: Any, entities: list[tuple[int, int] | None], start: int, end: int) -> bool:
    """Tell whether a person/organisation entity strictly contains the span, other than leading it.

    An organisation whose name starts with the place ("the Athens Police Department") keeps it.
    """
    ent = entities[start]
    if ent is None or not (ent[0] <= start and end <= ent[1]) or ent == (start, end):
        return False
    leads = ent[0] == start or (ent[0] + 1 == start and doc[ent[0]].lower_ == "the")
    return not (leads and doc[start].ent_type_ == "ORG")


@lru_cache(maxsize=1)
def topic_words() -> dict[str, frozenset[str]]:
    """Return topic words by kind: "prep", "on", "in" and "head" (see data/topic_words.csv)."""
    text = resources.files("eventcoder.resolve").joinpath("data", "topic_words.csv").read_text("utf-8")
    rows = list(csv.DictReader(line for line in text.splitlines() if not line.startswith("#")))
    kinds = ("prep", "on", "in", "head")
    return {kind: frozenset(r["word"] for r in rows if r["kind"] == kind) for kind in kinds}


def _topic(doc: Any, start: int, end: int) -> bool:
    """Tell whether a place is only the topic of its clause ("talks on Syria", "about the situation in X")."""
    words = topic_words()
    tok = next((t for t in doc[start:end] if not (start <= t.head.i < end)), doc[end - 1])
    for _ in range(TOPIC_DEPTH):
        head = tok.head
        # a verb ends the phrase, unless it only describes a noun ("soldiers operating in X")
        verb = tok.pos_ in {"VERB", "AUX"} and tok.dep_ != "acl"
        if head.i == tok.i or (verb and not start <= tok.i < end):
            return False
        if tok.pos_ == "NOUN" and tok.lemma_.lower() in words["head"] and not start <= tok.i < end:
            return True
        if tok.dep_ == "pobj" and head.lower_ in words["prep"]:
            return True
        # "talks on Syria", "the situation in Aleppo"
        kind = "on" if head.lower_ in {"on", "over"} else head.lower_
        if tok.dep_ == "pobj" and kind in words and head.head.lemma_.lower() in words[kind]:
            return True
        tok = head
    return False


def owner_words() -> frozenset[str]:
    """Return the nouns that make the country before them an owner, not a place ("embassy")."""
    return _word_list("owner_words.txt")


def _owner(doc: Any, i: int, j: int, candidates: Sequence[Candidate]) -> bool:
    """Tell whether a country is named as the owner of an embassy or consulate ("the U.S. embassy")."""
    if not any(c.kind == "country" for c in candidates):
        return False
    k = j + 1 if j < len(doc) and doc[j].lower_ in {"'s", "\u2019s"} else j
    return k < len(doc) and normalize(doc[k].text) in owner_words()


def natural_words() -> frozenset[str]:
    """Return the words that make the name beside them a natural feature ("Lake", "River")."""
    return _word_list("natural_words.txt")


def _natural(doc: Any, i: int, j: int, start: int, end: int) -> bool:
    """Tell whether a capitalised natural-feature word stands right before the name ("Lake Lanier").

    Only before: a feature named after its town ("Moy River", "Swat Valley") is often near it,
    and dropping those readings lost more right toponyms than wrong ones.
    """
    words = natural_words()
    return i > start and _is_cap(doc[i - 1]) and normalize(doc[i - 1].text) in words


def _mentions(
    doc: Any,
    start: int,
    end: int,
    gazetteer: Gazetteer,
    entities: list[tuple[int, int] | None],
    places: frozenset[str] = frozenset(),
    people: frozenset[str] = frozenset(),
) -> list[_Mention]:
    """Find gazetteer place names and demonyms between two token indices (a sentence) of a doc."""
    found: list[_Mention] = []
    covered_to = start
    for i, j in _spans(doc, start, end):
        if i < covered_to:
            continue
        span = doc[i:j]
        text = span_text(span)
        demonym = is_demonym(text)
        if demonym:
            code = country_of(text)
            country = gazetteer.country(code) if code else None
            candidates: list[Candidate] = [country] if country is not None else []
        else:
            candidates = gazetteer.lookup(text)
            if _natural(doc, i, j, start, end):
                # "Lake Lanier" is neither the town nor the county; "Mount Kenya" is in the country
                candidates = [c for c in candidates if c.kind == "country"]
        if not candidates or (not demonym and _rejected(doc, i, j, start, text)):
            continue
        locative = "dateline" if _dateline(doc, i, j, start) else _locative(doc, i, j)
        party = _party_place(doc, i)
        # spaCy tags many lone town names as people ("a Gainesville restaurant"): one word that
        # modifies a noun is a person's name only when the document names a person by it in full
        # ("Hillary Clinton"); "Clinton met Bush" stays two people
        person = (
            not demonym
            and _person(doc, i, j)
            and not _surely_place(text, candidates, places)
            and (j - i >= 2 or normalize(text) in people or not _modifier(doc[i]))
            and not _dateline(doc, i, j, start)
        )
        if _tie(locative) < 2 and not party and (_contained(doc, entities, i, j) or person):
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
                demonym,
                _topic(doc, i, j) or _owner(doc, i, j, candidates),
                span[0].ent_type_,
            )
        )
        covered_to = j
    return found


def _qualifiers(doc: Any, mentions: Sequence[_Mention]) -> dict[int, int]:
    """Map a mention's index to the index of the mention that qualifies it: "Syria's X", "X, Syria"."""
    out: dict[int, int] = {}
    for n, m in enumerate(mentions):
        prev = mentions[n - 1] if n else None
        nxt = mentions[n + 1] if n + 1 < len(mentions) else None
        if prev is not None and prev.end + 1 == m.start and doc[prev.end].lower_ in {"'s", "\u2019s", "'"}:
            out[n] = n - 1
        elif (
            nxt is not None
            and m.end + 1 == nxt.start
            and doc[m.end].text == ","
            # "near al-Bab, Turkey's military said": a possessive starts a new phrase
            and not (nxt.end < len(doc) and doc[nxt.end].lower_ in {"'s", "\u2019s"})
        ):
            out[n] = n + 1
    return out


def _senses(keys: Sequence[str], quals: dict[int, int]) -> dict[str, int]:
    """Map each name to its first mention that a country or region qualifies ("Athens, Ga.")."""
    out: dict[str, int] = {}
    for n in sorted(quals):
        out.setdefault(keys[n], n)
    return out


def _cell(lat: float, lon: float) -> tuple[int, int]:
    """Return the one-degree grid cell of a point."""
    return math.floor(lat), math.floor(lon)


@dataclass(frozen=True, slots=True)
class _DocPlaces:
    """A document's place mentions and what the ranker reads about the others, built once per doc."""

    mentions: tuple[_Mention, ...]  # in text order
    quals: dict[int, int]  # mention index -> index of its qualifier
    keys: tuple[str, ...]  # normalised name of each mention
    cells: dict[tuple[int, int], frozenset[str]]  # grid cell -> names with a likely candidate there
    admin1_named: dict[tuple[str | None, str | None], frozenset[str]]  # admin1 -> names that name it
    regions: dict[tuple[str | None, str | None], frozenset[str]]  # admin1 -> names with a candidate in it
    sense: dict[str, int]  # name -> index of its first mention with a stated country or region
    certain: dict[tuple[int, int], frozenset[str]]  # grid cell -> names of few candidates that lie there
    areas: dict[tuple[str | None, str | None], frozenset[str]]  # admin1 -> names of areas, sure towns in it
    country_names: frozenset[str | None]  # the countries a name or demonym of the document can be


STATE_KEY = "eventcoder.places"
NEAR_CANDIDATES = 5  # a mention's most populous candidates that vote for their grid cells
CERTAIN_CANDIDATES = 2  # a name with this many candidates or fewer is near-certain evidence of its area
REGION_CANDIDATES = 30  # a mention's most populous candidates that vote for their admin1 areas


def _evidences_area(m: _Mention, key: str, cand: Candidate, sure: bool) -> bool:
    """Tell whether a reading of a name is evidence that the document is about its admin1 area.

    A region named by its own name is ("Indiana"), and so is a county or district when the text
    asks for one ("Boone County", "Anderson County"); a bare name that is also the name of dozens
    of counties ("Washington", 68 of them) is not evidence of each county's state. A town counts
    only when its name has at most CERTAIN_CANDIDATES readings, by its own name, and no country or
    region of that name outweighs it ("Russia" is no evidence of Russia, Ohio).
    """
    if not cand.primary:
        return False
    if cand.kind == "admin1":
        return True
    if cand.kind == "admin2":
        return m.prefer is not None or key.rsplit(" ", 1)[-1] in ADMIN_NOUNS or sure
    return sure and cand.kind == "city" and not _overshadowed(cand, m.candidates)


def doc_places(doc: Any, gazetteer: Gazetteer) -> _DocPlaces:
    """Return the document's place mentions, built on first use and kept in doc.user_data."""
    cached = doc.user_data.get(STATE_KEY)
    if cached is not None and cached[0] is gazetteer:
        state: _DocPlaces = cached[1]
        return state
    entities = _entity_index(doc)
    places = _tagged_places(doc)
    people = _people_words(doc)
    mentions: list[_Mention] = []
    quals: dict[int, int] = {}
    for sent in doc.sents:
        found = _mentions(doc, sent.start, sent.end, gazetteer, entities, places, people)
        base = len(mentions)
        quals.update({base + k: base + v for k, v in _qualifiers(doc, found).items()})
        mentions += found
    keys = tuple(normalize(m.text) for m in mentions)
    cells: dict[tuple[int, int], set[str]] = {}
    admin1: dict[tuple[str | None, str | None], set[str]] = {}
    regions: dict[tuple[str | None, str | None], set[str]] = {}
    certain: dict[tuple[int, int], set[str]] = {}
    areas: dict[tuple[str | None, str | None], set[str]] = {}
    for m, key in zip(mentions, keys, strict=True):
        if m.demonym:
            continue
        sure = len(m.candidates) <= CERTAIN_CANDIDATES
        if sure:
            for c in m.candidates:
                if c.kind in {"city", "admin2"}:
                    certain.setdefault(_cell(c.lat, c.lon), set()).add(key)
        for c in m.candidates:
            if _evidences_area(m, key, c, sure):
                areas.setdefault((c.country, c.admin1), set()).add(key)
        top = sorted(m.candidates, key=lambda c: -c.population)
        for c in top[:NEAR_CANDIDATES]:
            if c.kind != "country":
                cells.setdefault(_cell(c.lat, c.lon), set()).add(key)
        for c in top[:REGION_CANDIDATES]:
            if c.kind != "country" and c.admin1 is not None:
                regions.setdefault((c.country, c.admin1), set()).add(key)
        for c in m.candidates:
            if c.kind == "admin1":
                admin1.setdefault((c.country, c.admin1), set()).add(key)
    state = _DocPlaces(
        tuple(mentions),
        quals,
        keys,
        {k: frozenset(v) for k, v in cells.items()},
        {k: frozenset(v) for k, v in admin1.items()},
        {k: frozenset(v) for k, v in regions.items()},
        _senses(keys, quals),
        {k: frozenset(v) for k, v in certain.items()},
        {k: frozenset(v) for k, v in areas.items()},
        frozenset(c.country for m in mentions for c in m.candidates if c.kind == "country"),
    )
    doc.user_data[STATE_KEY] = (gazetteer, state)
    return state


FEATURES = (
    "log_population",
    "city",
    "admin2",
    "admin1",
    "country",
    "article_as_written",
    "own_name",
    "first_document_country",
    "second_document_country",
    "later_document_country",
    "only_document_country",
    "admin1_named_elsewhere",
    "places_nearby",
    "places_in_same_admin1",
    "unambiguous_places_nearby",
    "largest_candidate",
    "population_gap",
    "alternate_name_population",
    "document_country_population",
    "tied_city",
    "untied_country",
    "person_name_city",
    "organisation_name_city",
    "ambiguous_city",
)


def _qualified(cand: Candidate, qualifier: _Mention | None) -> bool | None:
    """Tell whether the stated country or region agrees with a candidate; None when none is stated."""
    if qualifier is None:
        return None
    for q in qualifier.candidates:
        if q.kind == "country" and cand.country == q.country and cand.kind != "country":
            return True
        if (
            q.kind == "admin1"
            and cand.country == q.country
            and cand.admin1 == q.admin1
            and cand.kind != "admin1"
        ):
            return True
    return False


def features(state: _DocPlaces, n: int, cand: Candidate, countries: Sequence[str]) -> list[float]:
    """Return the ranker's feature row (FEATURES) of one candidate of mention n."""
    m = state.mentions[n]
    key = state.keys[n]
    top = max(c.population for c in m.candidates)
    logpop = math.log10(cand.population + 1) / 7
    rank = list(countries).index(cand.country) if cand.country and cand.country in countries else -1
    nearby = sure = 0
    if cand.kind != "country":
        cx, cy = _cell(cand.lat, cand.lon)
        names: set[str] = set()
        sure_names: set[str] = set()
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                names |= state.cells.get((cx + dx, cy + dy), frozenset())
                sure_names |= state.certain.get((cx + dx, cy + dy), frozenset())
        nearby = len(names - {key})
        sure = len(sure_names - {key})
    named = state.admin1_named.get((cand.country, cand.admin1), frozenset()) - {key}
    city = cand.kind == "city"
    tied = _tie(m.locative) > 0
    return [
        logpop,
        float(city),
        float(cand.kind == "admin2"),
        float(cand.kind == "admin1"),
        float(cand.kind == "country"),
        float(cand.exact),
        float(cand.primary),
        float(rank == 0),
        float(rank == 1),
        float(rank >= 2),
        float(rank == 0 and len(countries) == 1),
        float(city and bool(named)),
        min(nearby, 5) / 5,
        min(len(state.regions.get((cand.country, cand.admin1), frozenset()) - {key}), 5) / 5
        if cand.kind != "country"
        else 0.0,
        min(sure, 3) / 3,
        float(cand.population == top),
        math.log10((cand.population + 1) / (top + 1)) / 7,
        0.0 if cand.primary else logpop,
        logpop if rank >= 0 else 0.0,
        float(tied and city),
        float(not tied and cand.kind == "country"),
        float(city and m.entity == "PERSON"),
        float(city and m.entity == "ORG"),
        float(city) * math.log(len(m.candidates)) / 4,
    ]


def _plausible_part(cand: Candidate, countries: Sequence[str]) -> bool:
    """Tell whether a name found inside a longer capitalised phrase may still mean this place."""
    if cand.kind == "country" or (cand.country is not None and cand.country in countries):
        return True
    return cand.primary and cand.population >= MIN_PARTIAL_POPULATION


def _stray_alias(cand: Candidate, key: str, countries: Sequence[str]) -> bool:
    """Tell whether a town found only by an alternate name is too weak a reading to keep.

    Alternate names hold airport codes and short forms ("Dec" for Decatur, "LeJ" for Leipzig): a
    town found by one of MAX_ALIAS letters or fewer, or by any alternate name outside the
    document's countries when it has some, is not the place meant.
    """
    if cand.primary or cand.kind != "city":
        return False
    return len(key.replace(" ", "")) <= MAX_ALIAS or (bool(countries) and cand.country not in countries)


_INITIALISM = re.compile(r"(?:[A-Z]\.){2,4}")


def _initials_of(cands: Sequence[Candidate], text: str) -> tuple[Candidate, ...]:
    """Return the candidates an initialism spells ("L.A." Los Angeles, "D.C." District of Columbia).

    Folding drops the dots, so "L.A." is looked up as "La." (Louisiana) and its town is found only
    by an alias of two letters, which `_stray_alias` drops; the initials of each candidate's name
    decide instead. () when the text is no initialism or no candidate's initials match.
    """
    if not _INITIALISM.fullmatch(text):
        return ()
    letters = text.replace(".", "").lower()

    def initials(name: str) -> str:
        """Return the first letters of a name's words, "of", "the" and "and" left out."""
        return "".join(w[0] for w in fold(name).split() if w not in {"of", "the", "and"})

    return tuple(c for c in cands if initials(c.name) == letters)


def _overshadowed(cand: Candidate, cands: Sequence[Candidate]) -> bool:
    """Tell whether a town yields to a country or region of its name ("Oregon", "Mexico", "Kansas").

    A bare name that is a country or a first-level region means it, not a town of under
    AREA_TOWN_SHARE of its population; a country's name means the country, not a town known by it
    as an alternate name ("Mexico" for Mexico City). `choices` keeps a town of that very name whose
    own region the document evidences elsewhere (a region, a county or a near-certain town in it:
    "Lebanon" in a story that names Boone County, Indiana).
    """
    if cand.kind != "city":
        return False
    for area in cands:
        if area.kind not in ("country", "admin1") or not area.primary or area.country is None:
            continue
        if cand.population < AREA_TOWN_SHARE * area.population:
            return True
        if area.kind == "country" and not cand.primary:
            return True
    return False


def _home_region_of_its_name(cand: Candidate, cands: Sequence[Candidate]) -> bool:
    """Tell whether a town is outweighed by a first-level region of its own country of that name.

    "Nevada" beside "Missouri" is the state, not the Missouri town: a story that names a state
    names its other states as states. A town outweighed only by a foreign country or region of
    its name ("Lebanon", Indiana; "Palestine", Texas) may still be meant where its region is named.
    """
    return cand.kind == "city" and any(
        area.kind == "admin1"
        and area.primary
        and area.country == cand.country
        and cand.population < HOME_REGION_TOWN_SHARE * area.population
        for area in cands
    )


def _listed_area(cands: Sequence[Candidate], qualifier: _Mention) -> bool:
    """Tell whether "X, Y" lists two areas ("Kansas, Kentucky") rather than placing X in Y.

    X is a region or country whose every namesake inside Y is under AREA_TOWN_SHARE of its
    population: the town of Kansas in Kentucky is not what a list of states means, while
    "Washington, D.C." and "New York, N.Y." keep their cities.
    """
    areas = [c for c in cands if c.kind in ("country", "admin1") and c.primary]
    inside = [c for c in cands if _qualified(c, qualifier)]
    if not areas or not inside:
        return False
    size = max(c.population for c in areas)
    return all(c.population < AREA_TOWN_SHARE * size for c in inside)


def choices(state: _DocPlaces, n: int, countries: Sequence[str]) -> tuple[Candidate, ...]:
    """Return the candidates the rules leave to the ranker: a stated country, region or kind narrows them.

    "Paris, Texas" keeps the towns in Texas, "Aleppo province" the region; a name inside a longer
    capitalised phrase keeps only large places or those in the document's countries (maybe none).
    """
    m = state.mentions[n]
    qualifier = state.mentions[state.quals[n]] if n in state.quals else None
    spelled = _initials_of(m.candidates, m.text)
    cands = spelled or tuple(c for c in m.candidates if not _stray_alias(c, state.keys[n], countries))
    told = state.sense.get(state.keys[n])
    if qualifier is None and told is not None and told != n:
        # one sense per document: "Athens, Ga." once, then "Athens" is the same town
        qualifier = state.mentions[state.quals[told]]
    if qualifier is not None and (
        _listed_area(cands, qualifier) or not any(_qualified(c, qualifier) for c in cands)
    ):
        # "Kansas, Kentucky", and "California, Nevada, Oregon" where no California lies in Nevada: a list
        qualifier = None
    if qualifier is not None:
        cands = tuple(c for c in cands if _qualified(c, qualifier))
    elif m.partial:
        cands = tuple(c for c in cands if _plausible_part(c, countries))
    if m.prefer is None:
        # a region named for its main town ("Aleppo", "Donetsk"): the bare name is the town
        towns = {(c.country, c.admin1) for c in cands if c.kind == "city" and c.primary}
        cands = (
            tuple(c for c in cands if not (c.kind == "admin1" and (c.country, c.admin1) in towns)) or cands
        )
        if qualifier is None:
            key = state.keys[n]
            cands = (
                tuple(
                    c
                    for c in cands
                    if not _overshadowed(c, cands)
                    or (
                        c.primary
                        and not _home_region_of_its_name(c, cands)
                        and state.areas.get((c.country, c.admin1), frozenset()) - {key}
                    )
                )
                or cands
            )
    else:
        # "Walton County", "X district": a county or district is an admin1 in some countries, admin2 in others
        wanted = {m.prefer, "admin2"} if m.prefer == "admin1" else {m.prefer}
        cands = tuple(c for c in cands if c.kind in wanted) or cands
    return cands


def _pick(
    state: _DocPlaces,
    n: int,
    countries: Sequence[str],
    ranker: Ranker,
    words: dict[str, float] | None = None,
    named: bool = True,
    guess: Candidate | None = None,
) -> tuple[Candidate, float, list[str]] | None:
    """Let the ranker pick mention n's candidate; None when a passing mention is too obscure to count.

    named: `countries` are named in the document; a guess from its words (context_countries) never
    makes the only place a report names a namesake abroad ("attacked an army base near Dori").
    guess: the country the head is sure the words point to (`sure_guess`; None, as
    `geoparse_doc` asks: never). An event's town or area abroad of under MAX_NAMESAKE_POPULATION
    is a namesake when the document never names its country, the words surely point to another
    country and not at all to the place's (a country the head knows), and, unless the document
    names countries, lies over NAMESAKE_KM from that country's point ("Bari"
    in a note on a Bangladeshi hartal; "Dori" stays in Burkina Faso when the words lean to Mali).
    Geoparsing keeps it: a US story's "trip to Gaza" names Gaza.
    """
    m = state.mentions[n]
    qualifier = state.mentions[state.quals[n]] if n in state.quals else None
    cands = choices(state, n, countries)
    if not cands:
        return None
    if len(cands) == 1:
        best, p = cands[0], 1.0
    else:
        probs = ranker.probabilities([features(state, n, c, countries) for c in cands])
        k = int(probs.argmax())
        best, p = cands[k], float(probs[k])
    why = [f"'{m.text}'"]
    if m.locative:
        why.append(f"tied by '{m.locative}'")
    if qualifier is not None and _qualified(best, qualifier):
        why.append(f"qualified by '{qualifier.text}'")
    if best.country in countries:
        why.append(f"{best.country} in document")
    why.append(f"{best.kind}, population {best.population}")
    why.append(f"{ranker.label} p={p:.2f}")
    if best.kind != "country" and best.country not in countries and qualifier is None:
        # a small town or area abroad is a namesake when the document is of other countries and its
        # words do not point to the place's ("Strand" in a South African note); a town also when
        # named in passing
        pointed = words.get(str(best.country), 0.0) if words is not None else 1.0
        trusted = named or len(state.mentions) > 1  # a guess alone never removes a report's only place
        unlikely = trusted and bool(countries) and pointed < MIN_WORDS_P
        passing = m.locative is None and best.kind == "city"
        if best.population < MIN_PASSING_POPULATION and (passing or unlikely):
            return None
        # the head knows only the countries of its training notes, and leans to one of them even
        # for a text from elsewhere ("Russian jets bombed rebel positions" reads as Sudan)
        known = words is not None and str(best.country) in words
        if (
            guess is not None
            and guess.country != best.country
            and best.country not in state.country_names
            and best.population < MAX_NAMESAKE_POPULATION
            and pointed < MIN_WORDS_P
            and known
            and (named or far(best, guess))
        ):
            return None
    return best, p, why


def _ranker(ranker: Ranker | None) -> Ranker:
    """Return the ranker given, else the shipped one (checked against this code's features)."""
    chosen = ranker or load_ranker()
    if chosen.features != FEATURES:
        raise ModelNotFound(f"{chosen.label}: trained on other features than this eventcoder's; retrain it")
    return chosen


def find_places(
    sentence: Any,
    gazetteer: Gazetteer,
    countries: Sequence[str],
    exclude: Sequence[tuple[int, int]] = (),
    ranker: Ranker | None = None,
    country_model: LearnedModel | None = None,
) -> list[Place]:
    """Decide Event.location candidates: gazetteer places named in the span, best first.

    Args:
        sentence: a spaCy Span (a sentence or a clause of a parsed Doc).
        gazetteer: the loaded Gazetteer.
        countries: ISO3 codes of the document's countries, most relevant first.
        exclude: doc character spans already used as actors; names overlapping them are skipped.
        ranker: the place ranker; None: the shipped one.
        country_model: the document-country head (`place_country`), asked when `countries` is
            empty; None: the shipped one.

    Returns:
        Places ordered: places before topics and demonyms, locative first, then most specific
        (city, admin2, admin1, country), then the first named; a country
        comes after a more specific place inside it. A Place's reason starts with its marker
        (MARKERS), if any.
    """
    doc = sentence.doc
    state = doc_places(doc, gazetteer)
    chosen = _ranker(ranker)
    guess = sure_guess(doc, gazetteer, country_model)
    named = bool(countries)
    countries = context_countries(doc, countries, country_model)
    lo = bisect.bisect_left(state.mentions, sentence.start, key=lambda m: m.start)
    picked: list[tuple[int, Candidate, float, list[str]]] = []
    for n in range(lo, len(state.mentions)):
        m = state.mentions[n]
        if m.start >= sentence.end:
            break
        if m.end > sentence.end or any(m.start_char < b and a < m.end_char for a, b in exclude):
            continue
        best = _pick(state, n, countries, chosen, text_countries(doc, country_model), named, guess)
        if best is not None:
            picked.append((n, *best))
    # a place named together with a place inside it is its container, not the event's place
    in_country = {c.country for _n, c, _p, _w in picked if c.kind != "country"}
    in_admin1 = {(c.country, c.admin1) for _n, c, _p, _w in picked if c.kind == "city"}
    qualifier_ids = set(state.quals.values())

    def rank(item: tuple[int, Candidate, float, list[str]]) -> tuple[int, int, int, int, float]:
        """Order places: not a topic or demonym, not a container, best tied, most specific, first named."""
        n, c, _p, _why = item
        m = state.mentions[n]
        demoted = (
            (c.kind == "country" and c.country in in_country)
            or (c.kind == "admin1" and (c.country, c.admin1) in in_admin1)
            or n in qualifier_ids
            or m.reference is not None
        )
        # among equals the first named (p compares one name's candidates, not two names)
        first = -float(m.start)
        return (
            0 if m.topic or m.demonym else 1,
            0 if demoted else 1,
            _tie(m.locative),
            KIND_RANK[c.kind],
            first,
        )

    picked.sort(key=rank, reverse=True)
    whole = sentence.start == sentence.sent.start and sentence.end == sentence.sent.end
    return [
        _place(state.mentions[n], c, p, _marker(state.mentions[n], whole) + "; ".join(why))
        for n, c, p, why in picked
    ]


# the first word of a Place's reason when the place is weaker evidence of where an event happened
MARKERS = {
    "topic": "the place is only what the clause is about ('talks on Syria')",
    "demonym": "a demonym or national adjective stands for its country ('Syrian')",
    "sentence": "found in the whole sentence, not tied by a preposition or object to the span",
}


def prefix(marker: str) -> str:
    """Return how a Place's reason starts with a MARKERS entry ("sentence" -> "sentence: ")."""
    if marker not in MARKERS:
        raise KeyError(f"{marker!r} is not one of the place markers {sorted(MARKERS)}")
    return f"{marker}: "


def marked(place: Place, *markers: str) -> bool:
    """Say whether a Place's reason starts with one of these MARKERS (weaker evidence of where)."""
    return place.reason.startswith(tuple(prefix(m) for m in markers))


def _marker(m: _Mention, whole_sentence: bool) -> str:
    """Return the reason's marker ("topic: ", "demonym: ", "sentence: ") or ""."""
    if m.topic:
        return prefix("topic")
    if m.demonym:
        return prefix("demonym")
    if whole_sentence and m.locative is None:
        return prefix("sentence")
    return ""


def _place(m: _Mention, cand: Candidate, p: float, reason: str) -> Place:
    """Return a mention's Place; a reference point ("48km N of X") moves by the stated distance."""
    km, bearing = m.reference or (0.0, None)
    place = cand.to_place(m.text, reason)
    place = replace(place, feature=cand.feature, score=round(p, 4))
    if bearing is None or cand.kind == "country":
        return place
    lat, lon = _offset(cand.lat, cand.lon, km, bearing)
    name = f"{km:g} km from {cand.name} at bearing {bearing:g}"
    reason = f"{reason}; the stated distance and direction from '{m.text}'"
    return replace(place, name=name, lat=lat, lon=lon, geonameid=None, precision=cand.kind, reason=reason)


def _tie(locative: str | None) -> int:
    """Rank how firmly a mention is tied to the sentence: preposition 2, object 1, none 0."""
    if locative is None:
        return 0
    # a dateline names where the report was filed, most often but not always where it happened
    return 1 if locative.startswith("object of") or locative == "dateline" else 2


def resolve_place(
    sentence: Any,
    gazetteer: Gazetteer,
    countries: Sequence[str],
    exclude: Sequence[tuple[int, int]] = (),
    ranker: Ranker | None = None,
    country_model: LearnedModel | None = None,
) -> Place | None:
    """Decide Event.location: the most specific gazetteer place tied to the span, never a mere topic.

    A place whose reason starts with "sentence: " is weaker evidence (MARKERS); a topic ("talks
    on Syria"), a demonym ("Syrian") and a continent are never returned: a demonym counts in the
    document's countries (`document_countries`), whose first is the focus the pipeline falls back to.
    """
    places = find_places(sentence, gazetteer, countries, exclude, ranker, country_model)
    # a continent ("in Africa") says less than the document's focus country the pipeline falls back to
    return next((p for p in places if p.country is not None and not marked(p, "topic", "demonym")), None)


@dataclass(frozen=True, slots=True)
class Toponym:
    """A place name in a text and the GeoNames place it stands for (the `geoparse` record)."""

    start: int  # character offsets in the text
    end: int
    text: str
    name: str | None
    lat: float
    lon: float
    geonameid: int | None
    country: str | None  # ISO3
    admin1: str | None
    feature: str | None  # GeoNames class.code: "P.PPL", "A.ADM1", "A.PCLI"
    precision: str  # "city", "admin2", "admin1", "country"
    score: float  # the ranker's probability of this candidate among the name's candidates
    reason: str

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON object of the toponym, with ACLED's and UCDP's precision codes."""
        out = {f: getattr(self, f) for f in self.__slots__}
        out["acled_precision"] = acled_precision(self.precision)
        out["ucdp_precision"] = ucdp_precision(self.precision)
        return out


def acled_precision(precision: str) -> int:
    """Return ACLED's geo_precision: 1 a town, 2 a district or part of a region, 3 a region or wider."""
    return {"point": 1, "city": 1, "admin2": 2}.get(precision, 3)


def ucdp_precision(precision: str) -> int:
    """Return UCDP's where_prec: 1 exact, 2 within 25 km, 3 admin2, 4 admin1, 6 country."""
    return {"point": 1, "city": 2, "admin2": 3, "admin1": 4, "country": 6}.get(precision, 6)


def geoparse_doc(
    doc: Any, gazetteer: Gazetteer, ranker: Ranker | None = None, country_model: LearnedModel | None = None
) -> list[Toponym]:
    """Decide every toponym of a parsed document: its span and GeoNames place, in text order."""
    state = doc_places(doc, gazetteer)
    chosen = _ranker(ranker)
    named = document_countries(doc, gazetteer)
    countries = context_countries(doc, named, country_model)
    out: list[Toponym] = []
    for n, m in enumerate(state.mentions):
        best = _pick(state, n, countries, chosen, text_countries(doc, country_model), bool(named))
        if best is None:
            continue
        c, p, why = best
        out.append(
            Toponym(
                m.start_char,
                m.end_char,
                m.text,
                c.name,
                c.lat,
                c.lon,
                c.geonameid,
                c.country,
                c.admin1 if c.kind != "country" else None,
                c.feature,
                c.kind,
                round(p, 4),
                _marker(m, False) + "; ".join(why),
            )
        )
    return out


def document_countries(doc: Any, gazetteer: Gazetteer) -> list[str]:
    """Decide the document's countries: ISO3 codes of names and demonyms, most frequent first."""
    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    entities = _entity_index(doc)
    covered_to = 0
    double: list[tuple[int, str, str]] = []  # "Georgia": (token, the country, the other country's region)
    for i, j in _spans(doc, 0, len(doc)):
        if i < covered_to:
            continue
        text = span_text(doc[i:j])
        code, region_of = _country_code(text, gazetteer)
        if code is None:
            continue
        covered_to = j
        if _in_person(doc, entities, i, j):
            continue  # "Chad Smith", "Jordan Spieth": a first name, not a country
        if region_of is not None:
            double.append((i, code, region_of))
            continue
        counts[code] += 1
        first.setdefault(code, i)
    shared = _shared_countries(doc, gazetteer)
    for i, code, region_of in double:
        # "Georgia" beside Atlanta and Texas is the US state; alone, or beside Tbilisi, the country
        ahead = region_of in shared and (code not in shared or shared.index(region_of) < shared.index(code))
        home = counts[region_of] > counts[code] or (ahead and not counts[code])
        chosen = region_of if home else code
        counts[chosen] += 1
        first.setdefault(chosen, i)
    named = sorted(counts, key=lambda c: (-counts[c], first[c]))
    return named + [c for c in shared if c not in named]


def _shared_countries(doc: Any, gazetteer: Gazetteer) -> list[str]:
    """Return the country most of the document's place names can lie in, when two or more agree.

    Notes often name villages and districts without their country: "Bodong and Kalu", each
    ambiguous alone, are read together in the one country that has both.
    """
    votes: Counter[str] = Counter()
    weight: dict[str, float] = {}
    seen: set[str] = set()
    state = doc_places(doc, gazetteer)
    for m, key in zip(state.mentions, state.keys, strict=True):
        if m.partial or m.demonym or key in seen:
            continue
        seen.add(key)
        best: dict[str, float] = {}
        for c in m.candidates:
            if c.country is None or not c.primary:
                continue
            best[c.country] = max(best.get(c.country, -math.inf), math.log10(c.population + 1))
        for code, score in best.items():
            votes[code] += 1
            weight[code] = weight.get(code, 0.0) + score
    ranked = sorted(votes, key=lambda c: (-votes[c], -weight[c]))
    return [c for c in ranked[:2] if votes[c] >= 2]


def _in_person(doc: Any, entities: list[tuple[int, int] | None], start: int, end: int) -> bool:
    """Tell whether the span lies inside a longer person's name spaCy tags ("Chad Smith")."""
    ent = entities[start]
    return (
        ent is not None
        and ent[0] <= start
        and end <= ent[1]
        and ent != (start, end)
        and doc[start].ent_type_ == "PERSON"
    )


@lru_cache(maxsize=1 << 14)  # a pure function of the name: documents repeat their names
def _country_code(text: str, gazetteer: Gazetteer) -> tuple[str | None, str | None]:
    """Return the ISO3 code a capitalised name or demonym stands for, or None, and a second reading.

    A region's name counts for its country ("Louisiana" -> USA) unless a large town shares it
    ("Alexandria" is a governorate and a city of millions) or the region does not outweigh its
    namesakes abroad (`_region_country`: "Douglas", a parish of Man and many US counties). The
    second reading is the country of
    a first-level region that shares a country's name ("Georgia"), or None.
    """
    key = text.lower().replace("\u2019", "'")
    table = load_demonyms()
    if normalize(text) in stoplist() and key not in table:
        return None, None
    cands = gazetteer.lookup(text)
    regions = {c.country for c in cands if c.kind == "admin1" and c.primary}
    code = table.get(key) or next((c.country for c in cands if c.kind == "country"), None)
    if code is not None:
        others = regions - {code}
        return code, (others.pop() if len(others) == 1 else None)
    big_towns = any(c.kind == "city" and c.population >= 100_000 for c in cands)
    region = _region_country(cands)
    return (region, None) if region is not None and not big_towns else (None, None)


def _region_country(cands: Sequence[Candidate]) -> str | None:
    """Return the country of the one first-level region a name means, or None.

    The region must outweigh every town and area of its name in other countries
    (AREA_TOWN_SHARE): "Far North" is Cameroon's region though New Zealand has a Far North
    District; "Michael" and "Paul" (a parish of Man, a county of Cape Verde, each smaller than
    the towns of that name elsewhere) and "Douglas" (US counties) mean no region.
    """
    regions = [c for c in cands if c.kind == "admin1" and c.primary and c.population > 0]
    if len({c.country for c in regions}) != 1:
        return None
    size = max(c.population for c in regions)
    home = regions[0].country
    if any(
        c.country != home and c.population >= AREA_TOWN_SHARE * size for c in cands if c.kind != "country"
    ):
        return None
    return home


GUESS_KEY = "eventcoder.place_country"
WEIGHED_KEY = "eventcoder.place_country_weighed"


def far(place: Candidate, country: Candidate) -> bool:
    """Tell whether a place lies over NAMESAKE_KM from a country's point."""
    return distance_km(place.lat, place.lon, country.lat, country.lon) > NAMESAKE_KM


def sure_guess(doc: Any, gazetteer: Gazetteer, model: LearnedModel | None = None) -> Candidate | None:
    """Return the country entry the document's words surely point to (`guessed_country`), or None."""
    guess = guessed_country(doc, model)
    return gazetteer.country(guess[0]) if guess else None


def text_countries(doc: Any, model: LearnedModel | None = None) -> dict[str, float]:
    """Return the country head's probability of each country for the document's text, once per doc."""
    cached = doc.user_data.get(GUESS_KEY)
    if cached is not None and cached[0] is model:
        found: dict[str, float] = cached[1]
        return found
    found = country_probabilities(doc_text(doc), model or load_country_model())
    doc.user_data[GUESS_KEY] = (model, found)
    return found


def _weighed_by_names(doc: Any, probabilities: dict[str, float]) -> dict[str, float]:
    """Return the head's probabilities weighed by the countries the document's names can lie in.

    The head reads words only and can be sure of a country no name of the text lies in ("M23
    rebels clashed with Congolese troops" read as Myanmar, "Soldiers protest unpaid salaries in
    Yola" as Ethiopia). Each distinct name (a place or a demonym, not a topic or part of a longer
    name) with a reading in a country the head knows multiplies the countries it cannot lie in by
    NAME_ABSENT_WEIGHT. Names come from the document's place mentions (`doc_places`); before
    they are built, the probabilities are returned as they are.
    """
    cached = doc.user_data.get(STATE_KEY)
    if cached is None or not probabilities:
        return probabilities
    state: _DocPlaces = cached[1]
    done = doc.user_data.get(WEIGHED_KEY)
    if done is not None and done[0] is state and done[1] is probabilities:
        weighed: dict[str, float] = done[2]
        return weighed  # asked once per clause: weigh once per document
    seen: set[str] = set()
    out = dict(probabilities)
    for m, key in zip(state.mentions, state.keys, strict=True):
        if key in seen or m.partial or m.topic:
            continue
        seen.add(key)
        where = {c.country for c in m.candidates if c.country is not None}
        if where.isdisjoint(out):
            continue  # "Idlib": no reading in a country the head knows, so no evidence among them
        for code in out:
            if code not in where:
                out[code] *= NAME_ABSENT_WEIGHT
    total = sum(out.values())
    weighed = {c: v / total for c, v in out.items()} if total > 0 else probabilities
    doc.user_data[WEIGHED_KEY] = (state, probabilities, weighed)
    return weighed


def guessed_country(
    doc: Any, model: LearnedModel | None = None, among: Sequence[str] = ()
) -> tuple[str, float] | None:
    """Return the country the document's words point to (among `among` if given) when the head is sure."""
    probabilities = _weighed_by_names(doc, text_countries(doc, model))
    allowed = [c for c in probabilities if not among or c in among]
    if not allowed:
        return None
    best = max(allowed, key=probabilities.__getitem__)
    sure = min_guess_p(model or load_country_model())
    return (best, probabilities[best]) if probabilities[best] >= sure else None


def context_countries(doc: Any, countries: Sequence[str], model: LearnedModel | None = None) -> list[str]:
    """Decide the countries that weigh a document's candidates: the named ones, else the head's guess.

    Notes naming only villages or no place at all ("BJP members protested") still say by their
    words where they are; the guess stands in for a named country only when none is named.
    """
    if countries:
        return list(countries)
    guess = guessed_country(doc, model)
    return [guess[0]] if guess else []


def document_place(
    doc: Any,
    gazetteer: Gazetteer,
    countries: Sequence[str],
    country: str | None = None,
    ranker: Ranker | None = None,
    country_model: LearnedModel | None = None,
    named: bool = True,
) -> Place | None:
    """Decide Event.location's document fallback: the document's best-tied place, first named among equals.

    named: `countries` are named in the document, not only guessed from its words (see _pick).

    Places tied by a preposition come first, then objects ("shelled X"), then names in passing
    ("Residents of X"); a reference point counts at its stated offset ("3 km W of X"). Never a
    topic, a demonym, a qualifier ("Athens, Georgia"), a country or a continent; with `country`,
    only a place inside it.
    """
    state = doc_places(doc, gazetteer)
    chosen = _ranker(ranker)
    guess = sure_guess(doc, gazetteer, country_model)
    qualifiers = set(state.quals.values())
    best: tuple[int, int, Place] | None = None
    for n, m in enumerate(state.mentions):
        if m.topic or m.demonym or m.partial or n in qualifiers:
            continue
        if best is not None and _tie(m.locative) <= best[0]:
            continue
        picked = _pick(state, n, countries, chosen, text_countries(doc, country_model), named, guess)
        if picked is None or picked[0].kind == "country" or picked[0].country is None:
            continue
        cand, p, why = picked
        if country is None or cand.country == country:
            best = (
                _tie(m.locative),
                n,
                _place(m, cand, p, "the place the document names; " + "; ".join(why)),
            )
    return best[2] if best else None


def _named_as(doc: Any, country: str) -> set[str]:
    """Return how the document's names can name a country: "place", "demonym", "topic"."""
    state = doc.user_data[STATE_KEY][1] if STATE_KEY in doc.user_data else None
    if state is None:
        return {"place"}  # no place mentions built: trust the named country
    ways = set()
    for m in state.mentions:
        if any(c.country == country for c in m.candidates):
            ways.add("demonym" if m.demonym else "topic" if m.topic else "place")
    return ways


def focus_country(
    doc: Any, countries: Sequence[str], country_model: LearnedModel | None = None
) -> tuple[str, str] | None:
    """Decide Event.location's fallback country and why: the one named, else the words' sure choice.

    Of several countries named, the one the country head (`place_country`) is sure the words point
    to; of none, the head's sure guess; None when the head is unsure. One country named only by a
    demonym or as a topic yields to the head's sure guess of another; named only as a topic, it is
    no focus of its own.
    """
    if len(countries) == 1:
        ways = _named_as(doc, countries[0])
        guess = guessed_country(doc, country_model)
        if guess is not None and guess[0] != countries[0] and "place" not in ways:
            # "a Kenyan convoy was ambushed", "the Chad Embassy": who or whose, the words may tell where
            label = f"{(country_model or load_country_model()).label} p={guess[1]:.2f}"
            named = "only a demonym or a topic names another country"
            return guess[0], f"{named}; the country the words point to; {label}"
        if ways == {"topic"} and guess is None:
            return None  # "the U.S. embassy", "talks on Syria": what the text is about, not where
        return countries[0], "the country the document is about"
    guess = guessed_country(doc, country_model, among=countries)
    if guess is None:
        return None  # several countries named and the words do not choose: none is safely the place
    label = f"{(country_model or load_country_model()).label} p={guess[1]:.2f}"
    if countries:
        return guess[0], f"the named country the words point to; {label}"
    return guess[0], f"no country named; the country the words point to; {label}"


def document_focus(
    doc: Any,
    countries: list[str],
    gazetteer: Gazetteer,
    country_model: LearnedModel | None = None,
    ranker: Ranker | None = None,
) -> Place | None:
    """Decide Event.location when no sentence of an event names a place: the document's place or country.

    `doc` is the parsed document, `countries` its `document_countries`. The focus is the
    document's best-tied place (`document_place`) inside the focus country (`focus_country`), else
    that country; with no focus country, or one only guessed from the words while the document
    names none, the best-tied place anywhere.
    """
    country = focus_country(doc, countries, country_model)
    context = context_countries(doc, countries, country_model)
    named = bool(countries)
    within = country[0] if country and named else None  # a guess never vetoes a place the text names
    place = document_place(doc, gazetteer, context, within, ranker, country_model, named)
    if place is not None or country is None:
        return place
    return gazetteer.country_place(country[0], reason=country[1])
