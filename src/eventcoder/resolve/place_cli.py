"""`eventcoder geoparse FILE` (toponyms as JSON lines) and `eventcoder train-places` (the ranker)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from eventcoder.errors import ModelNotFound

DEFAULT_DATA = Path("..") / "shared" / "data"
ACLED_FILES = (
    "acled-africa-2016/acled_africa_2016-01-01_to_2016-05-28.csv",
    "acled-asia-2015/acled_asia_2015-04_to_2015-10.csv",
)


@click.command()
@click.argument(
    "files",
    nargs=-1,
    required=True,
    type=click.Path(exists=True, dir_okay=False, allow_dash=True, path_type=Path),
)
@click.option(
    "--ranker", default="", help="Place-ranker directory from `eventcoder train-places`; default: shipped."
)
def geoparse(files: tuple[Path, ...], ranker: str) -> None:
    """Print every toponym of each text FILE ("-" is stdin) as one JSON object a line."""
    from eventcoder.geoparse import geoparse_many

    texts = [sys.stdin.read() if str(f) == "-" else f.read_text(encoding="utf-8") for f in files]
    try:
        for path, toponyms in zip(files, geoparse_many(texts, ranker), strict=True):
            for t in toponyms:
                click.echo(json.dumps({"file": str(path), **t.to_dict()}, ensure_ascii=False))
    except ModelNotFound as error:
        click.echo(f"eventcoder geoparse: {error}", err=True)
        sys.exit(1)


@click.command(name="train-places")
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), required=True, help="Ranker directory to write."
)
@click.option(
    "--corpus",
    "corpora",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="LGL- or GeoVirus-format XML (repeatable); default: lgl and geovirus under --data.",
)
@click.option(
    "--acled",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="ACLED CSV with notes and coordinates (repeatable); default: the development ACLED files.",
)
@click.option("--acled-notes", type=int, default=3000, show_default=True, help="Notes read per ACLED file.")
@click.option("--data", type=click.Path(path_type=Path), default=DEFAULT_DATA, show_default=True)
def train_places(
    output: Path, corpora: tuple[Path, ...], acled: tuple[Path, ...], acled_notes: int, data: Path
) -> None:
    """Train the place ranker on the training part of geoparsing gold and ACLED notes; print its figures.

    The document-country head (`place_country`) is trained first, into OUTPUT/country, and the
    ranker is trained with the countries it guesses for documents that name none.
    """
    from eventcoder.evaluate.gold import read_acled
    from eventcoder.nlp import load_model
    from eventcoder.resolve.gazetteer import Gazetteer
    from eventcoder.resolve.place_corpora import read_corpus, split_of
    from eventcoder.resolve.place_country import load_country_model, train_country_head
    from eventcoder.resolve.place_train import (
        TrainingSet,
        acled_groups,
        corpus_groups,
        country_examples,
        train_ranker,
    )
    from eventcoder.resolve.rank import save_ranker

    if not corpora and not acled:
        corpora = tuple(
            p for p in (data / "lgl" / "lgl.xml", data / "geovirus" / "GeoVirus.xml") if p.exists()
        )
        acled = tuple(p for p in (data / f for f in ACLED_FILES) if p.exists())
    if not corpora and not acled:
        raise click.UsageError(f"no training data under {data}; pass --corpus or --acled, or --data DIR")
    articles = {path: read_corpus(path) for path in corpora}
    records = {path: [r for r in read_acled(path) if split_of(r.id) == "train"] for path in acled}
    notes_of = [(r.id, r.text, r.country or "") for rs in records.values() for r in rs]
    examples, counts = country_examples(notes_of, [a for arts in articles.values() for a in arts])
    country = None  # the shipped country head, unless the examples name two countries or more
    if len({iso3 for _t, iso3 in examples}) >= 2:
        card = train_country_head(examples, output / "country", counts)
        sure, right = card["validation_sure_share"], card["validation_sure_accuracy"]
        click.echo(
            f"country head: {counts}; validation: sure on {sure:.3f}, right on those {right:.3f}", err=True
        )
        country = load_country_model(str(output / "country"))
    else:
        click.echo(
            "country head: the examples name fewer than two countries; the shipped one is used", err=True
        )
    nlp, gazetteer = load_model(), Gazetteer.load()
    groups, gold, sources = {}, {}, {}
    for path in corpora:
        groups[path.stem], gold[path.stem] = corpus_groups(nlp, gazetteer, articles[path], country)
        sources[path.stem] = path.name
        click.echo(f"{path.stem}: {len(groups[path.stem])} toponyms of {gold[path.stem]} gold", err=True)
    for path in acled:
        notes = [
            (r.id, r.text, r.lat, r.lon) for r in records[path] if r.lat is not None and r.lon is not None
        ]
        groups[path.stem], gold[path.stem] = acled_groups(nlp, gazetteer, notes[:acled_notes], country)
        sources[path.stem] = path.name
        click.echo(f"{path.stem}: {len(groups[path.stem])} toponyms of {gold[path.stem]} notes", err=True)
    ranker = train_ranker(TrainingSet(groups, gold), sources)
    save_ranker(output, ranker)
    top1, groups_n = ranker.card["validation_top1"], ranker.card["validation_groups"]
    click.echo(f"{ranker.label}: validation top-1 {top1:.3f} on {groups_n} toponyms")
    click.echo(f"wrote {output}")
