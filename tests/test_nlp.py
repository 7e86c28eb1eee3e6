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


def test_nlp_parse_keeps_each_text_and_token_words_agree_with_spacy():
    from eventcoder.nlp import doc_text, load_model, parse, span_text, token_words

    texts = [
        "Police fired tear gas in Nairobi.\n\nTwo  people were hurt.",
        "",
        "Protesters (\u00e9l\u00e8ves) marched.",
    ]
    docs = list(parse(iter(texts)))
    assert [doc_text(d) for d in docs] == texts
    assert [d.text for d in docs] == texts  # the kept string is what spaCy rebuilds from its tokens
    loose = load_model()("Rebels shelled al-Bab.")  # not parsed through `parse`: read once from spaCy
    assert doc_text(loose) == "Rebels shelled al-Bab."
    words, spaced = token_words(loose)
    assert words == [t.text for t in loose]
    assert spaced == [bool(t.whitespace_) for t in loose]
    assert spaced[0]  # "Rebels " is followed by a space
    assert not spaced[-2]  # "al-Bab" by the full stop
    spans = [*docs[0].sents, docs[0][1:4], docs[2][2:5], loose[2:5]]
    assert [span_text(s) for s in spans] == [s.text for s in spans]
    assert span_text(docs[0][1:4]) == "fired tear gas"
