"""The spaCy wrapper: the entity index agrees with spaCy."""

from __future__ import annotations


def test_nlp_ents_within_is_span_ents():
    from eventcoder.nlp import ents_within, load_model

    text = (
        "Russian jets struck Idlib on Monday, Syrian state media said. Vladimir Putin called Recep "
        "Tayyip Erdogan from Moscow. The United Nations said 12 people died in Aleppo and Hama."
    )
    doc = load_model()(text)
    spans = [*doc.sents, doc[0:1], doc[2:9], doc[:], doc[5:5]]
    for span in spans:
        assert [(e.start, e.end) for e in ents_within(span)] == [(e.start, e.end) for e in span.ents]
    assert ents_within(doc[:])  # the text has entities: the comparison above is not vacuous
