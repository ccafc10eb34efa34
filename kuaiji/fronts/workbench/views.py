"""Screens of the work front."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kuaiji.fronts.shell.access import staff_required
from kuaiji.platform.access.services import has_permission
from kuaiji.platform.chains import selectors
from kuaiji.platform.core.health import run_checks


@staff_required
def home(request: HttpRequest) -> HttpResponse:
    """The staff member's start page: their open work, the platform status, their account."""
    work = (
        selectors.my_task_counts(request.user)
        if has_permission(request.user, "chains.task.handle")
        else None
    )
    return render(request, "workbench/home.html", {"checks": run_checks(), "work": work})


@staff_required
def status(request: HttpRequest) -> HttpResponse:
    """The platform status panel alone, refreshed in place by htmx."""
    return render(request, "workbench/status_panel.html", {"checks": run_checks()})
