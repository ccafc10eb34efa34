"""Supervision of chains (督办): open and overdue work per unit, the overdue tasks with a way to
urge their handlers, and the latest overdue records, in what the supervisor oversees."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from kuaiji.fronts.shell.access import staff_required
from kuaiji.fronts.workbench.chains.common import task_rows, task_step_name
from kuaiji.platform.access.services import authorize
from kuaiji.platform.chains import selectors

SUPERVISE = "chains.task.supervise"
LIMIT = 50


@require_safe
@staff_required
def supervision(request: HttpRequest) -> HttpResponse:
    """The per-unit table, the most overdue tasks and the newest overdue records (at most
    `LIMIT` of each)."""
    authorize(request.user, SUPERVISE)
    overdue = selectors.overdue_tasks(request.user)
    records = list(selectors.overdue_records(request.user)[:LIMIT])
    context = {
        "units": selectors.load_by_unit(request.user),
        "overdue_rows": task_rows(overdue[:LIMIT]),
        "overdue_count": overdue.count(),
        "records": [(record, task_step_name(record.task)) for record in records],
        "limit": LIMIT,
    }
    return render(request, "workbench/chains/supervision.html", context)
