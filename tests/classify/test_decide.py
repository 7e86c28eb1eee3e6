"""The classify stage's decisions: joint type, mode and sub-type within it, no event dropped."""

from __future__ import annotations

import zlib

import numpy as np
import pytest

from eventcoder.classify.decide import (
    NONE,
    LearnedClassifier,
    best_within,
    classify_mentions,
    compatible_pairs,
    joint_type,
    load_classifier,
    may_hand_back,
)
from eventcoder.classify.features import (
    SparseRow,
    counted,
    hashed,
    sparse_matrix,
    text_features,
    text_hashes,
    vectorize,
)
from eventcoder.ontology import plover
from eventcoder.records import DocumentSignals, EventType, Flags, Mention, Span


def mention(text: str, kind: EventType, standalone: bool = True) -> Mention:
    told = Span(0, len(text), text)
    return Mention(
        "doc", kind, told, told, None, None, None, None, None, None, Flags(), (), 0.5, standalone=standalone
    )


def test_decide_joint_type_takes_the_best_compatible_pair():
    plover = {"ASSAULT": 0.55, "CONSULT": 0.45}
    acled = {"(none)": 0.6, "Battles": 0.4}
    # ASSAULT with (none) is not a pair; CONSULT-(none) 0.27 beats ASSAULT-Battles 0.22
    kind, event_type, share = joint_type(plover, acled)
    assert (kind, event_type) == ("CONSULT", NONE)
    assert share == pytest.approx(0.27 / (0.27 + 0.22))


def test_decide_every_pair_names_known_types():
    types = set(plover()) | {NONE}
    assert {t for t, _ in compatible_pairs()} <= types


def test_decide_best_within_respects_the_allowed_set():
    assert best_within({"a": 0.7, "b": 0.2, "c": 0.1}, {"b", "c"}) == "b"
    assert best_within({"a": 1.0}, {"z"}) is None


def test_features_hashing_is_stable_and_bounded():
    row = vectorize("Troops shelled the town.", ["r type ASSAULT"], 10)
    assert row.as_dict() == vectorize("Troops shelled the town.", ["r type ASSAULT"], 10).as_dict()
    assert all(0 <= column < 1024 for column in row.columns)
    assert "w troops" in text_features("Troops!")
    assert "c  tr" in text_features("Troops!")
    assert hashed(["w 0"], 8).as_dict() == hashed(["w 0"], 8).as_dict()


def test_text_hashes_are_the_hashes_of_the_text_features_in_their_order():
    text = "Gunmen killed 12 villagers in Djibo; the army said gunmen fled."
    features = text_features(text)
    assert text_hashes(text) == [zlib.crc32(f.encode()) for f in features]
    expected: dict[int, float] = {}  # the signed hashing trick, written out plainly
    for feature in features:
        h = zlib.crc32(feature.encode())
        expected[h & 0xFFFF] = expected.get(h & 0xFFFF, 0.0) + (1.0 if h & 0x80000000 else -1.0)
    expected = {column: value for column, value in expected.items() if value}
    assert counted(text_hashes(text), 16).as_dict() == expected
    assert any(abs(v) > 1 for v in expected.values())  # "gunmen" twice: its columns count twice


def test_sparse_matrix_sums_a_column_the_text_and_the_rules_share():
    row = SparseRow(np.array([3, 5, 3]), np.array([0.5, 1.0, 0.25]))
    matrix = sparse_matrix([row, SparseRow(np.array([], dtype=np.int64), np.array([]))], 4)
    assert matrix.shape == (2, 16)
    assert matrix[0, 3] == 0.75
    assert matrix[0, 5] == 1.0
    assert matrix[1].nnz == 0


def test_decide_shipped_model_drops_a_sports_report_and_keeps_an_airstrike():
    classifier = load_classifier("default")
    assert isinstance(classifier, LearnedClassifier)
    sport = mention(
        "The striker shot the winner as City crushed United 3-0.", EventType("ASSAULT", "firearms", "190")
    )
    strike = mention(
        "Warplanes bombed rebel positions near Idlib, killing 12 fighters.",
        EventType("ASSAULT", "aerial", "195"),
    )
    kept = classify_mentions([sport, strike], DocumentSignals(), classifier)
    assert [m.sentence.text for m in kept] == [strike.sentence.text]
    assert kept[0].acled is not None
    assert kept[0].acled.sub_event_type == "Air/drone strike"
    assert 0.0 < kept[0].confidence <= 1.0
    assert kept[0].reason.startswith("eventcoder-default")


def test_decide_casualty_reports_keep_their_kind():
    toll = mention("Five dead.", EventType("ASSAULT", None, "190"), standalone=False)
    assert classify_mentions([toll], DocumentSignals(), load_classifier("default")) == [toll]


@pytest.mark.parametrize(
    ("published", "error"),
    [("yesterday", TypeError), (20210301, TypeError), ("0001-01-10", ValueError), ("9999-12-31", ValueError)],
)
def test_extract_refuses_publication_dates_it_cannot_use(published, error):
    from eventcoder import extract

    with pytest.raises(error, match="published"):
        extract("Gunmen killed five villagers in Maiduguri.", published=published)


def test_decide_unsure_model_backs_off_to_the_rules_for_statements_only():
    from dataclasses import replace

    from eventcoder.classify.model import Backoff, default_folder, load_model

    shipped = load_model(str(default_folder()))
    always = LearnedClassifier(replace(shipped, backoff=Backoff(1.01, 0.57)))  # never sure enough
    never = LearnedClassifier(replace(shipped, backoff=Backoff(0.0, 0.0)))
    talk = mention(
        "Officials of both countries met in Geneva on Tuesday.", EventType("CONSULT", "meet", "043")
    )
    backed = always.decide(talk, DocumentSignals())
    assert backed is not None
    assert (backed.kind.type, backed.confidence) == ("CONSULT", 0.57)
    assert "the rules decided" in backed.reason
    assert "the rules decided" not in (never.decide(talk, DocumentSignals()) or talk).reason
    # violence the model learned from human coding is never handed back to the rules
    strike = mention(
        "Warplanes bombed rebel positions near Idlib, killing 12 fighters.",
        EventType("ASSAULT", "aerial", "195"),
    )
    decided = always.decide(strike, DocumentSignals())
    assert decided is not None
    assert decided.reason.startswith("eventcoder-default")
    assert "rules decided" not in decided.reason


@pytest.mark.parametrize(
    ("rule_type", "rules", "model", "handed"),
    [
        ("CONSULT", "(none)", "Protests", True),  # "a summit on the unrest": the rules read a meeting
        ("REQUEST", "(none)", "Protests", False),  # "farmers surrounded the office, demanding ..."
        ("REQUEST", "(none)", "Strategic developments", True),
        ("COERCE", "Strategic developments", "Protests", False),  # "arrested when they tried to block"
        ("COERCE", "Strategic developments", "Battles", True),
        ("ASSAULT", "Battles", "Strategic developments", False),  # violence is never handed back
    ],
)
def test_decide_may_hand_back_all_but_violence_and_demonstrations_read_over_conflicts(
    rule_type, rules, model, handed
):
    assert may_hand_back(rule_type, rules, model) is handed


def test_model_backoff_round_trips_through_model_json(tmp_path):
    import shutil

    from eventcoder.classify.model import Backoff, default_folder, load_model, write_backoff

    folder = tmp_path / "model"
    shutil.copytree(default_folder(), folder)
    write_backoff(folder, Backoff(0.45, 0.61))
    assert load_model(str(folder)).backoff == Backoff(0.45, 0.61)


def test_decide_a_verbal_event_drops_a_place_only_found_in_its_sentence():
    from dataclasses import replace

    from eventcoder.classify.decide import told_place
    from eventcoder.records import Place

    aleppo = Place("Aleppo", "Aleppo", 36.2, 37.16, "SYR", None, 170063, "city", reason="sentence: Aleppo")
    tied = replace(aleppo, reason="in Aleppo")
    call = replace(
        mention("Putin called Erdogan as fighting raged in Aleppo.", EventType("CONSULT", "phone", "043"))
    )
    shelling = replace(call, kind=EventType("ASSAULT", "shelling", "195"))
    assert told_place(replace(call, location=aleppo)).location is None
    assert told_place(replace(call, location=tied)).location == tied
    assert told_place(replace(shelling, location=aleppo)).location == aleppo


def test_features_candidates_of_one_sentence_keep_their_own_rules():
    # the sentence's text block is computed once and shared: a candidate's rules never leak into another's
    text = "Gunmen attacked a police post and burned a school."
    first = vectorize(text, ["r type ASSAULT", "r mode ASSAULT firearms"], 16)
    second = vectorize(text, ["r type COERCE"], 16)
    again = vectorize(text, ["r type ASSAULT", "r mode ASSAULT firearms"], 16)
    assert first.as_dict() == again.as_dict()
    assert first.as_dict() != second.as_dict()
    assert set(hashed(["r mode ASSAULT firearms"], 16).columns) - set(second.columns.tolist())
