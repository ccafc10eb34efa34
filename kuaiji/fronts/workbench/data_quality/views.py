"""Data quality on the work front: departments ranked by the mean of their resources' latest
scores, and one resource's four measures, problems and history, with a check on its owner's
demand."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from kuaiji.fronts.shell.access import staff_required
from kuaiji.platform.data import quality
from kuaiji.platform.data.models import DataResource

MEASURES = ("completeness", "validity", "timeliness", "uniqueness")


@require_safe
@staff_required
def ranking(request: HttpRequest) -> HttpResponse:
    """Departments by the mean of their resources' latest quality scores."""
    places = quality.ranking(request.user)
    context = {"places": places, "threshold": quality.threshold()}
    return render(request, "workbench/data_quality/ranking.html", context)


def _may_assess(request: HttpRequest, resource: DataResource) -> bool:
    """Whether the viewer answers for the resource (``data.resource.manage`` in its unit)."""
    return DataResource.objects.visible_to(request.user).filter(pk=resource.pk).exists()


@require_http_methods(["GET", "HEAD", "POST"])
@staff_required
def resource(request: HttpRequest, code: str) -> HttpResponse:
    """A resource's latest measures and problems, its history; POST checks it now (owner)."""
    found, reports = quality.resource_reports(request.user, code)
    if request.method == "POST":
        report = quality.assess_now(actor=request.user, code=code)
        messages.success(request, _("Checked: the score is %(score)s.") % {"score": report.score})
        return redirect("workbench:data_quality:resource", code=code)
    latest = reports[0] if reports else None
    context = {
        "resource": found,
        "latest": latest,
        "reports": reports,
        "measures": [(name, getattr(latest, name)) for name in MEASURES] if latest else [],
        "threshold": quality.threshold(),
        "may_assess": _may_assess(request, found),
    }
    return render(request, "workbench/data_quality/resource.html", context)
