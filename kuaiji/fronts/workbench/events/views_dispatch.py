"""The dispatch console of the township platform and the county social governance centre: the
events waiting for one of their console steps (accept, triage, county dispatch), on a map and in
a table, moved many at once or one click at a time, and sent to a line department ("blowing the
whistle"). Each move goes through the event's chain exactly as from its task page."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST, require_safe

from kuaiji.apps.grassroots import dispatch, selectors
from kuaiji.apps.grassroots.models import Event
from kuaiji.fronts.shell.access import staff_required
from kuaiji.fronts.shell.grid_events import category_name
from kuaiji.fronts.workbench.chains.common import Badge, light_badge, task_step_name
from kuaiji.fronts.workbench.events.common import UNCLASSIFIED
from kuaiji.platform.access.scoping import grants_with, is_unrestricted
from kuaiji.platform.access.services import authorize
from kuaiji.platform.chains.models import WorkTask
from kuaiji.platform.core.errors import Forbidden, InvalidInput
from kuaiji.platform.directory.models import Department, DepartmentKind, RegionLevel

HANDLE = "chains.task.handle"
VIEW = "grassroots.event.view"
# The console is for those handling tasks for a township or wider (not a grid, not a department).
CONSOLE_LEVELS = (RegionLevel.CITY, RegionLevel.COUNTY, RegionLevel.TOWNSHIP)
# Areas whose outline is drawn under the markers.
OUTLINE_LEVELS = (RegionLevel.COUNTY, RegionLevel.TOWNSHIP)
# The rows shown at once: as many as one action may move.
SHOWN = dispatch.MAX_AT_ONCE

# The bulk buttons, by the chain step they complete, in the order they are offered.
BUTTONS: tuple[tuple[str, str, Any], ...] = (
    ("accept", "accept", gettext_lazy("Accept")),
    ("triage", "handle_here", gettext_lazy("Handle here")),
    ("triage", "escalate", gettext_lazy("Escalate to the county centre")),
    ("county_dispatch", "county_handles", gettext_lazy("County centre handles it")),
)
# Each row's one-click action, by the step it waits for.
ONE_CLICK: dict[str, tuple[str, Any]] = {
    "accept": ("accept", gettext_lazy("Accept")),
    "triage": ("handle_here", gettext_lazy("Handle here")),
}


def may_dispatch(user: Any) -> bool:
    """Whether the user works the console: handles tasks and sees events for a township, a
    county or the city (platform administrators too)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if is_unrestricted(user):
        return True
    if not grants_with(user, VIEW):
        return False
    return any(
        grant.region is not None and grant.region.level in CONSOLE_LEVELS
        for grant in grants_with(user, HANDLE)
    )


def _authorize(user: Any) -> None:
    authorize(user, VIEW)
    authorize(user, HANDLE)
    if not may_dispatch(user):
        raise Forbidden(
            _("The dispatch console is for the township platforms and the county centre.")
        )


@dataclass(frozen=True)
class Row:
    """An event of the queue with the task it waits at, ready to print."""

    event: Event
    task: WorkTask
    category: str
    step: str
    light: Badge | None
    duplicate: Event | None
    one_click: tuple[str, str] | None


@dataclass(frozen=True)
class Failure:
    """A console request refused as a whole: why, and what was chosen (to choose it again)."""

    message: str
    chosen: frozenset[int]
    department: str


def _departments(user: Any) -> list[Department]:
    """The line departments the user may send events to."""
    return list(
        Department.objects.visible_to(user).filter(kind=DepartmentKind.FUNCTIONAL).order_by("path")
    )


def _outline(user: Any) -> str:
    """The outline of the user's township or county as GeoJSON ("" when there is none)."""
    for grant in grants_with(user, HANDLE):
        region = grant.region
        if region is not None and region.level in OUTLINE_LEVELS and region.boundary:
            return json.dumps(region.boundary)
    return ""


def _duplicates(user: Any, events: Iterable[Event]) -> dict[int, Event]:
    wanted = {event.duplicate_of_id for event in events if event.duplicate_of_id is not None}
    if not wanted:
        return {}
    return {found.pk: found for found in selectors.events(user).filter(pk__in=wanted)}


def _rows(user: Any, queue: list[tuple[Event, WorkTask]]) -> list[Row]:
    now = timezone.now()
    duplicates = _duplicates(user, (event for event, _task in queue))
    rows = []
    for event, task in queue:
        one = ONE_CLICK.get(task.step)
        rows.append(
            Row(
                event=event,
                task=task,
                category=category_name(event.category) or str(UNCLASSIFIED),
                step=task_step_name(task),
                light=light_badge(task, now),
                duplicate=duplicates.get(event.duplicate_of_id or 0),
                one_click=(one[0], str(one[1])) if one is not None else None,
            )
        )
    return rows


def _points(rows: list[Row]) -> str:
    """The queue's events with a point, for the map's markers."""
    points = [
        {
            "id": row.event.pk,
            "number": row.event.number,
            "lat": float(row.event.latitude),
            "lon": float(row.event.longitude),
            "category": row.category,
            "step": row.step,
            "urgency": row.event.urgency,
            "url": reverse("workbench:events:detail", kwargs={"event_id": row.event.pk}),
        }
        for row in rows
        if row.event.latitude is not None and row.event.longitude is not None
    ]
    return json.dumps(points, ensure_ascii=False)


def _console(
    request: HttpRequest, failure: Failure | None = None, status: int = 200
) -> HttpResponse:
    user = request.user
    queue = dispatch.queue(user)
    rows = _rows(user, queue[:SHOWN])
    steps = {row.task.step for row in rows}
    points = _points(rows)
    outline = _outline(user)
    context = {
        "rows": rows,
        "total": len(queue),
        "shown": len(rows),
        "buttons": [(action, label) for step, action, label in BUTTONS if step in steps],
        "may_assign": "county_dispatch" in steps,
        "departments": _departments(user) if "county_dispatch" in steps else [],
        "points": points,
        "outline": outline,
        "with_map": points != "[]" or bool(outline),
        "failure": failure,
        "chosen": failure.chosen if failure is not None else frozenset(),
        "chosen_department": failure.department if failure is not None else "",
    }
    return render(request, "workbench/events/dispatch.html", context, status=status)


@require_safe
@staff_required
def console(request: HttpRequest) -> HttpResponse:
    """The queue of events waiting for one of the user's console steps, oldest first."""
    _authorize(request.user)
    return _console(request)


def _ids(values: Iterable[str]) -> list[int]:
    """The posted event ids that can be ids (the others are ignored)."""
    return [
        int(value) for value in values if value.isascii() and value.isdigit() and len(value) < 19
    ]


def _report(request: HttpRequest, outcome: dispatch.Outcome) -> HttpResponse:
    """Back to the console, saying how many events moved and why the others did not."""
    moved = len(outcome.moved)
    if moved:
        messages.success(
            request,
            ngettext("%(count)d event moved.", "%(count)d events moved.", moved) % {"count": moved},
        )
    elif not outcome.refused:
        messages.info(request, _("No event moved."))
    for number, reason in outcome.refused.items():
        messages.warning(
            request,
            _("%(number)s did not move: %(reason)s") % {"number": number, "reason": reason},
        )
    return redirect("workbench:events:dispatch")


def _refused(request: HttpRequest, error: InvalidInput, chosen: list[int]) -> HttpResponse:
    """The console again (400) with the reason, the events still ticked."""
    message = " ".join(str(text) for text in error.fields.values()) or str(error.message)
    failure = Failure(message, frozenset(chosen), request.POST.get("department", ""))
    return _console(request, failure, status=400)


@require_POST
@staff_required
def act(request: HttpRequest) -> HttpResponse:
    """One console action on the ticked events, or a row's one-click action on its event
    (``one=<action>:<event id>``)."""
    _authorize(request.user)
    one = request.POST.get("one", "")
    if one:
        action, _colon, event_id = one.partition(":")
        chosen = _ids([event_id])
    else:
        action, chosen = request.POST.get("action", ""), _ids(request.POST.getlist("events"))
    try:
        outcome = dispatch.act(actor=request.user, action=action, events=chosen)
    except InvalidInput as error:
        return _refused(request, error, chosen)
    return _report(request, outcome)


@require_POST
@staff_required
def assign(request: HttpRequest) -> HttpResponse:
    """Send the ticked events to a line department of one's area."""
    user = request.user
    _authorize(user)
    chosen = _ids(request.POST.getlist("events"))
    code = request.POST.get("department", "").strip()
    try:
        if code not in {department.code for department in _departments(user)}:
            raise InvalidInput(fields={"department": _("Choose a line department of your area.")})
        outcome = dispatch.assign(actor=user, events=chosen, department=code)
    except InvalidInput as error:
        return _refused(request, error, chosen)
    return _report(request, outcome)
