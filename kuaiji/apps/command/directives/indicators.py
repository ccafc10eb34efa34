"""Directive indicators for the metrics layer, counted by the region of the targets (the unit
each person answers for) for a region and everything below it, on one local day: directives
issued to the region, and the read and feedback rates of the targets delivered that day."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from kuaiji.apps.command.models import Directive, DirectiveTarget, Feedback
from kuaiji.platform.directory.models import Region
from kuaiji.platform.metrics.registry import IndicatorSpec, day_bounds, share


def _delivered_on(region: Region, day: date) -> QuerySet[DirectiveTarget]:
    start, end = day_bounds(day)
    return DirectiveTarget.objects.filter(
        region__path__startswith=region.path, delivered_at__gte=start, delivered_at__lt=end
    )


def issued(region: Region, day: date) -> float:
    """Directives issued on the day that reached someone in the region."""
    start, end = day_bounds(day)
    reaching = DirectiveTarget.objects.filter(
        directive=OuterRef("pk"), region__path__startswith=region.path
    )
    return Directive.objects.filter(
        Exists(reaching), issued_at__gte=start, issued_at__lt=end
    ).count()


def read_rate(region: Region, day: date) -> float | None:
    """Of the region's targets delivered on the day, the share that has read the directive."""
    counts = _delivered_on(region, day).aggregate(
        total=Count("pk"), read=Count("pk", filter=Q(read_at__isnull=False))
    )
    return share(counts["read"], counts["total"])


def feedback_rate(region: Region, day: date) -> float | None:
    """Of the region's targets delivered on the day that owe feedback, the share that sent
    some."""
    answered = Exists(Feedback.objects.filter(target=OuterRef("pk")))
    counts = (
        _delivered_on(region, day)
        .filter(directive__feedback_required=True)
        .annotate(has_feedback=answered)
        .aggregate(total=Count("pk"), answered=Count("pk", filter=Q(has_feedback=True)))
    )
    return share(counts["answered"], counts["total"])


INDICATORS = [
    IndicatorSpec(
        "command.directives.issued",
        "政令下达数",
        "Directives issued",
        "directives",
        _("Directives issued on the day that reached someone in the region."),
        issued,
    ),
    IndicatorSpec(
        "command.directives.read_rate",
        "政令阅读率",
        "Directive read rate",
        "ratio",
        _("Of the region's targets of directives delivered on the day, the share that read it."),
        read_rate,
        aggregate="mean",
    ),
    IndicatorSpec(
        "command.directives.feedback_rate",
        "政令反馈率",
        "Directive feedback rate",
        "ratio",
        _(
            "Of the region's targets delivered on the day that owe feedback, the share that "
            "reported back."
        ),
        feedback_rate,
        aggregate="mean",
    ),
]
