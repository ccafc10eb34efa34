"""An event follows its grid-event chain: its status, note, rating and closing time are read
from the chain each time the chain moves (a listener called in the chain's transaction)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from kuaiji.apps.grassroots.models import Event, EventStatus, Rating
from kuaiji.platform.chains.models import ChainInstance, InstanceStatus, TaskStatus, WorkTask

BUSINESS_TYPE = "grassroots.event"

# The open step of the grid-event chain -> the event's status.
STEP_STATUS = {
    "accept": EventStatus.ACCEPTING,
    "triage": EventStatus.ACCEPTING,
    "county_dispatch": EventStatus.DISPATCHING,
    "assign": EventStatus.HANDLING,
    "handle_township": EventStatus.HANDLING,
    "handle_county": EventStatus.HANDLING,
    "handle_department": EventStatus.HANDLING,
    "feedback": EventStatus.FEEDBACK,
    "verify": EventStatus.VERIFYING,
    "close": EventStatus.VERIFYING,
    "evaluate": EventStatus.EVALUATING,
    "review": EventStatus.REVIEWING,
}


def follow_chain(instance: ChainInstance, open_tasks: list[WorkTask]) -> None:
    """Bring the event of `instance` in line with where its chain stands."""
    if not instance.business_id.isdigit():
        return
    event = Event.objects.filter(pk=int(instance.business_id)).first()
    if event is None:
        return
    event.instance = instance
    if open_tasks:
        task = open_tasks[0]
        event.status = STEP_STATUS.get(task.step, EventStatus.HANDLING)
        event.status_note = f"{task.step_name} · {task.unit_label}"[:200]
    elif instance.status in (InstanceStatus.COMPLETED, InstanceStatus.WITHDRAWN):
        _closed(event, instance)
    event.save(
        update_fields=["instance", "status", "status_note", "rating", "closed_at", "updated_at"]
    )


def _closed(event: Event, instance: ChainInstance) -> None:
    done = {
        task.step: task
        for task in instance.tasks.filter(status=TaskStatus.DONE).order_by("completed_at", "pk")
    }
    accept = done.get("accept")
    event.closed_at = instance.ended_at or timezone.now()
    if accept is not None and accept.form.get("decision") == "reject" and "triage" not in done:
        event.status = EventStatus.REJECTED
        event.status_note = accept.form.get("opinion", "")[:200] or _("Not accepted.")
        return
    event.status = EventStatus.CLOSED
    evaluated = done.get("evaluate")
    if evaluated is not None and evaluated.form.get("rating") in Rating.values:
        event.rating = evaluated.form["rating"]
        event.status_note = _("Closed and rated by the reporter.")
    else:
        event.rating = Rating.SATISFIED
        event.status_note = _("Closed; not rated in time, counted as satisfied.")
