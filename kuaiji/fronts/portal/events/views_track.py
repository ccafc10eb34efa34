"""A citizen's reports: the list, one report's tracking page with its progress and photos, the
rating of the result, and the photos themselves (only ever to the person who reported them)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from kuaiji.apps.grassroots import selectors
from kuaiji.apps.grassroots.models import Event, EventPhoto
from kuaiji.fronts.portal.events.access import citizen_required
from kuaiji.fronts.portal.events.forms import RatingForm
from kuaiji.fronts.shell.grid_events import category_name, photo_file
from kuaiji.fronts.shell.language import english
from kuaiji.platform.chains import services as chains
from kuaiji.platform.chains.models import StepAction, TaskStatus, WorkTask
from kuaiji.platform.chains.selectors import may_handle
from kuaiji.platform.core.errors import Conflict, InvalidInput, NotFound

PER_PAGE = 20
EVALUATE = "evaluate"
# What of the chain's thread a reporter sees: where their report went, never who handled it.
SHOWN_ACTIONS = (
    StepAction.START,
    StepAction.COMPLETE,
    StepAction.RETURN,
    StepAction.SUSPEND,
    StepAction.RESUME,
    StepAction.WITHDRAW,
    StepAction.TIMER,
    StepAction.END,
)


@dataclass(frozen=True)
class Row:
    """A report in the list."""

    event: Event
    category: str


@dataclass(frozen=True)
class Step:
    """An entry of the report's progress: what happened, when, at which step."""

    action: str
    action_label: str
    at: datetime
    step: str


@require_safe
@citizen_required
def my_reports(request: HttpRequest) -> HttpResponse:
    """The reports the person made, newest first."""
    page = Paginator(selectors.my_reports(request.user), PER_PAGE).get_page(request.GET.get("page"))
    rows = [Row(event, category_name(event.category)) for event in page.object_list]
    return render(request, "portal/events/list.html", {"page": page, "rows": rows})


def _progress(event: Event) -> list[Step]:
    if event.instance is None:
        return []
    entries = event.instance.timeline.filter(action__in=SHOWN_ACTIONS).select_related("task")
    return [
        Step(
            action=entry.action,
            action_label=entry.get_action_display(),
            at=entry.at,
            step=_step_name(entry.task) if entry.task is not None else "",
        )
        for entry in entries
    ]


def _step_name(task: WorkTask) -> str:
    return task.step_name_en if english() and task.step_name_en else task.step_name


def _rating_task(user: Any, event: Event) -> WorkTask | None:
    """The open "evaluate" step of the report's chain, when it waits for this person."""
    if event.instance is None:
        return None
    task = event.instance.tasks.filter(status=TaskStatus.OPEN, step=EVALUATE).first()
    return task if task is not None and may_handle(user, task) else None


def _page(
    request: HttpRequest, event_id: int, form: RatingForm | None = None, status: int = 200
) -> HttpResponse:
    event = selectors.my_report(request.user, event_id)
    rating_task = _rating_task(request.user, event)
    context = {
        "event": event,
        "category": category_name(event.category),
        "photos": list(event.photos.all()),
        "progress": _progress(event),
        "form": (form or RatingForm()) if rating_task is not None else None,
    }
    return render(request, "portal/events/detail.html", context, status=status)


@require_safe
@citizen_required
def detail(request: HttpRequest, event_id: int) -> HttpResponse:
    """One report: where it stands, its photos and progress, and the rating form when the
    chain waits for the reporter's rating."""
    return _page(request, event_id)


@require_POST
@citizen_required
def rate(request: HttpRequest, event_id: int) -> HttpResponse:
    """Rate the result: completes the chain's evaluate step, which closes the event."""
    event = selectors.my_report(request.user, event_id)
    form = RatingForm(request.POST)
    task = _rating_task(request.user, event)
    if task is None:
        raise Conflict(_("This report is not waiting for your rating."))
    if not form.is_valid():
        return _page(request, event_id, form, status=400)
    try:
        chains.complete(actor=request.user, task=task.pk, form=form.cleaned_data)
    except (InvalidInput, Conflict) as error:
        form.show_errors(error)
        return _page(request, event_id, form, status=error.status)
    messages.success(request, _("Thank you for your rating."))
    return redirect("portal:events:detail", event_id=event.pk)


def _own_photo(request: HttpRequest, photo_id: int) -> EventPhoto:
    found = (
        EventPhoto.objects.filter(pk=photo_id, event__reporter_id=request.user.pk)
        .select_related("event")
        .first()
    )
    if found is None:
        raise NotFound()
    return found


@require_safe
@citizen_required
def photo(request: HttpRequest, photo_id: int) -> HttpResponse:
    """A photo of one of the person's reports (404 for anyone else's)."""
    found = _own_photo(request, photo_id)
    return photo_file(found.image, found.content_type)


@require_safe
@citizen_required
def thumbnail(request: HttpRequest, photo_id: int) -> HttpResponse:
    found = _own_photo(request, photo_id)
    return photo_file(found.thumbnail, "image/jpeg")
