"""Geoparsing alone: every place name of a text, resolved to its GeoNames place."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from eventcoder.resolve.places import Toponym, acled_precision, ucdp_precision

__all__ = ["Toponym", "acled_precision", "geoparse", "geoparse_many", "ucdp_precision"]


def geoparse(text: str, ranker: str = "") -> list[Toponym]:
    """Decide the toponyms of a text: each place name's span and the GeoNames place it stands for.

    Country names and demonyms ("Syrian") count as country toponyms (their reason starts with
    "demonym: "); a name inside a person's or an organisation's name does not count.

    Args:
        text: plain text; offsets refer to it as given.
        ranker: a place-ranker directory (`eventcoder train-places -o DIR`); "" is the shipped one.

    Returns:
        Toponyms in text order, each with `start`, `end`, `text`, `name`, `lat`, `lon`,
        `geonameid`, `country` (ISO3), `admin1`, `feature` (GeoNames class.code), `precision`
        ("city", "admin1", "country"; `acled_precision`/`ucdp_precision` give those codes),
        `score` (the ranker's probability of the chosen candidate) and `reason`.

    Raises:
        ModelNotFound: no spaCy model is installed, or `ranker` names no ranker.
    """
    return next(geoparse_many([text], ranker))


def geoparse_many(texts: Iterable[str], ranker: str = "") -> Iterator[list[Toponym]]:
    """Yield the toponyms of each text (as `geoparse`), parsing the texts in batches."""
    from eventcoder.nlp import load_model
    from eventcoder.resolve.gazetteer import Gazetteer
    from eventcoder.resolve.places import geoparse_doc
    from eventcoder.resolve.rank import load_ranker

    chosen = load_ranker(ranker)
    gazetteer = Gazetteer.load()
    for doc in load_model().pipe(texts):
        yield geoparse_doc(doc, gazetteer, chosen)
