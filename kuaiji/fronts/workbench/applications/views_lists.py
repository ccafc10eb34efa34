"""The lists of the application screens: the acceptance desk (申请受理), a department's worklist
and the supervision of promised dates; each for holders of its permission (403 for others),
each in the holder's scope."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from kuaiji.apps.government import selectors
from kuaiji.fronts.shell.access import staff_required
from kuaiji.fronts.workbench.applications.common import (
    ACCEPT,
    HANDLE,
    VIEW,
    masked_id,
    with_counts,
)
from kuaiji.fronts.workbench.applications.forms import NearForm
from kuaiji.platform.access.services import authorize

PER_PAGE = 50


@require_safe
@staff_required
def desk(request: HttpRequest) -> HttpResponse:
    """Submitted and resubmitted applications waiting for the viewer's service window, oldest
    first, with the applicant (identity masked), materials and promised limit."""
    authorize(request.user, ACCEPT)
    queue = with_counts(selectors.acceptance_queue(request.user)).annotate(
        resubmitted_at=Max("correction__answered_at")
    )
    page = Paginator(queue, PER_PAGE).get_page(request.GET.get("page"))
    rows = [{"application": found, "id_number": masked_id(found)} for found in page]
    return render(request, "workbench/applications/desk.html", {"page": page, "rows": rows})


@require_safe
@staff_required
def department(request: HttpRequest) -> HttpResponse:
    """The items the viewer's departments handle now, the longest-accepted first."""
    authorize(request.user, HANDLE)
    page = Paginator(selectors.department_queue(request.user), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "workbench/applications/department.html",
        {"page": page, "today": timezone.localdate()},
    )


@require_safe
@staff_required
def supervision(request: HttpRequest) -> HttpResponse:
    """Undecided applications in scope whose promised date is within the chosen working days
    (1–5) or past, the most pressing first; those past it are marked overdue."""
    authorize(request.user, VIEW)
    form = NearForm(request.GET or None)
    days = 2
    status = 200
    if form.is_bound:
        if form.is_valid():
            days = form.cleaned_data["days"] or days
        else:
            status = 400
    today = timezone.localdate()
    page = Paginator(selectors.near_limit(request.user, days), PER_PAGE).get_page(
        request.GET.get("page")
    )
    rows = [
        {
            "application": found,
            "overdue": found.promised_by is not None and found.promised_by < today,
            "id_number": masked_id(found),
        }
        for found in page
    ]
    context = {"form": form, "days": days, "page": page, "rows": rows, "today": today}
    return render(request, "workbench/applications/supervision.html", context, status=status)
