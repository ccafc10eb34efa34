"""The triage model learns from handled events: their descriptions with the category they were
finally handled under (the county centre's correction wins over the model's guess)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kuaiji.apps.grassroots.models import Event, EventStatus
from kuaiji.apps.grassroots.triage import classifier, corpus
from kuaiji.platform.access.services import authorize
from kuaiji.platform.audit.services import record


@dataclass(frozen=True)
class Retrained:
    """What a retraining used and how the new model does on a held-out split of it."""

    events: int
    samples: int
    accuracy: float


def handled_samples() -> list[tuple[str, str]]:
    """(description, category) of every closed event."""
    closed = Event.objects.filter(status=EventStatus.CLOSED).exclude(category="")
    return [(text, code) for text, code in closed.values_list("description", "category")]


def retrain_classifier(*, actor: Any) -> Retrained:
    """Train the triage model on the shipped corpus and the handled events, measure it on a
    held-out split, and make it the model every new report is classified with."""
    authorize(actor, "grassroots.event.triage")
    extra = handled_samples()
    measured = classifier.evaluate([*corpus.samples(), *extra])
    model = classifier.retrain(extra)
    record(
        actor=actor,
        action="grassroots.classifier.retrain",
        object_type="grassroots.classifier",
        object_label=model.digest,
        changes={"samples": [None, model.samples], "accuracy": [None, round(measured.accuracy, 4)]},
    )
    return Retrained(events=len(extra), samples=model.samples, accuracy=measured.accuracy)
