"""The dispatch console's actions: the township platform and the county centre move many events
at once, each through its grid-event chain exactly as from its task page.

Every action completes the event's open step of one kind (accept, triage, county dispatch) with
the same form a handler would send; each event is done in its own savepoint, so one event that
cannot move (someone moved it a moment ago, it is not the actor's) is reported and the others
still move.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from kuaiji.apps.grassroots import selectors
from kuaiji.apps.grassroots.models import Event
from kuaiji.apps.grassroots.progress import BUSINESS_TYPE
from kuaiji.platform.chains import services as chains
from kuaiji.platform.chains.assignment import answers_for
from kuaiji.platform.chains.models import TaskStatus, WorkTask
from kuaiji.platform.chains.selectors import my_tasks
from kuaiji.platform.core.errors import InvalidInput, KuaijiError
from kuaiji.platform.directory.models import Department

MAX_AT_ONCE = 200

# What each console action sends: the chain step it completes and the form it completes it with.
ACTIONS: dict[str, tuple[str, dict[str, str]]] = {
    "accept": ("accept", {"decision": "accept"}),
    "handle_here": ("triage", {"decision": "handle"}),
    "escalate": ("triage", {"decision": "escalate"}),
    "county_handles": ("county_dispatch", {"dispatch": "handle"}),
}


@dataclass
class Outcome:
    """Which events moved, and why the others did not (by event number)."""

    moved: list[str] = field(default_factory=list)
    refused: dict[str, str] = field(default_factory=dict)


def _open_step(actor: Any, event: Event, step: str) -> WorkTask | None:
    if event.instance_id is None:
        return None
    task = (
        WorkTask.objects.filter(instance_id=event.instance_id, status=TaskStatus.OPEN, step=step)
        .order_by("pk")
        .first()
    )
    return task if task is not None and answers_for(actor, task) else None


def _events(actor: Any, ids: Iterable[int]) -> list[Event]:
    wanted = list(dict.fromkeys(ids))
    if not wanted or len(wanted) > MAX_AT_ONCE:
        raise InvalidInput(
            fields={"events": _("Choose 1 to %(count)d events.") % {"count": MAX_AT_ONCE}}
        )
    return list(selectors.events(actor).filter(pk__in=wanted))


def _move(actor: Any, events: list[Event], step: str, form: dict[str, str]) -> Outcome:
    done = Outcome()
    for event in events:
        task = _open_step(actor, event, step)
        if task is None:
            done.refused[event.number] = _("It is not waiting for this step of yours.")
            continue
        try:
            with transaction.atomic():
                chains.complete(actor=actor, task=task.pk, form=form)
        except KuaijiError as error:
            done.refused[event.number] = str(error.message)
        else:
            done.moved.append(event.number)
    return done


def act(*, actor: Any, action: str, events: Iterable[int]) -> Outcome:
    """Apply one console action to many events."""
    if action not in ACTIONS:
        raise InvalidInput(fields={"action": _("Unknown action.")})
    step, form = ACTIONS[action]
    return _move(actor, _events(actor, events), step, form)


def assign(*, actor: Any, events: Iterable[int], department: str) -> Outcome:
    """The county centre sends events to a line department ("blowing the whistle", 吹哨)."""
    if not Department.objects.filter(code=department).exists():
        raise InvalidInput(fields={"department": _("No department has this code.")})
    form = {"dispatch": "assign", "department": department}
    return _move(actor, _events(actor, events), "county_dispatch", form)


def queue(actor: Any) -> list[tuple[Event, WorkTask]]:
    """Open events waiting for one of the actor's console steps, oldest first, with the task."""
    steps = {step for step, _form in ACTIONS.values()}
    mine = my_tasks(actor).filter(step__in=steps, business_type=BUSINESS_TYPE)
    tasks = {task.instance_id: task for task in mine}
    found = selectors.events(actor).filter(instance_id__in=list(tasks)).order_by("created_at")
    return [(event, tasks[event.instance_id]) for event in found if event.instance_id in tasks]
