"""Mentions of one real-world event fold into one record; different events stay apart."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from eventcoder.merge import compatible, fold, same_actor, told_as_before, within_document
from eventcoder.records import Actor, EventType, Flags, Mention, Place, Span, When

TEXT = (
    "Russian jets struck Turkish troops in Idlib on Thursday. "
    "The strike near Balyun killed 34 soldiers. "
    "Syrian forces shelled a village in Hama."
)


def sentence(index: int) -> Span:
    """Return the index-th sentence of TEXT as a span."""
    start = 0
    for _ in range(index):
        start = TEXT.index(". ", start) + 2
    end = TEXT.index(".", start) + 1
    return Span(start, end, TEXT[start:end])


def actor(country: str | None, sector: str | None, name: str | None = None) -> Actor:
    """Return an actor of a country and sector."""
    code = (country or "") + (sector or "") or None
    return Actor(f"{country} {sector}", name, country, sector, code)


def place(name: str, precision: Any) -> Place:
    """Return a place of the given precision."""
    return Place(name, name, 36.0, 36.6, "SYR", None, None, precision)


def mention(index: int = 0, **changes: Any) -> Mention:
    """Return a Russian airstrike on Turkish soldiers told in sentence index, with changes."""
    told = sentence(index)
    base = Mention(
        doc_id="doc",
        kind=EventType("ASSAULT", "aerial", "195"),
        trigger=Span(told.start, told.start + 6, told.text[:6]),
        sentence=told,
        source=actor("RUS", "MIL"),
        target=actor("TUR", "MIL"),
        location=None,
        date=None,
        fatalities=None,
        injuries=None,
        flags=Flags(),
        attributed_to=(),
        confidence=0.5,
    )
    return replace(base, **changes)


ISLAMIC_STATE = Actor("Daesh", "Islamic State", None, "REB", "IMGREB")
AL_QAEDA = Actor("al-Qaeda", "al-Qaeda", None, "REB", "IMGREB")


@pytest.mark.parametrize(
    ("other", "same"),
    [
        (mention(1), True),
        (mention(1, source=None), True),
        (mention(1, target=actor("TUR", None)), True),
        (mention(1, fatalities=34), True),
        (mention(1, kind=EventType("ASSAULT", None, "190")), True),
        (mention(1, kind=EventType("CONSULT", None, "040")), False),
        (mention(1, target=actor("SYR", "MIL")), False),
        (mention(1, source=actor("TUR", "MIL")), False),
        (mention(1, target=actor("TUR", "CVL")), False),
        (mention(1, flags=Flags(historical=True)), False),
        (mention(1, flags=Flags(negated=True)), False),
        (mention(1, date=When("Friday", "2020-02-28", "day")), True),
        (mention(0, source=ISLAMIC_STATE), False),
    ],
)
def test_merge_compatible(other, same):
    assert compatible(mention(0), other) is same
    assert compatible(other, mention(0)) is same


def test_merge_compatible_named_group_aliases():
    isis = mention(0, source=ISLAMIC_STATE)
    assert compatible(isis, mention(1, source=replace(ISLAMIC_STATE, text="ISIS")))
    assert not compatible(isis, mention(1, source=actor("SYR", "REB")))


def test_merge_compatible_different_named_groups():
    assert not compatible(mention(0, source=ISLAMIC_STATE), mention(1, source=AL_QAEDA))


def test_merge_compatible_differing_numbers():
    assert not compatible(mention(0, fatalities=34), mention(1, fatalities=33))
    assert not compatible(mention(0, injuries=3), mention(1, injuries=5))


def test_merge_compatible_differing_dates():
    thursday = When("Thursday", "2020-02-27", "day")
    friday = When("Friday", "2020-02-28", "day")
    assert not compatible(mention(0, date=thursday), mention(1, date=friday))


def test_merge_fold_keeps_most_specific_place():
    country = place("Syria", "country")
    town = place("Balyun", "city")
    assert fold(mention(0, location=country), mention(1, location=town)).location == town
    assert fold(mention(0, location=town), mention(1, location=country)).location == town


def test_merge_fold_ors_accidental():
    merged = fold(mention(0), mention(1, flags=Flags(accidental=True)))
    assert merged.flags.accidental
    assert fold(mention(0, flags=Flags(accidental=True)), mention(1)).flags.accidental


def test_merge_fold_fills_unknowns():
    merged = fold(mention(0, source=None, fatalities=None), mention(1, fatalities=34))
    assert (merged.source, merged.fatalities) == (actor("RUS", "MIL"), 34)


def test_merge_fold_keeps_every_speaker():
    merged = fold(mention(0, attributed_to=("Ankara",)), mention(1, attributed_to=("Moscow", "Ankara")))
    assert merged.attributed_to == ("Ankara", "Moscow")


def test_merge_within_document_one_event_with_every_telling():
    events = within_document([mention(0), mention(1, fatalities=34)], TEXT)
    assert len(events) == 1
    assert [e.text for e in events[0].evidence] == [sentence(0).text, sentence(1).text]
    assert all(TEXT[e.start : e.end] == e.text for e in events[0].evidence)
    assert events[0].fatalities == 34


def test_merge_within_document_keeps_different_events_apart():
    shelling = mention(
        2,
        kind=EventType("ASSAULT", "heavy-weapons", "194"),
        source=actor("SYR", "MIL"),
        target=actor("SYR", "CVL"),
    )
    events = within_document([mention(0), mention(1, target=actor("SYR", "MIL")), shelling], TEXT)
    assert len(events) == 3


def test_merge_event_ids_stable_and_distinct():
    mentions = [mention(0), mention(2, kind=EventType("PROTEST", None, "141"))]
    first = [e.id for e in within_document(mentions, TEXT)]
    again = [e.id for e in within_document(mentions, TEXT)]
    assert first == again
    assert len(set(first)) == 2
    other_text = [e.id for e in within_document(mentions, TEXT + " More.")]
    assert set(other_text).isdisjoint(first)


def test_merge_same_day_clashes_in_two_towns_stay_two():
    kharkiv = Place("Kharkiv", "Kharkiv", 49.99, 36.23, "UKR", None, None, "city")
    dnipro = Place("Dnipro", "Dnipro", 48.45, 34.98, "UKR", None, None, "city")
    day = When("Monday", "2024-03-04", "day")
    events = within_document(
        [mention(0, location=kharkiv, date=day), mention(1, location=dnipro, date=day)], TEXT
    )
    assert len(events) == 2


def test_merge_near_places_of_one_event_fold():
    town = place("Balyun", "city")
    near = replace(place("Kafr Nabl", "city"), lat=36.1, lon=36.6)
    assert len(within_document([mention(0, location=town), mention(1, location=near)], TEXT)) == 1


def test_merge_actors_of_no_identity_are_unknown_not_the_same():
    # "employees" and "riders": the rules know neither's country or sector; neither joins nor splits
    employees = Actor("employees", None, None, None, None)
    riders = Actor("riders", None, None, None, None)
    assert same_actor(employees, riders) is None
    named = Actor("Obama", "Obama", None, None, None)
    assert same_actor(named, replace(named, text="Barack Obama"))


def test_merge_a_toll_told_in_the_event_sentence_is_not_added_twice():
    from eventcoder import extract

    events = extract(
        "3 people were killed and 3 others injured during an attack by Nyatura fighters in Beni."
    )
    assaults = [e for e in events if e.type == "ASSAULT"]
    assert len(assaults) == 1
    (attack,) = assaults
    assert (attack.fatalities, attack.injuries) == (3, 3)
    assert attack.source is not None
    assert attack.source.text == "Nyatura fighters"  # the report names who attacked


# an attack, then the dead of something before it ("Earlier, ..."): not the attack's victims
EARLIER_DEAD = (
    "Militants attacked a police post near the town on Friday, wounding two officers. "
    "Earlier, 9 people died in attacks on the highway during the curfew."
)
ATTACK_DEAD = (
    "Militants attacked a police post near the town on Friday, wounding two officers. "
    "Nine people died in the attack."
)
EARLIER_KILLING = (
    "Gunmen shot and wounded a trader in the market on Sunday. "
    "Earlier, at least 12 people were killed in the district during the unrest."
)


def coded_with(model: str, text: str) -> list[Any]:
    """Return the violent events the real pipeline codes in one text with one event model."""
    from eventcoder.evaluate.score import is_violent
    from eventcoder.pipeline import code_documents
    from eventcoder.records import Document

    ((_, events),) = code_documents([Document(id="doc", text=text)], model=model)
    return [e for e in events if is_violent(e)]


@pytest.mark.slow
@pytest.mark.parametrize("model", ["default", "rules"])
def test_merge_casualty_report_told_as_before_adds_no_toll(model):
    (attack,) = coded_with(model, EARLIER_DEAD)
    assert attack.fatalities is None
    (same,) = coded_with(model, ATTACK_DEAD)
    assert same.fatalities == 9  # the attack's own dead are still added


@pytest.mark.slow
@pytest.mark.parametrize("model", ["default", "rules"])
def test_merge_killing_told_as_before_is_an_event_of_its_own(model):
    tolls = sorted((e.fatalities or 0, len(e.evidence)) for e in coded_with(model, EARLIER_KILLING))
    assert tolls == [(0, 1), (12, 1)]


@pytest.mark.parametrize(
    ("sentence", "before"),
    [
        ("Earlier, 9 people died in attacks on the highway.", True),
        ("Earlier on Tuesday two soldiers were killed.", True),
        ("Previously 40 had died in the blockade.", True),
        ("Before that, a bomb killed three.", True),
        ("Nine people died in the attack.", False),
        ("Earliest reports spoke of nine dead.", False),
        ("Two died earlier in hospital.", False),
    ],
)
def test_merge_told_as_before(sentence, before):
    assert told_as_before(Span(0, len(sentence), sentence)) is before
