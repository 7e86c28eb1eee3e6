"""`eventcoder train-actors`: fit the ACLED actor-type model from ACLED CSV gold, seeded.

Each gold note is coded by the pipeline (without actor types); the event that tells the gold
record (score.matched_event) gives the examples: its source with ACTOR1's type (INTER1), its
target with ACTOR2's (INTER2), and an implied source or target where it names none (an implied
target of an event ACLED codes without ACTOR2 is labelled "0", no actor: most protests).
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, TextIO

import click

from eventcoder.classify.train import (
    DEFAULT_C,
    Example,
    Fitted,
    fit,
    split,
)
from eventcoder.errors import GoldFormatError
from eventcoder.evaluate.gold import GoldRecord, read_gold
from eventcoder.evaluate.score import asserted, matched_event
from eventcoder.keyed_cache import cache_writer, read_cache
from eventcoder.records import Document
from eventcoder.resolve.actor_types import (
    COUNTRY_HEAD,
    HEAD,
    KEEP,
    NO_ACTOR,
    ORDER_HEAD,
    SWAP,
    ActorContext,
    actor_context,
    crowd_first,
    order_findings,
    orderable,
    plausible_inters,
    rule_findings,
)

# 2^16 hashed features: fewer collisions of the actors' words than 2^14 (on a development split
# never trained on: +1.3 to +1.9 points of inter1 on Africa); weights.npz about 1.2 MB
ACTOR_BITS = 16
CACHE_FORMAT = 1


def event_model_id(event_model: str) -> str:
    """Return what identifies the event model coding the notes: "rules", else a hash of its files.

    A name such as "default" is not enough: the shipped model is retrained under the same name,
    and contexts coded by the old one would be read back as the new one's.
    """
    from eventcoder.classify.model import default_folder

    if event_model == "rules":
        return event_model
    folder = default_folder() if event_model == "default" else Path(event_model)
    digest = hashlib.sha1(event_model.encode())
    for name in ("model.json", "weights.npz"):
        if (folder / name).is_file():
            digest.update((folder / name).read_bytes())
    return digest.hexdigest()[:12]


def cache_key(record: GoldRecord, event_model: str) -> str:
    """Return the cache key of one gold note: its text, gold type and the event model coding it
    (event_model_id)."""
    return hashlib.sha1(f"{event_model}\n{record.acled_type}\n{record.text}".encode()).hexdigest()


def note_contexts(
    records: Sequence[GoldRecord], event_model: str, cache: Path | None, progress: TextIO | None = None
) -> list[dict[str, Any] | None]:
    """Return, per gold note, the source and target contexts of the event that tells it (cached)."""
    from eventcoder.classify.train import rules_version
    from eventcoder.pipeline import code_documents  # imported here: loads the spaCy model

    model_id = event_model_id(event_model)
    keys = [cache_key(r, model_id) for r in records]
    cache_file = cache / f"contexts-v{CACHE_FORMAT}-{rules_version()}.jsonl" if cache else None
    known: dict[str, dict[str, Any] | None] = read_cache(cache_file, "contexts")
    missing = {k: r for k, r in zip(keys, records, strict=True) if k not in known}
    with cache_writer(cache_file, "contexts", bool(missing)) as write:
        documents = (Document(id=k, text=r.text) for k, r in missing.items())
        coded = code_documents(documents, on_error=lambda bad: None, model=event_model, actor_model="rules")
        for done, (document, events) in enumerate(coded, start=1):
            match = matched_event(missing[document.id], asserted(events))
            contexts = None
            if match is not None:
                contexts = {
                    "source": actor_context(match, "source").to_dict(),
                    "target": actor_context(match, "target").to_dict(),
                    "named": [match.source is not None, match.target is not None],
                }
            known[document.id] = contexts
            write(document.id, contexts)
            if progress is not None and done % 500 == 0:
                print(f"train-actors: coded {done}/{len(missing)} notes", file=progress)
    return [known.get(k) for k in keys]


def example(context: dict[str, Any], label: str, source: str) -> Example:
    """Return one training example: the actor's words, the rules' findings and its ACLED type."""
    actor = ActorContext(**context)
    return Example(actor.text, tuple(rule_findings(actor)), {HEAD: label}, source)


def crowd_ordered(contexts: dict[str, Any]) -> dict[str, Any]:
    """Return a note's contexts with the crowd of a protest or riot first, as coding orders them.

    type_event swaps state forces told as the agent of a protest or riot with its crowd
    (actor_types.crowd_first); training sees the actors in the same order and roles.
    """
    source, target = contexts["source"], contexts["target"]
    named = contexts["named"]
    swap = crowd_first(source["acled_type"], source["sector"], target["sector"], source["event_type"])
    if not named[0] or not swap:
        return contexts
    return {
        "source": {**target, "role": "source"},
        "target": {**source, "role": "target"},
        "named": [named[1], named[0]],
    }


def gold_order(record: GoldRecord, contexts: dict[str, Any]) -> str | None:
    """Return KEEP when the gold lists the event's source as ACTOR1 and its target as ACTOR2, SWAP
    when it lists them the other way, None when the actors' sectors do not tell which (orderable).

    ACLED often lists the state forces of a battle first whoever attacked ("Jihadists ambushed a
    patrol": ACTOR1 the military).
    """
    if not all(contexts["named"]) or record.inter1 is None or record.inter2 is None:
        return None
    source, target = ActorContext(**contexts["source"]), ActorContext(**contexts["target"])
    if not orderable(source, target):
        return None
    first, second = plausible_inters(source), plausible_inters(target)
    if record.inter1 in first and record.inter2 in second:
        return KEEP
    if record.inter2 in first and record.inter1 in second:
        return SWAP
    return None


def order_example(contexts: dict[str, Any], label: str, source: str) -> Example:
    """Return the order head's example of a note whose two named actors the gold orders as `label`
    (gold_order)."""
    first, second = ActorContext(**contexts["source"]), ActorContext(**contexts["target"])
    return Example("", tuple(order_findings(first, second)), {ORDER_HEAD: label}, source)


def actor_examples(
    records: Sequence[GoldRecord],
    source: str,
    event_model: str = "default",
    cache: Path | None = None,
    progress: TextIO | None = None,
) -> list[Example]:
    """Turn ACLED gold notes into actor-type examples (source <-> INTER1, target <-> INTER2) and
    order examples (which of two named actors the gold lists first)."""
    found = []
    for record, contexts in zip(records, note_contexts(records, event_model, cache, progress), strict=True):
        if contexts is None:
            continue
        contexts = crowd_ordered(contexts)
        named_target = contexts["named"][1]
        order = gold_order(record, contexts)
        # a source labelled with the type of the actor ACLED lists first would teach that the
        # jihadists who ambushed a patrol are state forces: the type examples follow the actors
        inter1, inter2 = (record.inter2, record.inter1) if order == SWAP else (record.inter1, record.inter2)
        if order is not None:
            found.append(order_example(contexts, order, source))
        if inter1 is not None:
            found.append(example(contexts["source"], str(inter1), source))
        if named_target and inter2 is not None:
            found.append(example(contexts["target"], str(inter2), source))
        elif not named_target and contexts["target"]["acled_type"] is not None:
            label = str(record.inter2) if record.inter2 is not None else NO_ACTOR
            found.append(example(contexts["target"], label, source))
    return found


def country_examples(records: Sequence[GoldRecord], source: str) -> list[Example]:
    """Turn gold notes into country examples: the note's words, the country of its event's place."""
    return [Example(r.text, (), {COUNTRY_HEAD: r.country}, source) for r in records if r.country]


def train_actor_model(
    sources: Iterable[tuple[str, list[Example], list[Example]]],
    output: Path,
    name: str,
    version: str,
    bits: int = ACTOR_BITS,
    c: float = DEFAULT_C,
    card: dict[str, Any] | None = None,
) -> Fitted:
    """Fit and write an actor model from (source, train, validation) examples; return the type head.

    Examples labelled for COUNTRY_HEAD (country_examples) fit the country head beside it, those
    labelled for ORDER_HEAD (order_example) the order head.

    Raises:
        GoldFormatError: no source holds a training example.
    """
    from eventcoder.classify.model import save_model

    train: list[Example] = []
    held: list[Example] = []
    counts = {}
    for source, part, rest in sources:
        counts[source] = {"train": len(part), "validation": len(rest)}
        train.extend(part)
        held.extend(rest)
    if not any(e.labels.get(HEAD) is not None for e in train):
        raise GoldFormatError("no actor examples: the gold holds no ACLED note with INTER1 or INTER2")
    no_trust: dict[str, float] = {}  # the rules give no label of their own to mix in
    fitted = fit(train, held, bits, c, heads=(HEAD, COUNTRY_HEAD, ORDER_HEAD))
    heads = {h: (f.classes, f.weights, f.intercept, f.temperature, no_trust) for h, f in fitted.items()}
    figures = {h: f.validation for h, f in fitted.items()}
    details = dict(card or {})
    details.update({"bits": bits, "C": c, "examples": counts, "validation": figures})
    save_model(output, name, version, bits, heads, details)
    return fitted[HEAD]


def validation_line(fitted: Fitted) -> str:
    """Render the head's validation figures as one line."""
    figures = fitted.validation
    if not figures:
        return "validation: none held out"
    return (
        f"validation: {figures['n']} actors, accuracy {100 * figures['accuracy']:.1f}%, "
        f"log-loss {figures['log_loss']}, temperature {fitted.temperature}"
    )


@click.command("train-actors")
@click.argument("gold", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), required=True, help="Actor model directory to write."
)
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the validation split.")
@click.option(
    "--validation-share", type=float, default=0.1, show_default=True, help="Share held out for validation."
)
@click.option(
    "--event-model", default="default", show_default=True, help="Event model coding the notes (or rules)."
)
@click.option(
    "--name", default="eventcoder-actors", show_default=True, help="Model name in records' reasons."
)
@click.option("--version", "version", default="1.0", show_default=True, help="Model version.")
def train_actors(
    gold: tuple[Path, ...],
    output: Path,
    seed: int,
    validation_share: float,
    event_model: str,
    name: str,
    version: str,
) -> None:
    """Fit an ACLED actor-type model from ACLED CSV files (ACTOR1/INTER1, ACTOR2/INTER2 as gold)."""
    from eventcoder.resolve.gazetteer import cache_dir

    sources = []
    for path in gold:
        try:
            records = list(read_gold(path, "acled"))
        except GoldFormatError as error:
            raise click.UsageError(str(error)) from None
        examples = actor_examples(records, path.name, event_model, cache_dir() / "actors", sys.stderr)
        examples += country_examples(records, path.name)
        part, rest = split(examples, validation_share, seed)
        sources.append((path.name, part, rest))
    try:
        fitted = train_actor_model(sources, output, name, version, card={"seed": seed, "sources": len(gold)})
    except GoldFormatError as error:
        raise click.UsageError(f"{error}; give ACLED CSV files with INTER1/INTER2 columns") from None
    click.echo(validation_line(fitted), err=True)
    click.echo(f"wrote {output}", err=True)
