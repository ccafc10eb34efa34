"""The cockpit screen."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kuaiji.fronts.shell.access import staff_required
from kuaiji.platform.core.health import run_checks
from kuaiji.platform.directory import selectors


@staff_required
def home(request: HttpRequest) -> HttpResponse:
    """The one-screen city overview: the counties the viewer may see, on a map and in a list."""
    city_code = settings.KUAIJI_CITY.division_code
    counties = list(selectors.regions(request.user, parent_code=city_code))
    return render(
        request,
        "cockpit/home.html",
        {"counties": counties, "city_code": city_code, "checks": run_checks()},
    )
