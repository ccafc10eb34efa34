"""The cockpit screen ("一屏掌控"): one dark screen with the map of the reader's widest region,
its figures, trends, red lights and rankings, drilled down county › township › grid.

The page is a shell; its script reads the JSON endpoints (the metrics board and choropleth
values, the grid event heat, the supervision summary, the data quality ranking) and polls them.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from kuaiji.fronts.cockpit.links import CHOROPLETH, GROUPS, REGION_PARAMETER, link_table
from kuaiji.fronts.shell.access import staff_required
from kuaiji.platform.access.services import has_permission
from kuaiji.platform.core.errors import Forbidden, NotFound
from kuaiji.platform.directory.models import Region
from kuaiji.platform.metrics import selectors

# Holistic governance's supervision summary (answers 404 until that API is mounted).
SUPERVISION_SUMMARY = "/api/v1/command/supervision/summary"
CODE_PLACEHOLDER = "__code__"
POLL_SECONDS = 60


def _place(region: Region) -> dict[str, str]:
    return {
        "code": region.code,
        "name": region.name,
        "name_en": region.name_en,
        "level": region.level,
    }


def _texts() -> dict[str, str]:
    """The words the script writes, in the reader's language."""
    return {
        "none": "—",
        "no_figures": _("No figures yet"),
        "day_before": _("change on the day before"),
        "trend": _("Last 30 days"),
        "points": _("pts"),
        "no_alerts": _("No red lights."),
        "no_ranking": _("Nothing ranked yet."),
        "red": _("Red"),
        "yellow": _("Yellow"),
        "green": _("Green"),
        "events_30": _("Events in the last 30 days"),
        "events": _("events"),
        "grid_figures": _("Figures of the township; grid events below."),
        "quality": _("Data quality"),
        "supervision": _("Overdue work by unit"),
        "open": _("open"),
        "due": _("due"),
        "updated": _("Updated"),
        "score": _("score"),
    }


def _urls(user: Any) -> dict[str, str]:
    """The endpoints the script reads; those the reader may not use are left empty."""
    return {
        "board": reverse("api-v1:cockpit"),
        "children": reverse("api-v1:indicator_child_values", kwargs={"code": CODE_PLACEHOLDER}),
        "regions_geojson": reverse("api-v1:regions_geojson"),
        "grids_geojson": reverse("api-v1:grids_geojson"),
        "heat": reverse("api-v1:grid_heat")
        if has_permission(user, "grassroots.event.view")
        else "",
        "ranking": (
            reverse("api-v1:quality_ranking") if has_permission(user, "data.quality.view") else ""
        ),
        "supervision": (
            SUPERVISION_SUMMARY if has_permission(user, "command.supervision.view") else ""
        ),
    }


@require_safe
@staff_required
def home(request: HttpRequest) -> HttpResponse:
    """The cockpit of the reader's widest region (an empty screen with a word when they may
    read no region's figures)."""
    user = request.user
    try:
        start: Region | None = selectors.region(user)
    except (NotFound, Forbidden):
        start = None
    english = (get_language() or "").startswith("en")
    below = list(selectors.children(user, start)) if start is not None else []
    declared = {row.code: row for row in selectors.indicators(user)} if start else {}
    choices = [
        {"code": code, "label": declared[code].name_en if english else declared[code].name}
        for code in CHOROPLETH
        if code in declared
    ]
    config = {
        "start": _place(start) if start is not None else None,
        "groups": [{"key": group.key, "prefix": group.prefix} for group in GROUPS],
        "links": link_table(),
        "region_parameter": REGION_PARAMETER,
        "urls": _urls(user),
        "code_placeholder": CODE_PLACEHOLDER,
        "poll_seconds": POLL_SECONDS,
        "text": _texts(),
    }
    return render(
        request,
        "cockpit/home.html",
        {
            "start": start,
            "below": below,
            "groups": GROUPS,
            "choices": choices,
            "config": config,
        },
    )
