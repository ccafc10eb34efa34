"""One-stop service statistics by department or item over a period, within the reader's scope:
the cockpit figures, the table, the bad ratings with their rectification chains, and links to
the same table as CSV and XLSX."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from kuaiji.apps.government import metrics, ratings, statistics
from kuaiji.fronts.shell.access import staff_required
from kuaiji.fronts.workbench.periods import PeriodForm
from kuaiji.platform.access.services import authorize
from kuaiji.platform.core.errors import InvalidInput

DIMENSION_LABELS = {"department": _("department"), "item": _("service item")}
BAD_RATINGS_SHOWN = 50


@require_safe
@staff_required
def overview(request: HttpRequest) -> HttpResponse:
    authorize(request.user, ratings.VIEW)
    form = PeriodForm(request.GET or None, dimensions=DIMENSION_LABELS, default="department")
    chosen = form.chosen()
    status, found = 200, None
    try:
        found = statistics.report(request.user, chosen.by, chosen.start, chosen.end)
    except InvalidInput as error:
        status = 400
        form.refused(error)
    bad = ratings.ratings(request.user).filter(level__lte=2)
    if found is not None:
        bad = bad.filter(rated_at__date__gte=found.start, rated_at__date__lte=found.end)
    context = {
        "form": form,
        "report": found,
        "rows": found.rows if found else [],
        "working_days": found is not None and found.unit == "working_days",
        "by_label": DIMENSION_LABELS[chosen.by],
        "figures": metrics.figures(request.user)[0],
        "bad_ratings": list(bad[:BAD_RATINGS_SHOWN]),
        **chosen.export_urls("api-v1:service_statistics"),
    }
    return render(request, "workbench/service_statistics/overview.html", context, status=status)
