"""Compare predicted events with gold records: pure functions over (GoldRecord, events) pairs.

How a document's events are compared with its one gold record:

* Only asserted events count: events flagged negated or hypothetical did not happen.
* The *primary* event is the most severe one (ACLED order Battles > Explosions/Remote
  violence > Violence against civilians > Riots > Protests > Strategic developments, then
  PLOVER ASSAULT > COERCE > PROTEST > ... ; ties go to the higher confidence). "ACLED type
  (primary)" is what a user reading the top event would see.
* The *matched* event is the first asserted event that agrees with the gold type (ACLED
  type, else PLOVER type, else CAMEO root, else PentaClass), else the primary event. Every
  other field (sub-type, actors, fatalities, place, date) is compared on the matched event, so
  "ACLED type (any event)" is the lenient figure and the field figures are end-to-end: no
  event means a wrong field.
* A document with no asserted event predicts "no event": PLOVER "(none)", CAMEO root 01 and
  PentaClass 0 (PLOVER drops CAMEO's 01 statements, so staying silent is the right answer).
* A field the matched event leaves empty is taken from the document's other asserted events
  (most severe first): one gold record is one real-world event, which the coder may have
  split over several records (a protest, then the police shooting at it).
* Fatalities: the matched event's number, else the largest number any asserted event states;
  a missing number counts as 0 only where the gold says 0.
* Date: scored only where the gold date is day-precise and the text states its year (ACLED
  notes carry no publication date, so "on Thursday" cannot be resolved).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from eventcoder.evaluate.gold import (
    VIOLENT_ACLED_TYPES,
    GoldRecord,
    penta_of_cameo,
    plover_names,
)
from eventcoder.geo import distance_km
from eventcoder.records import Event

T = TypeVar("T")
NONE = "(none)"
PLACE_KM = 25.0

# most severe first; how the primary event of a document is chosen
ACLED_SEVERITY = (
    "Battles",
    "Explosions/Remote violence",
    "Violence against civilians",
    "Riots",
    "Protests",
    "Strategic developments",
)
PLOVER_SEVERITY = (
    "ASSAULT",
    "COERCE",
    "PROTEST",
    "MOBILIZE",
    "THREATEN",
    "SANCTION",
    "REJECT",
    "ACCUSE",
    "REQUEST",
    "RETREAT",
    "CONCEDE",
    "AID",
    "COOPERATE",
    "SUPPORT",
    "CONSULT",
    "AGREE",
)

# field name -> label printed in the table, in table order
FIELDS = {
    "acled_type": "ACLED event type (primary event)",
    "acled_type_any": "ACLED event type (any event)",
    "acled_sub_type": "ACLED sub-event type",
    "plover_type": "PLOVER type",
    "cameo_root": "CAMEO root",
    "cameo_root_any_rater": "CAMEO root (any rater)",
    "penta": "PentaClass (statement + 4 quad classes)",
    "actor1_country": "actor-1 country",
    "actor2_country": "actor-2 country",
    "actor1_inter": "actor-1 ACLED type (inter1)",
    "actor2_inter": "actor-2 ACLED type (inter2)",
    "actor1_name": "actor-1 ACLED name exact",
    "actor2_name": "actor-2 ACLED name exact",
    "fatalities": "fatalities exact",
    "place_25km": f"place within {PLACE_KM:g} km",
    "place_country": "place country",
    "date": "date exact",
}


def asserted(events: Iterable[Event]) -> list[Event]:
    """Return the events that happened: not negated, not hypothetical."""
    return [e for e in events if not (e.flags.negated or e.flags.hypothetical)]


def acled_type(event: Event) -> str:
    """Return the event's ACLED event type, or "(none)"."""
    return event.acled.event_type if event.acled else NONE


def is_violent(event: Event) -> bool:
    """Say whether an event is violent: PLOVER ASSAULT or a violent ACLED event type."""
    return event.type == "ASSAULT" or acled_type(event) in VIOLENT_ACLED_TYPES


def _rank(order: Sequence[str], value: str) -> int:
    """Return the position of value in a severity order; unknown values rank last."""
    return order.index(value) if value in order else len(order)


def primary_event(events: Sequence[Event]) -> Event | None:
    """Return the document's most severe event (ties: highest confidence), or None."""
    if not events:
        return None
    return min(
        events,
        key=lambda e: (
            _rank(ACLED_SEVERITY, acled_type(e)),
            _rank(PLOVER_SEVERITY, e.type),
            -e.confidence,
        ),
    )


def cameo_root(event: Event | None) -> str:
    """Return the event's 2-digit CAMEO root; "01" (statement) for no event or no code."""
    if event is None or not event.cameo:
        return "01"
    return event.cameo[:2]


def penta(event: Event | None) -> int:
    """Return the event's PentaClass: from its CAMEO code, else its PLOVER type; 0 if none."""
    if event is None:
        return 0
    if event.cameo:
        from_cameo = penta_of_cameo(event.cameo)
        if from_cameo is not None:
            return from_cameo
    return plover_names().get(event.type, (None, 0))[1]


def _agrees(gold: GoldRecord, event: Event) -> bool:
    """Say whether an event has the gold's type in the most specific scheme the gold codes."""
    if gold.acled_type is not None:
        return acled_type(event) == gold.acled_type
    if gold.plover_types:
        return event.type in gold.plover_types
    if gold.cameo_roots:
        return cameo_root(event) in gold.cameo_roots
    return gold.penta is not None and penta(event) == gold.penta


def matched_event(gold: GoldRecord, events: Sequence[Event]) -> Event | None:
    """Return the first event agreeing with the gold type, else the primary event."""
    for event in events:
        if _agrees(gold, event):
            return event
    return primary_event(events)


def _first(match: Event | None, events: Sequence[Event], get: Callable[[Event], T | None]) -> T | None:
    """Return a value of the matched event, else of the first other event that has one."""
    ordered = ([match] if match else []) + sorted(
        (e for e in events if e is not match),
        key=lambda e: (_rank(ACLED_SEVERITY, acled_type(e)), _rank(PLOVER_SEVERITY, e.type)),
    )
    for event in ordered:
        value = get(event)
        if value is not None:
            return value
    return None


def predicted_fatalities(match: Event | None, events: Sequence[Event]) -> int | None:
    """Return the matched event's fatalities, else the largest any asserted event states."""
    if match is not None and match.fatalities is not None:
        return match.fatalities
    stated = [e.fatalities for e in events if e.fatalities is not None]
    return max(stated) if stated else None


def fatalities_correct(gold: int, predicted: int | None) -> bool:
    """Say whether predicted fatalities equal the gold; None counts as 0 only for a gold 0."""
    return predicted == gold or (predicted is None and gold == 0)


def date_expected(gold: GoldRecord) -> bool:
    """Say whether the text states the gold date's year, so a coder could give the date."""
    if gold.date is None or gold.date_precision not in (None, "day"):
        return False
    return re.search(rf"\b{gold.date[:4]}\b", gold.text) is not None


# field scored -> (the gold's attribute, ACLED's actor 1 (0) or actor 2 (1), the actor's attribute)
ACTOR_FIELDS = {
    "actor1_country": ("actor1_country", 0, "country"),
    "actor2_country": ("actor2_country", 1, "country"),
    "actor1_inter": ("inter1", 0, "inter"),
    "actor2_inter": ("inter2", 1, "inter"),
    "actor1_name": ("actor1", 0, "acled_name"),
    "actor2_name": ("actor2", 1, "acled_name"),
}


def actor_value(position: int, attribute: str) -> Callable[[Event], Any]:
    """Return a reader of one attribute of an event's ACLED actor 1 or 2 (None without that actor)."""

    def value(event: Event) -> Any:
        return getattr(event.acled_actors()[position], attribute, None)

    return value


def actor_fields(gold: GoldRecord, match: Event | None, real: Sequence[Event]) -> dict[str, bool]:
    """Compare the country, ACLED actor type and name of the event's source and target with actor 1 and 2."""
    found: dict[str, bool] = {}
    for scored, (wanted, position, attribute) in ACTOR_FIELDS.items():
        expected = getattr(gold, wanted)
        if expected is None or expected == "":
            continue  # the gold does not code it
        value = _first(match, real, actor_value(position, attribute))
        found[scored] = value == expected
    return found


@dataclass(frozen=True, slots=True)
class DocumentScore:
    """One document's comparison: each field True/False, or None where the gold is silent."""

    gold_id: str
    fields: dict[str, bool | None]
    gold_violent: bool | None
    predicted_violent: bool
    gold_label: str
    predicted_label: str


def _gold_label(gold: GoldRecord) -> str:
    """Return the gold's headline type label (ACLED type, PLOVER type, CAMEO root or class)."""
    if gold.acled_type is not None:
        return gold.acled_type
    if gold.plover_types:
        return gold.plover_types[0]
    if gold.cameo_roots:
        return NONE  # a CAMEO code with no PLOVER type: a statement
    return f"class {gold.penta}" if gold.penta is not None else ""


def _predicted_label(gold: GoldRecord, primary: Event | None, match: Event | None) -> str:
    """Return the predicted label in the gold's headline scheme."""
    if gold.acled_type is not None:
        return acled_type(primary) if primary else NONE
    if gold.plover_types or gold.cameo_roots:
        return match.type if match else NONE
    return f"class {penta(match)}"


def score_document(gold: GoldRecord, events: Sequence[Event]) -> DocumentScore:
    """Compare one document's predicted events with its gold record."""
    real = asserted(events)
    primary = primary_event(real)
    match = matched_event(gold, real)
    fields: dict[str, bool | None] = dict.fromkeys(FIELDS)
    if gold.acled_type is not None:
        predicted_types = {acled_type(e) for e in real} or {NONE}
        fields["acled_type"] = (acled_type(primary) if primary else NONE) == gold.acled_type
        fields["acled_type_any"] = gold.acled_type in predicted_types
    if gold.acled_sub_type is not None:
        fields["acled_sub_type"] = bool(
            match and match.acled and match.acled.sub_event_type == gold.acled_sub_type
        )
    if gold.plover_types or gold.cameo_roots:
        predicted_type = match.type if match else NONE
        fields["plover_type"] = predicted_type in (gold.plover_types or (NONE,))
    if gold.cameo_roots:
        fields["cameo_root"] = cameo_root(match) in gold.cameo_roots
    if gold.rater_roots:
        fields["cameo_root_any_rater"] = cameo_root(match) in gold.rater_roots
    if gold.penta is not None:
        fields["penta"] = penta(match) == gold.penta
    fields.update(actor_fields(gold, match, real))
    if gold.fatalities is not None:
        fields["fatalities"] = fatalities_correct(gold.fatalities, predicted_fatalities(match, real))
    place = _first(match, real, lambda e: e.location)
    if gold.lat is not None and gold.lon is not None:
        fields["place_25km"] = bool(
            place and distance_km(gold.lat, gold.lon, place.lat, place.lon) <= PLACE_KM
        )
    if gold.country:
        fields["place_country"] = bool(place and place.country == gold.country)
    if date_expected(gold):
        fields["date"] = _first(match, real, lambda e: e.date.value if e.date else None) == gold.date
    return DocumentScore(
        gold_id=gold.id,
        fields=fields,
        gold_violent=gold.violent,
        predicted_violent=any(is_violent(e) for e in real),
        gold_label=_gold_label(gold),
        predicted_label=_predicted_label(gold, primary, match),
    )


@dataclass(slots=True)
class Report:
    """Aggregate figures over documents."""

    documents: int = 0
    correct: Counter[str] = field(default_factory=Counter)
    scored: Counter[str] = field(default_factory=Counter)
    violent: Counter[str] = field(default_factory=Counter)  # tp fp fn tn
    confusion: Counter[tuple[str, str]] = field(default_factory=Counter)

    def accuracy(self, name: str) -> float | None:
        """Return the share of scored documents correct on a field; None if none scored."""
        return self.correct[name] / self.scored[name] if self.scored[name] else None

    def violent_precision(self) -> float | None:
        """Return the precision of "any violent event"; None if nothing predicted violent."""
        predicted = self.violent["tp"] + self.violent["fp"]
        return self.violent["tp"] / predicted if predicted else None

    def violent_recall(self) -> float | None:
        """Return the recall of "any violent event"; None if no gold violent document."""
        actual = self.violent["tp"] + self.violent["fn"]
        return self.violent["tp"] / actual if actual else None

    def to_dict(self) -> dict[str, Any]:
        """Return the figures as a JSON-ready dict."""
        return {
            "documents": self.documents,
            "fields": {
                name: {"correct": self.correct[name], "scored": self.scored[name]}
                for name in FIELDS
                if self.scored[name]
            },
            "violent": dict(self.violent),
            "violent_precision": self.violent_precision(),
            "violent_recall": self.violent_recall(),
        }


def summarize(scores: Iterable[DocumentScore]) -> Report:
    """Add document scores up into a Report."""
    report = Report()
    for one in scores:
        report.documents += 1
        for name, value in one.fields.items():
            if value is not None:
                report.scored[name] += 1
                report.correct[name] += int(value)
        if one.gold_violent is not None:
            key = {(True, True): "tp", (False, True): "fp", (True, False): "fn"}.get(
                (one.gold_violent, one.predicted_violent), "tn"
            )
            report.violent[key] += 1
        if one.gold_label and one.gold_label != one.predicted_label:
            report.confusion[(one.gold_label, one.predicted_label)] += 1
    return report


def _percent(value: float | None) -> str:
    """Format a share as a percentage, or a dash."""
    return "-" if value is None else f"{100 * value:.1f}%"


def format_report(report: Report, title: str = "", top: int = 10) -> str:
    """Render a Report as a readable text table with the most frequent type errors."""
    lines = [f"{title} ({report.documents} documents)" if title else f"{report.documents} documents"]
    width = max(len(label) for label in FIELDS.values()) + 2
    lines.append(f"{'field':<{width}}{'accuracy':>9}{'correct':>9}{'scored':>8}")
    for name, label in FIELDS.items():
        if report.scored[name]:
            lines.append(
                f"{label:<{width}}{_percent(report.accuracy(name)):>9}"
                f"{report.correct[name]:>9}{report.scored[name]:>8}"
            )
    if sum(report.violent.values()):
        v = report.violent
        lines.append(
            f"{'any violent event: precision':<{width}}{_percent(report.violent_precision()):>9}"
            f"{v['tp']:>9}{v['tp'] + v['fp']:>8}"
        )
        lines.append(
            f"{'any violent event: recall':<{width}}{_percent(report.violent_recall()):>9}"
            f"{v['tp']:>9}{v['tp'] + v['fn']:>8}"
        )
    if report.confusion:
        lines.append("")
        lines.append("most frequent type errors (gold -> predicted: documents)")
        for (gold, predicted), count in report.confusion.most_common(top):
            lines.append(f"  {gold} -> {predicted}: {count}")
    return "\n".join(lines)


def disagreement(gold: GoldRecord, events: Sequence[Event], score: DocumentScore) -> dict[str, Any]:
    """Return one JSON-ready disagreement: the text, the gold, the predictions, what differs."""
    return {
        "id": gold.id,
        "text": gold.text,
        "wrong": sorted(name for name, value in score.fields.items() if value is False),
        "gold": gold.to_dict(),
        "predicted": [e.to_dict() for e in events],
    }


def is_disagreement(score: DocumentScore) -> bool:
    """Say whether any scored field is wrong or the violent call differs."""
    violent_wrong = score.gold_violent is not None and score.gold_violent != score.predicted_violent
    return violent_wrong or any(value is False for value in score.fields.values())
