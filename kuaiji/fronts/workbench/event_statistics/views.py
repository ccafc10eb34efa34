"""Grid-event statistics by category, grid, township or department over a period, within the
reader's scope, with links to the same figures as CSV and XLSX."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from kuaiji.apps.grassroots import statistics
from kuaiji.fronts.shell.access import staff_required
from kuaiji.fronts.workbench.periods import PeriodForm
from kuaiji.platform.access.services import authorize
from kuaiji.platform.core.errors import InvalidInput

DIMENSION_LABELS = {
    "category": _("category"),
    "grid": _("grid"),
    "township": _("township"),
    "department": _("department"),
}


@require_safe
@staff_required
def overview(request: HttpRequest) -> HttpResponse:
    authorize(request.user, "grassroots.event.view")
    form = PeriodForm(request.GET or None, dimensions=DIMENSION_LABELS, default="category")
    chosen = form.chosen()
    status, rows = 200, []
    try:
        rows = statistics.rows(request.user, chosen.by, chosen.start, chosen.end)
    except InvalidInput as error:
        status = 400
        form.refused(error)
    context = {
        "form": form,
        "rows": rows,
        "by_label": DIMENSION_LABELS[chosen.by],
        **chosen.export_urls("api-v1:statistics_export"),
    }
    return render(request, "workbench/event_statistics/overview.html", context, status=status)
