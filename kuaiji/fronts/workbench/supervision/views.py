"""Supervision across the apps (监督 "一览无余") on the work front: the lights of the work one
supervises by region, unit and kind, the items most overdue first with a form to urge the
chosen ones, and the report as PDF and XLSX.

- ``home`` (GET): filters (region, kind, light), the summary and one page of items;
- ``urge`` (POST): urge the ticked items with one message; back to the same filters with a
  message, or the page again with the error (400 bad input, 409 green or closed meanwhile).
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from kuaiji.apps.command.api.supervision import kind_link
from kuaiji.apps.command.supervision import selectors, urging
from kuaiji.apps.command.supervision.sources import URGE, VIEW
from kuaiji.fronts.shell.access import staff_required
from kuaiji.fronts.workbench.supervision.forms import FilterForm
from kuaiji.platform.access.services import authorize, has_permission
from kuaiji.platform.core.errors import Conflict, InvalidInput

PER_PAGE = 30
FILTER_KEYS = ("region", "kind", "light")


def _page(
    request: HttpRequest,
    query: Mapping[str, str],
    *,
    failure: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    authorize(request.user, VIEW)
    form = FilterForm(
        {key: query.get(key, "") for key in FILTER_KEYS} if any(query.values()) else None,
        regions=selectors.region_choices(request.user),
    )
    if form.is_bound and not form.is_valid() and status == 200:
        status = 400
    chosen = selectors.filters(request.user, **form.chosen())
    summary = selectors.summary(request.user, chosen, kind_link=kind_link, alerts=0)
    found: Any = selectors.items(request.user, chosen)  # sliced and counted like a queryset
    page = Paginator(found, PER_PAGE).get_page(query.get("page"))
    filters = {
        "region": chosen.region.code,
        **({"kind": chosen.kind} if chosen.kind else {}),
        **({"light": chosen.light} if chosen.light else {}),
    }
    exports = {
        name: f"{reverse(f'api-v1:supervision_report_{name}')}?{urlencode(filters)}"
        for name in ("pdf", "xlsx")
    }
    context = {
        "form": form,
        "summary": summary,
        "page": page,
        "filters": filters,
        "exports": exports,
        "may_urge": has_permission(request.user, URGE),
        "submission_key": secrets.token_urlsafe(24),
        "failure": failure or {},
        "status": status,
    }
    return render(request, "workbench/supervision/home.html", context, status=status)


@require_safe
@staff_required
def home(request: HttpRequest) -> HttpResponse:
    """The supervision screen for the filters in the query string."""
    return _page(request, request.GET)


@require_POST
@staff_required
def urge(request: HttpRequest) -> HttpResponse:
    """Urge the ticked items with the message."""
    query = {key: request.POST.get(key, "") for key in (*FILTER_KEYS, "page")}
    chosen = request.POST.getlist("items")
    try:
        done = urging.urge(
            actor=request.user,
            items=chosen,
            message=request.POST.get("message", ""),
            submission_key=request.POST.get("submission_key", ""),
        )
    except (InvalidInput, Conflict) as error:
        failure = {
            "error": str(error.message),
            "fields": {name: str(text) for name, text in error.fields.items()},
            "message": request.POST.get("message", ""),
            "items": chosen,
        }
        return _page(request, query, failure=failure, status=error.status)
    messages.success(
        request,
        ngettext("%(count)d item urged.", "%(count)d items urged.", done.count)
        % {"count": done.count},
    )
    kept = {key: value for key, value in query.items() if value}
    home_url = reverse("workbench:supervision:home")
    return HttpResponseRedirect(f"{home_url}?{urlencode(kept)}" if kept else home_url)
