"""One-stop service indicators for the metrics layer: applications submitted, the online rate,
the on-time rate, materials saved through data sharing and satisfaction, for a region (and
everything below it) and a local day.

They count as the cockpit's figures (`kuaiji.apps.government.metrics`) do, by day: on time
means decided no later than the promised day; satisfaction is the share of ratings of 4 or 5.

Each also has a grouped form (`IndicatorSpec.grouped`) giving every region's and day's value
from one query grouped by the applications' region path and local day, which refreshing uses;
it counts exactly as the per-region form does.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils.translation import gettext_lazy as _

from kuaiji.apps.government.models import Application, MaterialSource, Rating, SuppliedMaterial
from kuaiji.apps.government.statistics import SATISFIED
from kuaiji.platform.directory.models import Region
from kuaiji.platform.metrics.registry import (
    IndicatorSpec,
    Tally,
    Values,
    by_path_and_day,
    day_bounds,
    share,
)


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


_PATH = "region_path"


def submitted_grouped(regions: Sequence[Region], days: Sequence[date]) -> Values:
    """`submitted` for every region and day."""
    rows = by_path_and_day(Application.objects.all(), _PATH, "submitted_at", days, n=Count("pk"))
    return Tally(regions, days).rows(rows).values()


def _share_grouped(
    regions: Sequence[Region],
    days: Sequence[date],
    rows: QuerySet[Any],
    path: str,
    moment: str,
    part: Q,
) -> Values:
    """Every region's and day's share of the rows (by `moment`'s day) that match `part`."""
    grouped = by_path_and_day(
        rows, path, moment, days, total=Count("pk"), part=Count("pk", filter=part)
    )
    tally = Tally(regions, days, width=2).rows(grouped)
    return tally.values(lambda total, part: share(part, total))


def online_rate_grouped(regions: Sequence[Region], days: Sequence[date]) -> Values:
    """`online_rate` for every region and day."""
    rows = Application.objects.all()
    return _share_grouped(regions, days, rows, _PATH, "submitted_at", Q(online=True))


def on_time_rate_grouped(regions: Sequence[Region], days: Sequence[date]) -> Values:
    """`on_time_rate` for every region and day (on time: promised no earlier than the day of
    the decision)."""
    rows = Application.objects.filter(promised_by__isnull=False)
    on_time = Q(promised_by__gte=TruncDate("decided_at"))
    return _share_grouped(regions, days, rows, _PATH, "decided_at", on_time)


def shared_materials_grouped(regions: Sequence[Region], days: Sequence[date]) -> Values:
    """`shared_materials` for every region and day."""
    rows = by_path_and_day(
        SuppliedMaterial.objects.filter(source=MaterialSource.SHARED),
        f"application__{_PATH}",
        "application__submitted_at",
        days,
        n=Count("pk"),
    )
    return Tally(regions, days).rows(rows).values()


def satisfaction_grouped(regions: Sequence[Region], days: Sequence[date]) -> Values:
    """`satisfaction` for every region and day."""
    satisfied = Q(level__gte=SATISFIED)
    path = f"application__{_PATH}"
    return _share_grouped(regions, days, Rating.objects.all(), path, "rated_at", satisfied)


INDICATORS = [
    IndicatorSpec(
        "government.applications.submitted",
        "办件申请数",
        "Applications submitted",
        "applications",
        _("Service applications submitted in the region on the day."),
        submitted,
        grouped=submitted_grouped,
    ),
    IndicatorSpec(
        "government.applications.online_rate",
        "网办率",
        "Online rate",
        "ratio",
        _("Of the applications submitted on the day, the share made online."),
        online_rate,
        aggregate="mean",
        grouped=online_rate_grouped,
    ),
    IndicatorSpec(
        "government.applications.on_time_rate",
        "按时办结率",
        "On-time rate",
        "ratio",
        _("Of the applications decided on the day, the share decided by the promised day."),
        on_time_rate,
        aggregate="mean",
        grouped=on_time_rate_grouped,
    ),
    IndicatorSpec(
        "government.materials.shared",
        "共享免交材料数",
        "Materials saved by data sharing",
        "materials",
        _("Materials taken from shared data instead of asked of applicants, by submission day."),
        shared_materials,
        grouped=shared_materials_grouped,
    ),
    IndicatorSpec(
        "government.applications.satisfaction",
        "办事满意率",
        "Satisfaction",
        "ratio",
        _("Of the ratings given on the day, the share of 4 or 5."),
        satisfaction,
        aggregate="mean",
        grouped=satisfaction_grouped,
    ),
]
