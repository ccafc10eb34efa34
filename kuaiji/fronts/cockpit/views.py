"""The cockpit screen."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kuaiji.fronts.cockpit.geography import GEOJSON_STATIC_PATH, counties
from kuaiji.fronts.shell.access import staff_required
from kuaiji.platform.core.health import run_checks


@staff_required
def home(request: HttpRequest) -> HttpResponse:
    """The one-screen city overview."""
    return render(
        request,
        "cockpit/home.html",
        {"counties": counties(), "geojson_path": GEOJSON_STATIC_PATH, "checks": run_checks()},
    )
