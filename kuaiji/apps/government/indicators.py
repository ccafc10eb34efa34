"""One-stop service indicators for the metrics layer: applications submitted, the online rate,
the on-time rate, materials saved through data sharing and satisfaction, for a region (and
everything below it) and a local day.

They count as the cockpit's figures (`kuaiji.apps.government.metrics`) do, by day: on time
means decided no later than the promised day; satisfaction is the share of ratings of 4 or 5.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from kuaiji.apps.government.models import Application, MaterialSource, Rating, SuppliedMaterial
from kuaiji.apps.government.statistics import SATISFIED
from kuaiji.platform.directory.models import Region
from kuaiji.platform.metrics.registry import IndicatorSpec, day_bounds, share


def _submitted_on(region: Region, day: date) -> QuerySet[Application]:
    start, end = day_bounds(day)
    return Application.objects.filter(
        region_path__startswith=region.path, submitted_at__gte=start, submitted_at__lt=end
    )


def submitted(region: Region, day: date) -> float:
    """Applications submitted on the day."""
    return _submitted_on(region, day).count()


def online_rate(region: Region, day: date) -> float | None:
    """Of the applications submitted on the day, the share made online."""
    counts = _submitted_on(region, day).aggregate(
        total=Count("pk"), online=Count("pk", filter=Q(online=True))
    )
    return share(counts["online"], counts["total"])


def on_time_rate(region: Region, day: date) -> float | None:
    """Of the applications decided on the day with a promised day, the share decided by it."""
    start, end = day_bounds(day)
    counts = Application.objects.filter(
        region_path__startswith=region.path,
        decided_at__gte=start,
        decided_at__lt=end,
        promised_by__isnull=False,
    ).aggregate(total=Count("pk"), on_time=Count("pk", filter=Q(promised_by__gte=day)))
    return share(counts["on_time"], counts["total"])


def shared_materials(region: Region, day: date) -> float:
    """Materials of the applications submitted on the day taken from shared data instead of
    asked of the applicant."""
    return SuppliedMaterial.objects.filter(
        application__in=_submitted_on(region, day).values("pk"), source=MaterialSource.SHARED
    ).count()


def satisfaction(region: Region, day: date) -> float | None:
    """Of the ratings given on the day, the share of 4 or 5."""
    start, end = day_bounds(day)
    counts = Rating.objects.filter(
        application__region_path__startswith=region.path, rated_at__gte=start, rated_at__lt=end
    ).aggregate(total=Count("pk"), satisfied=Count("pk", filter=Q(level__gte=SATISFIED)))
    return share(counts["satisfied"], counts["total"])


INDICATORS = [
    IndicatorSpec(
        "government.applications.submitted",
        "办件申请数",
        "Applications submitted",
        "applications",
        _("Service applications submitted in the region on the day."),
        submitted,
    ),
    IndicatorSpec(
        "government.applications.online_rate",
        "网办率",
        "Online rate",
        "ratio",
        _("Of the applications submitted on the day, the share made online."),
        online_rate,
        aggregate="mean",
    ),
    IndicatorSpec(
        "government.applications.on_time_rate",
        "按时办结率",
        "On-time rate",
        "ratio",
        _("Of the applications decided on the day, the share decided by the promised day."),
        on_time_rate,
        aggregate="mean",
    ),
    IndicatorSpec(
        "government.materials.shared",
        "共享免交材料数",
        "Materials saved by data sharing",
        "materials",
        _("Materials taken from shared data instead of asked of applicants, by submission day."),
        shared_materials,
    ),
    IndicatorSpec(
        "government.applications.satisfaction",
        "办事满意率",
        "Satisfaction",
        "ratio",
        _("Of the ratings given on the day, the share of 4 or 5."),
        satisfaction,
        aggregate="mean",
    ),
]
