"""The events of one's scope, filtered and a page at a time, and the county centre's manual
triage queue, where each unclear event is classified and its chain started."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from kuaiji.apps.grassroots import selectors, services
from kuaiji.apps.grassroots.models import CLOSED_STATUSES, Event
from kuaiji.fronts.shell.access import staff_required
from kuaiji.fronts.shell.grid_events import category_choices, category_name
from kuaiji.fronts.workbench.events.common import (
    REPORT,
    TRIAGE,
    UNCLASSIFIED,
)
from kuaiji.fronts.workbench.events.forms import FilterForm
from kuaiji.fronts.workbench.events.views_hotline import takes_calls
from kuaiji.platform.access.services import authorize, has_permission
from kuaiji.platform.core.errors import InvalidInput

PER_PAGE = 20


@dataclass(frozen=True)
class Row:
    """An event of the list, with its category's name."""

    event: Event
    category: str
    predicted: str


@dataclass(frozen=True)
class Failure:
    """A classification refused: which event, and why."""

    event_id: int
    message: str


def _filtered(user: Any, form: FilterForm) -> QuerySet[Event]:
    data = form.cleaned_data
    found = selectors.events(user)
    if data["status"] == "open":
        found = found.exclude(status__in=CLOSED_STATUSES)
    elif data["status"] == "closed":
        found = found.filter(status__in=CLOSED_STATUSES)
    if data["group"]:
        found = found.filter(category__startswith=f"{data['group']}.")
    text = data["q"].strip()
    if text:
        found = found.filter(Q(number__icontains=text) | Q(description__icontains=text))
    return found


def _list_page(
    request: HttpRequest, params: QueryDict, failure: Failure | None = None, status: int = 200
) -> HttpResponse:
    user = request.user
    authorize(user, "grassroots.event.view")
    may_triage = has_permission(user, TRIAGE)
    tab = "triage" if may_triage and params.get("tab") == "triage" else "events"
    form = FilterForm(params)
    if not form.is_valid():
        raise InvalidInput(
            fields={name: " ".join(map(str, errors)) for name, errors in form.errors.items()}
        )
    source = selectors.triage_queue(user) if tab == "triage" else _filtered(user, form)
    page = Paginator(source, PER_PAGE).get_page(params.get("page"))
    rows = [
        Row(
            event,
            category_name(event.category) or str(UNCLASSIFIED),
            category_name(event.predicted_category),
        )
        for event in page.object_list
    ]
    context = {
        "tab": tab,
        "may_triage": may_triage,
        "triage_count": selectors.triage_queue(user).count() if may_triage else 0,
        "form": form,
        "page": page,
        "rows": rows,
        "may_report": has_permission(user, REPORT),
        "takes_calls": takes_calls(user),
        "categories": category_choices() if tab == "triage" else [],
        "failure": failure,
        # A refusal is shown beside its event, or above the list when the event left it.
        "failure_apart": failure is not None
        and all(row.event.pk != failure.event_id for row in rows),
    }
    return render(request, "workbench/events/list.html", context, status=status)


@require_safe
@staff_required
def event_list(request: HttpRequest) -> HttpResponse:
    """One page of the events in one's scope (by status, kind, number or words), or of the
    manual triage queue (``?tab=triage``) for those who classify."""
    return _list_page(request, request.GET)


@require_POST
@staff_required
def classify(request: HttpRequest, event_id: int) -> HttpResponse:
    """Classify an event of the triage queue: its chain starts. Refused, the queue shows why
    beside the event (400); an event outside one's scope answers 404."""
    try:
        event = services.classify(
            actor=request.user, event=event_id, category=request.POST.get("category", "")
        )
    except InvalidInput as error:
        message = " ".join(str(text) for text in error.fields.values()) or str(error.message)
        triage = QueryDict("tab=triage")
        return _list_page(request, triage, Failure(event_id, message), status=400)
    messages.success(
        request,
        _("Event %(number)s is classified as %(category)s; its chain has started.")
        % {"number": event.number, "category": category_name(event.category)},
    )
    return redirect(reverse("workbench:events:list") + "?tab=triage")
