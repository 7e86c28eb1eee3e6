"""The ACLED actor-type stage: real pipeline sentences, a real training run, the train command."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from eventcoder import extract
from eventcoder.classify.model import load_model
from eventcoder.evaluate.gold import GoldRecord, read_gold
from eventcoder.records import Actor, Event, Place
from eventcoder.resolve.actor_cli import (
    actor_examples,
    country_examples,
    crowd_ordered,
    event_model_id,
    gold_order,
    order_example,
    train_actor_model,
    train_actors,
)
from eventcoder.resolve.actor_types import (
    acled_country,
    acled_name,
    crowd_first,
    doubted_place,
    named_place_countries,
    type_event,
    typed_actor,
)
from eventcoder.resolve.gazetteer import Gazetteer

NOTES = Path(__file__).parents[1] / "data" / "actors" / "notes.csv"
CONTEXT = {  # an ActorContext's fields: a battle in Nigeria
    "role": "source",
    "text": "",
    "name": None,
    "country": None,
    "sector": None,
    "code": None,
    "event_type": "ASSAULT",
    "mode": None,
    "acled_type": "Battles",
    "sub_type": "Armed clash",
    "place_country": "NGA",
    "sentence": "Jihadists ambushed an army patrol.",
}


def top(text: str) -> Event:
    """Return the first event the real pipeline codes in one sentence."""
    events = extract(text)
    assert events, f"no event in {text!r}"
    return events[0]


@pytest.mark.parametrize(
    ("text", "inter", "name"),
    [
        ("Government troops shelled rebel positions near Aleppo.", 1, "Military Forces of Syria"),
        ("Kenyan police arrested 12 people in Nairobi.", 1, "Police Forces of Kenya"),
        ("Thousands of farmers protested in Nairobi against the new tax.", 6, "Protesters (Kenya)"),
        # ACLED's type 8: state forces acting outside their country; they keep their own country
        ("Russian jets bombed rebel positions in Idlib.", 8, "Military Forces of Russia"),
    ],
)
def test_actor_types_source_type_and_name(text: str, inter: int, name: str) -> None:
    source = top(text).source
    assert source is not None
    assert (source.inter, source.acled_name) == (inter, name)


def test_actor_types_rebels_are_the_target_of_government_shelling() -> None:
    event = top("Government troops shelled rebel positions near Aleppo.")
    assert event.target is not None
    assert event.target.sector == "REB"
    assert event.target.inter in (2, 3)  # rebels or an armed group: never state forces
    assert event.target.acled_name != "Military Forces of Syria"


def test_actor_types_protesting_crowd_is_the_source_not_the_target() -> None:
    event = top("Thousands of farmers protested in Nairobi against the new tax.")
    assert event.source is not None
    assert "farmers" in event.source.text
    assert event.target is None or "farmers" not in event.target.text


@pytest.mark.parametrize(
    "text",
    [
        "A suicide bombing in Mogadishu killed five people; the attack was claimed by Al-Shabaab.",
        "Al-Shabaab claimed responsibility for a suicide bombing that killed five people in Mogadishu.",
    ],
)
def test_actor_types_claimant_is_the_source(text: str) -> None:
    event = top(text)
    assert event.source is not None
    assert (event.source.name, event.source.acled_name, event.source.inter) == ("al-Shabaab", "Al Shabaab", 2)
    assert "Al-Shabaab" not in event.attributed_to


def test_actor_types_bandits_are_armed_not_rioters() -> None:
    event = top("Bandits killed seven villagers in Zamfara state.")
    assert event.acled is not None
    assert event.acled.event_type != "Riots"
    assert event.target is not None
    assert (event.target.inter, event.target.acled_name) == (7, "Civilians (Nigeria)")


def test_actor_types_victim_is_never_the_agent() -> None:
    event = top("Two soldiers were killed when militants attacked their base in Borno.")
    assert event.source is None or "soldiers" not in event.source.text


def test_actor_types_domestic_crowd_takes_the_country_of_the_place() -> None:
    source = top("Hundreds of students marched through Accra on Monday.").source
    assert source is not None
    assert (source.country, source.acled_name) == ("GHA", "Protesters (Ghana)")


def test_actor_types_reason_names_the_model() -> None:
    source = top("Kenyan police arrested 12 people in Nairobi.").source
    assert source is not None
    assert "eventcoder-actors" in source.reason


@pytest.mark.parametrize(
    ("iso3", "name"),
    [("COD", "Democratic Republic of Congo"), ("TUR", "Turkey"), ("PSE", "Palestine"), ("KEN", "Kenya")],
)
def test_actor_types_country_names_as_acled_writes_them(iso3: str, name: str) -> None:
    assert acled_country(iso3) == name


@pytest.mark.parametrize(
    ("actor", "inter", "name"),
    [
        (Actor("gunmen", None, "MLI", "UAF", "MLIUAF"), 3, "Unidentified Armed Group (Mali)"),
        (Actor("rioters", None, "IND", "CVL", "INDCVL"), 5, "Rioters (India)"),
        (Actor("villagers", None, "SOM", "CVL", "SOMCVL"), 7, "Civilians (Somalia)"),
        (Actor("Boko Haram", "Boko Haram", "NGA", "REB", "NGAREB"), 2, None),
    ],
)
def test_actor_types_acled_name(actor: Actor, inter: int, name: str | None) -> None:
    found = acled_name(actor, inter, actor.country)
    assert found == name if name else found and found.startswith("Boko Haram")


def test_actor_types_train_on_fixture_then_code(tmp_path: Path) -> None:
    records = list(read_gold(NOTES, "acled"))
    examples = actor_examples(records, "fixture", "rules")
    assert {e.labels.get("inter") for e in examples} >= {"1", "6", "7"}
    countries = country_examples(records, "fixture")
    fitted = train_actor_model(
        [("fixture", examples + countries, examples[:4])], tmp_path, "fixture-actors", "0.1"
    )
    assert fitted.validation["n"] == 4
    model = load_model(str(tmp_path))
    assert set(model.heads["inter"].classes) >= {"1", "6", "7"}
    assert set(model.heads["country"].classes) == {"KEN", "NGA", "IND", "SOM", "MLI", "DZA"}
    stored = (tmp_path / "model.json").read_text(encoding="utf-8")
    assert "teachers" not in stored
    assert "Gusau" not in stored
    event = type_event(top("Hundreds of nurses marched through Nairobi to demand higher pay."), model)
    assert event.source is not None
    assert event.source.inter == 6
    assert "fixture-actors 0.1" in event.source.reason
    # the fixture's Nigerian notes list the army first whoever attacked, its Indian notes the attackers
    assert set(model.heads["order"].classes) == {"keep", "swap"}
    nigeria = type_event(top("Boko Haram fighters attacked soldiers near Maiduguri."), model)
    india = type_event(top("Maoist rebels attacked soldiers in Dantewada."), model)
    assert nigeria.acled is not None
    assert india.acled is not None
    assert (nigeria.acled.actor1, india.acled.actor1) == ("target", "source")
    first, second = nigeria.acled_actors()
    assert first is not None
    assert second is not None
    assert (first.text, first.inter, second.inter) == ("soldiers", 1, 2)
    assert "ACLED actor 1 by fixture-actors 0.1" in first.reason
    assert nigeria.source is not None
    assert nigeria.source.text == "Boko Haram fighters"


def test_actor_types_train_command(tmp_path: Path) -> None:
    out = tmp_path / "model"
    result = CliRunner().invoke(
        train_actors, [str(NOTES), "-o", str(out), "--event-model", "rules", "--seed", "1"]
    )
    assert result.exit_code == 0, result.output
    assert "validation:" in result.output
    assert json.loads((out / "model.json").read_text())["name"] == "eventcoder-actors"


def test_actor_types_train_command_refuses_other_gold(tmp_path: Path) -> None:
    other = tmp_path / "plain.csv"
    other.write_text("text,label\nPolice fired tear gas.,PROTEST\n", encoding="utf-8")
    result = CliRunner().invoke(train_actors, [str(other), "-o", str(tmp_path / "m")])
    assert result.exit_code == 2
    assert "not an ACLED CSV" in result.output


def test_actor_types_train_command_needs_help() -> None:
    result = CliRunner().invoke(train_actors, ["--help"])
    assert result.exit_code == 0
    assert "INTER1" in result.output


def test_actor_types_place_names_vote_for_their_country(gazetteer: Gazetteer) -> None:
    entities = [("Meerut", "GPE"), ("Lucknow", "GPE"), ("Reuters", "ORG"), ("Lahore", "GPE")]
    assert named_place_countries(entities, gazetteer) == ["IND", "PAK"]


def test_actor_types_note_without_place_takes_the_country_its_words_say() -> None:
    source = top("Members of the Nigeria Labour Congress protested a new electricity tariff.").source
    assert source is not None
    assert (source.inter, source.country) == (6, "NGA")


def test_actor_types_police_are_never_rioters() -> None:
    # ACLED lists a riot's rioters first and the police who meet them second
    event = top("Police fired tear gas at stone-throwing youths in Kisumu.")
    assert event.acled is not None
    police = event.target if event.acled.event_type in ("Protests", "Riots") else event.source
    assert police is not None
    assert "Police" in police.text
    assert (police.inter, police.acled_name) == (1, "Police Forces of Kenya")


def test_actor_types_events_acled_does_not_code_get_no_type() -> None:
    event = top("The Kenyan president met his Ugandan counterpart in Nairobi.")
    assert event.acled is None
    assert event.source is not None
    assert (event.source.inter, event.source.acled_name) == (None, None)


def test_actor_types_place_read_through_another_name_gives_way_to_the_words() -> None:
    # the gazetteer reads the Ethiopian town as a namesake abroad; the note's words say Ethiopia
    event = top("Soldiers fired on residents in Masala, West Hararge, killing two.")
    assert event.source is not None
    assert event.target is not None
    assert (event.source.country, event.source.acled_name) == ("ETH", "Military Forces of Ethiopia")
    assert event.target.country == "ETH"
    assert str(event.target.acled_name).endswith("(Ethiopia)")


@pytest.mark.parametrize(
    ("text", "name", "score", "doubted"),
    [
        ("Bahir Dar", "Bahir Dar", 1.0, False),  # read as written, ranked sure: it stands
        ("Bol", "Bol", 0.8, False),
        ("Masala", "Masally", 1.0, True),  # read through another of its names
        ("Baidoa", "15 km from Baidoa at bearing 135", 1.0, False),  # a distance from the place written
        ("Rafah", "Rafah", 0.5, True),  # ranked unsure, in a country the head gives almost none
    ],
)
def test_actor_types_doubted_place(text: str, name: str, score: float, doubted: bool) -> None:
    place = Place(text, name, 0.0, 0.0, "PSE", None, None, "city", score=score)
    assert doubted_place(place, {"EGY": 0.99, "PSE": 0.001}) is doubted


def test_actor_types_unnamed_arrester_is_the_police() -> None:
    # ACLED codes an actor 1 for every event it codes; an arrest's unnamed one is the police
    event = top("Dozens of opposition supporters were arrested in Kano on Tuesday.")
    assert event.acled is not None
    assert event.acled.event_type == "Strategic developments"
    assert event.source is not None
    assert (event.source.text, event.source.inter) == ("", 1)
    assert event.source.acled_name == "Police Forces of Nigeria"


@pytest.mark.parametrize(
    ("text", "target"),
    [
        # the model decides every ACLED event's missing actor 2: none for a march nobody met
        ("Hundreds of students marched through Accra on Monday.", None),
        ("A bomb went off in a market in Maiduguri, killing four.", "Civilians (Nigeria)"),
    ],
)
def test_actor_types_implied_target_only_where_acled_codes_one(text: str, target: str | None) -> None:
    event = top(text)
    assert event.acled is not None
    assert (event.target.acled_name if event.target else None) == target


def test_actor_types_state_forces_get_no_unnamed_state_force_as_target() -> None:
    event = top("Police arrested dozens in Lusaka on Monday.")
    assert event.source is not None
    assert event.source.inter == 1
    assert event.target is None or event.target.inter != 1


def test_actor_types_order_examples_only_where_the_gold_order_is_plain() -> None:
    # ACLED lists the army first though the jihadists attacked: training swaps the type labels
    # (actor_examples) and the order head learns "swap"
    record = GoldRecord(id="n1", text="Jihadists ambushed an army patrol.", inter1=1, inter2=2)
    source = {**CONTEXT, "text": "Jihadists", "sector": "REB"}
    target = {**CONTEXT, "role": "target", "text": "an army patrol", "sector": "MIL"}
    contexts = {"named": [True, True], "source": source, "target": target}
    assert gold_order(record, contexts) == "swap"
    assert gold_order(replace(record, inter1=2, inter2=1), contexts) == "keep"
    ordered = order_example(contexts, "swap", "fixture")
    assert ordered is not None
    assert ordered.labels == {"order": "swap"}
    assert "o country pair NGA REB>MIL" in ordered.rules
    # civilians fit no order; an unnamed side has none to learn
    assert gold_order(record, {**contexts, "target": {**target, "sector": "CVL"}}) is None
    assert gold_order(record, {**contexts, "named": [True, False]}) is None


@pytest.mark.parametrize(
    "text",
    [
        # the crowd is the actor of its protest even where the police are told as the agent
        "Police broke up a march by opposition activists in Dhaka.",
        "Police clashed with stone-throwing students in Srinagar.",
    ],
)
def test_actor_types_crowd_comes_before_its_police(text: str) -> None:
    event = top(text)
    assert event.acled is not None
    assert event.acled.event_type in ("Protests", "Riots")
    assert event.source is not None
    assert event.target is not None
    assert (event.source.inter in (5, 6), event.target.inter) == (True, 1)
    assert "Police" in event.target.text


def test_actor_types_bare_country_is_its_government() -> None:
    event = top("Turkey and Russia agreed to a ceasefire in Aleppo.")
    assert event.acled is not None
    assert event.source is not None
    assert event.source.inter in (1, 8)
    assert event.source.acled_name == "Government of Turkey"


def test_actor_types_crowd_first_only_for_state_forces_of_a_crowd_event() -> None:
    assert crowd_first("Protests", "COP", "CVL")
    assert crowd_first("Riots", "MIL", None)
    assert not crowd_first("Protests", "COP", "GOV")  # the crowd's own target is the government
    assert not crowd_first("Battles", "MIL", "REB")
    # force against protesters is the police's act: they stay its source ("Police beat protesters")
    assert not crowd_first("Protests", "COP", "CVL", "ASSAULT")
    assert crowd_first("Protests", "COP", "CVL", "PROTEST")
    assert crowd_first("Riots", "COP", "CVL", "ASSAULT")  # a clash of police and students


def test_actor_types_training_orders_a_protest_crowd_first() -> None:
    source = {
        "role": "source",
        "sector": "COP",
        "acled_type": "Protests",
        "text": "Police",
        "event_type": "PROTEST",
    }
    target = {
        "role": "target",
        "sector": "CVL",
        "acled_type": "Protests",
        "text": "activists",
        "event_type": "PROTEST",
    }
    ordered = crowd_ordered({"source": source, "target": target, "named": [True, True]})
    assert (ordered["source"]["text"], ordered["source"]["role"]) == ("activists", "source")
    assert (ordered["target"]["text"], ordered["target"]["role"]) == ("Police", "target")
    # force against protesters (an ASSAULT coded as a protest) keeps the police first, as coding does
    forced = {"source": {**source, "event_type": "ASSAULT"}, "target": {**target, "event_type": "ASSAULT"}}
    assert crowd_ordered({**forced, "named": [True, True]})["source"]["text"] == "Police"


@pytest.mark.parametrize(
    ("actor", "country", "name"),
    [
        # an armed group the text does not name is the place's, whichever armed type it gets
        (Actor("rebels", None, None, "REB", None), "MLI", "Unidentified Armed Group (Mali)"),
        # a named group keeps its own country (none here): it is not the place's
        (Actor("Ansar Dine fighters", "Ansar Dine", None, "REB", None), None, "Ansar Dine"),
    ],
)
def test_actor_types_unnamed_rebels_take_the_country_of_the_place(
    actor: Actor, country: str | None, name: str
) -> None:
    typed = typed_actor(actor, 2, 0.9, "test", "MLI")
    assert (typed.country, typed.acled_name) == (country, name)


def test_actor_types_contexts_cache_knows_a_retrained_event_model(tmp_path: Path) -> None:
    # the contexts are keyed by the event model's files, not its name: a retrained model recodes
    (tmp_path / "model.json").write_text('{"version": "1"}', encoding="utf-8")
    before = event_model_id(str(tmp_path))
    (tmp_path / "model.json").write_text('{"version": "2"}', encoding="utf-8")
    assert event_model_id(str(tmp_path)) != before
    assert event_model_id("rules") == "rules"
    assert len(event_model_id("default")) == 12
