"""Grid-event statistics by category, grid, township or department over a period, within the
reader's scope, with links to the same figures as CSV and XLSX."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from kuaiji.apps.grassroots import statistics
from kuaiji.fronts.shell.access import staff_required
from kuaiji.platform.access.services import authorize
from kuaiji.platform.core.errors import InvalidInput

DIMENSION_LABELS = {
    "category": _("category"),
    "grid": _("grid"),
    "township": _("township"),
    "department": _("department"),
}


class PeriodForm(forms.Form):
    """What to count by, and over which days (the last 30 by default)."""

    by = forms.ChoiceField(
        label=_("Count by"),
        choices=list(DIMENSION_LABELS.items()),
        initial="category",
        required=False,
    )
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


@require_safe
@staff_required
def overview(request: HttpRequest) -> HttpResponse:
    authorize(request.user, "grassroots.event.view")
    form = PeriodForm(request.GET or None)
    by: statistics.Dimension = "category"
    start: date | None = None
    end: date | None = None
    if form.is_valid():
        by = form.cleaned_data["by"] or by
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    status, rows = 200, []
    try:
        rows = statistics.rows(request.user, by, start, end)
    except InvalidInput as error:
        status = 400
        for message in error.fields.values():
            form.add_error(None, str(message))
    query = {
        "by": by,
        **({"start": start.isoformat()} if start else {}),
        **({"end": end.isoformat()} if end else {}),
    }
    export = reverse("api-v1:statistics_export")
    context = {
        "form": form,
        "rows": rows,
        "by_label": DIMENSION_LABELS[by],
        "csv_url": f"{export}?{urlencode({**query, 'format': 'csv'})}",
        "xlsx_url": f"{export}?{urlencode({**query, 'format': 'xlsx'})}",
    }
    return render(request, "workbench/event_statistics/overview.html", context, status=status)
