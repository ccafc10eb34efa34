"""An event's page: everything reported (people's details masked), its photos and point on a
map, the suggested duplicate, and the way to its chain and open tasks; and the photos, served
only to people who may see the event."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from kuaiji.apps.grassroots import selectors, services
from kuaiji.apps.grassroots.models import Event, EventPhoto
from kuaiji.fronts.shell.access import staff_required
from kuaiji.fronts.shell.grid_events import category_name, photo_file
from kuaiji.fronts.workbench.chains.common import task_rows
from kuaiji.fronts.workbench.events.common import (
    DRAFT_SENT,
    UNCLASSIFIED,
    draft_key,
    group_name,
    platform_name,
    reporter_label,
)
from kuaiji.platform.access.services import has_permission
from kuaiji.platform.chains.models import OPEN_STATUSES
from kuaiji.platform.core.errors import InvalidInput, NotFound
from kuaiji.platform.core.personal import PersonalKind, mask


def _duplicate(user: Any, event: Event) -> Event | None:
    """The suggested duplicate, when the viewer may see it."""
    if event.duplicate_of_id is None:
        return None
    return selectors.events(user).filter(pk=event.duplicate_of_id).first()


@require_safe
@staff_required
def detail(request: HttpRequest, event_id: int) -> HttpResponse:
    """One event of the viewer's scope (404 for the others)."""
    user = request.user
    event = selectors.event(user, event_id)
    open_tasks = (
        [task for task in event.instance.tasks.all() if task.status in OPEN_STATUSES]
        if event.instance is not None
        else []
    )
    context = {
        "event": event,
        "category": category_name(event.category) or str(UNCLASSIFIED),
        "group": group_name(event.category),
        "predicted": category_name(event.predicted_category),
        "platform": platform_name(event.platform),
        "reporter": reporter_label(event),
        "caller_name": mask(PersonalKind.NAME, event.reporter_name),
        "caller_phone": mask(PersonalKind.PHONE, event.reporter_phone),
        "photos": list(event.photos.all()),
        "duplicate": (duplicate := _duplicate(user, event)),
        "may_merge": bool(
            duplicate is not None
            and event.is_open
            and duplicate.is_open
            and has_permission(user, "grassroots.event.merge")
        ),
        "open_rows": task_rows(open_tasks),
        "grid_boundary": json.dumps(event.grid.boundary) if event.grid else "",
        "with_map": event.latitude is not None and event.longitude is not None,
        "clear_draft": draft_key(user) if request.session.pop(DRAFT_SENT, False) else "",
    }
    return render(request, "workbench/events/detail.html", context)


@require_POST
@staff_required
def merge(request: HttpRequest, event_id: int) -> HttpResponse:
    """Merge the event into the one it repeats (its suggested duplicate)."""
    event = selectors.event(request.user, event_id)
    if event.duplicate_of_id is None:
        raise NotFound()
    try:
        services.merge(actor=request.user, event=event.pk, into=event.duplicate_of_id)
    except InvalidInput as error:
        messages.error(request, " ".join(str(text) for text in error.fields.values()))
    else:
        messages.success(request, _("The event is merged into the one it repeats."))
    return redirect("workbench:events:detail", event_id=event.pk)


def _visible_photo(request: HttpRequest, photo_id: int) -> EventPhoto:
    found = EventPhoto.objects.filter(
        pk=photo_id, event__in=selectors.events(request.user).values("pk")
    ).first()
    if found is None:
        raise NotFound()
    return found


@require_safe
@staff_required
def photo(request: HttpRequest, photo_id: int) -> HttpResponse:
    """A photo of an event the viewer may see (404 for the others)."""
    found = _visible_photo(request, photo_id)
    return photo_file(found.image, found.content_type)


@require_safe
@staff_required
def thumbnail(request: HttpRequest, photo_id: int) -> HttpResponse:
    found = _visible_photo(request, photo_id)
    return photo_file(found.thumbnail, "image/jpeg")
