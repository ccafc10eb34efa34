"""One-stop service statistics by department or item over a period, within the reader's scope:
the cockpit figures, the table, the bad ratings with their rectification chains, and links to
the same table as CSV and XLSX."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from kuaiji.apps.government import metrics, ratings, statistics
from kuaiji.fronts.shell.access import staff_required
from kuaiji.platform.access.services import authorize
from kuaiji.platform.core.errors import InvalidInput

DIMENSION_LABELS = {"department": _("department"), "item": _("service item")}
BAD_RATINGS_SHOWN = 50


class PeriodForm(forms.Form):
    """What to count by, and over which days (the last 30 by default)."""

    by = forms.ChoiceField(
        label=_("Count by"),
        choices=list(DIMENSION_LABELS.items()),
        initial="department",
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
    authorize(request.user, ratings.VIEW)
    form = PeriodForm(request.GET or None)
    by: statistics.Dimension = "department"
    start: date | None = None
    end: date | None = None
    if form.is_valid():
        by = form.cleaned_data["by"] or by
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    status, found = 200, None
    try:
        found = statistics.report(request.user, by, start, end)
    except InvalidInput as error:
        status = 400
        for message in error.fields.values():
            form.add_error(None, str(message))
    bad = ratings.ratings(request.user).filter(level__lte=2)
    if found is not None:
        bad = bad.filter(rated_at__date__gte=found.start, rated_at__date__lte=found.end)
    query = {
        "by": by,
        **({"start": start.isoformat()} if start else {}),
        **({"end": end.isoformat()} if end else {}),
    }
    export = reverse("api-v1:service_statistics")
    context = {
        "form": form,
        "report": found,
        "rows": found.rows if found else [],
        "working_days": found is not None and found.unit == "working_days",
        "by_label": DIMENSION_LABELS[by],
        "figures": metrics.figures(request.user)[0],
        "bad_ratings": list(bad[:BAD_RATINGS_SHOWN]),
        "csv_url": f"{export}?{urlencode({**query, 'format': 'csv'})}",
        "xlsx_url": f"{export}?{urlencode({**query, 'format': 'xlsx'})}",
    }
    return render(request, "workbench/service_statistics/overview.html", context, status=status)
