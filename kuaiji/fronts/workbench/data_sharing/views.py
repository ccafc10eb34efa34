"""Data sharing in the work front.

- ``apply``: the application form for a resource — its fields one may apply for as checkboxes
  with their levels, purpose, legal basis and period; submitting starts the request's chain.
- ``list``: my department's requests (with their chain) and grants, and the grants my
  department gave, with their usage.
- ``grant``: one grant, its usage, and for the provider a form to revoke it.

Approval happens on the chain's task pages (the decision and opinion of each step).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from kuaiji.fronts.shell.access import staff_required
from kuaiji.platform.access.services import authorize
from kuaiji.platform.core.errors import KuaijiError
from kuaiji.platform.data import access, calls, selectors, sharing
from kuaiji.platform.data.models import Grant, Level

PERIODS = (30, 90, 180, 365)


def _failure(error: KuaijiError) -> dict[str, Any]:
    return {
        "error": str(error.message),
        "field_errors": {name: str(text) for name, text in error.fields.items()},
    }


@require_http_methods(["GET", "POST"])
@staff_required
def apply(request: HttpRequest, code: str) -> HttpResponse:
    """The application form for resource `code`, and its submission."""
    resource = selectors.resource(request.user, code)
    applicable = sharing.applicable_fields(resource)
    context: dict[str, Any] = {
        "resource": resource,
        "fields": [
            {"name": item.name, "level": Level(item.level), "description": item.description}
            for item in resource.fields.all()
            if item.name in applicable
        ],
        "periods": PERIODS,
        "posted": {"fields": [], "period_days": "90"},
    }
    if request.method == "POST":
        chosen = request.POST.getlist("fields")
        purpose = request.POST.get("purpose", "")
        legal_basis = request.POST.get("legal_basis", "")
        period_text = request.POST.get("period_days", "")
        context["posted"] = {
            "fields": chosen,
            "purpose": purpose,
            "legal_basis": legal_basis,
            "period_days": period_text,
        }
        period = int(period_text) if period_text.strip().isdigit() else 0
        try:
            sharing.apply(
                actor=request.user,
                resource=resource,
                purpose=purpose,
                legal_basis=legal_basis,
                fields=chosen,
                period_days=period,
            )
        except KuaijiError as error:
            context.update(_failure(error))
            return render(
                request, "workbench/data_sharing/apply.html", context, status=error.status
            )
        return HttpResponseRedirect(reverse("workbench:data_sharing:list"))
    return render(request, "workbench/data_sharing/apply.html", context)


@require_http_methods(["GET"])
@staff_required
def sharing_list(request: HttpRequest) -> HttpResponse:
    """My department's requests and grants, and the grants it gave."""
    authorize(request.user, "data.resource.view")
    given = list(sharing.given_grants(request.user).select_related("resource__department"))
    mine = list(sharing.my_grants(request.user).select_related("resource__department"))
    usage = calls.usage_of(given + mine)
    context = {
        "department": access.department_of(request.user, "data.sharing.apply"),
        "requests": sharing.my_requests(request.user)[:200],
        "incoming": sharing.incoming_requests(request.user)[:200],
        "my_grants": [(grant, usage.get(grant.pk, calls.Usage())) for grant in mine],
        "given_grants": [(grant, usage.get(grant.pk, calls.Usage())) for grant in given],
    }
    return render(request, "workbench/data_sharing/list.html", context)


@require_http_methods(["GET", "POST"])
@staff_required
def grant_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One grant with its usage; the provider revokes it here."""
    authorize(request.user, "data.resource.view")
    grant: Grant = sharing.grant_of(request.user, pk)
    context: dict[str, Any] = {
        "grant": grant,
        "usage": calls.usage(grant),
        "is_provider": access.is_owner(request.user, grant.resource),
        "recent_calls": grant.calls.select_related("actor").order_by("-at", "-pk")[:20],
    }
    if request.method == "POST":
        try:
            sharing.revoke(actor=request.user, grant=grant, reason=request.POST.get("reason", ""))
        except KuaijiError as error:
            context.update(_failure(error))
            return render(
                request, "workbench/data_sharing/grant.html", context, status=error.status
            )
        return HttpResponseRedirect(reverse("workbench:data_sharing:grant", args=[grant.pk]))
    return render(request, "workbench/data_sharing/grant.html", context)
