"""Document-country heads (resolve/place_country.py) that never saw the notes a benchmark scores.

The shipped head is trained by `eventcoder train-places` on the place split's training part
(place_corpora.split_of: 70% of the ACLED notes by event id, and of LGL and GeoVirus), which holds
most of the event recipe's held-out notes and every region. benchmarks/accuracy.py codes its
in-domain rows with a head trained without the event recipe's held-out 10% of each ACLED set,
and its cross-region rows with one trained without the whole scored set, as the event and actor
models are. The same data and fit as the shipped head otherwise; the held-out sets are never read.
"""

from __future__ import annotations

import sys
from pathlib import Path

import actors_recipe
import recipe

from eventcoder.evaluate.gold import read_acled
from eventcoder.resolve.gazetteer import cache_dir
from eventcoder.resolve.place_corpora import read_corpus
from eventcoder.resolve.place_country import VERSION, train_country_head
from eventcoder.resolve.place_train import country_examples

CORPORA = ("lgl/lgl.xml", "geovirus/GeoVirus.xml")
HELD_OUT = "held-out"  # the name of the head trained without the event recipe's held-out notes


def notes_without(data: Path, leave_out: str) -> list[tuple[str, str, str]]:
    """Return the ACLED (id, text, ISO3) notes a head trained without `leave_out` reads, each set
    read once: every set but `leave_out`, or (HELD_OUT) every set but the event recipe's held-out notes."""
    notes: list[tuple[str, str, str]] = []
    for name in actors_recipe.SETS:
        if name == leave_out:
            continue
        records = list(read_acled(data / recipe.DEV_SOURCES[name][0]))
        held = (
            {r.text for r in actors_recipe.held_out_records(name, records)[1]}
            if leave_out == HELD_OUT
            else set()
        )
        notes += [(r.id, r.text, r.country or "") for r in records if r.text not in held]
    return notes


def validation_model(data: Path, leave_out: str = HELD_OUT) -> Path:
    """Return a country head trained without `leave_out` (an ACLED set, or HELD_OUT), cached."""
    folder = cache_dir() / "place-country" / "validation-models" / f"without-{leave_out}-{VERSION}"
    if (folder / "model.json").exists():
        return folder
    print(f"training a document-country head without {leave_out} ...", file=sys.stderr)
    articles = [a for part in CORPORA if (data / part).exists() for a in read_corpus(data / part)]
    examples, counts = country_examples(notes_without(data, leave_out), articles)
    card = train_country_head(examples, folder, counts)
    print(f"country head without {leave_out}: {counts}, {card['countries']} countries", file=sys.stderr)
    return folder
