"""Data platform indicators for the metrics layer: rows loaded, data calls and the mean quality
score, for the resources kept by departments of a region (and everything below it).

Rows loaded and data calls also have a grouped form (`IndicatorSpec.grouped`: every region and
day from one query grouped by the department's region path and local day); the quality score
is computed region by region (a mean of floats, which one grouped query would not reproduce to
the last bit, over few resources).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.db.models import Avg, Count, F, OuterRef, Subquery, Sum
from django.utils.translation import gettext_lazy as _

from kuaiji.platform.data.models import DataCall, DataResource, Load, LoadStatus, QualityReport
from kuaiji.platform.directory.models import Region
from kuaiji.platform.metrics.registry import (
    IndicatorSpec,
    Tally,
    Values,
    by_path_and_day,
    day_bounds,
)

_PATH = "resource__department__region__path"


def rows_loaded(region: Region, day: date) -> float:
    """Rows inserted or changed by the loads applied on the day."""
    start, end = day_bounds(day)
    total = Load.objects.filter(
        resource__department__region__path__startswith=region.path,
        status=LoadStatus.APPLIED,
        started_at__gte=start,
        started_at__lt=end,
    ).aggregate(rows=Sum(F("rows_inserted") + F("rows_updated")))["rows"]
    return float(total or 0)


def calls(region: Region, day: date) -> float:
    """Reads of the region's resources through the data API and its other channels."""
    start, end = day_bounds(day)
    return DataCall.objects.filter(
        resource__department__region__path__startswith=region.path, at__gte=start, at__lt=end
    ).count()


def quality_score(region: Region, day: date) -> float | None:
    """The mean of the resources' latest quality scores as of the end of the day (resources
    never assessed do not count)."""
    _start, end = day_bounds(day)
    latest = QualityReport.objects.filter(resource=OuterRef("pk"), at__lt=end).order_by(
        "-at", "-pk"
    )
    mean = (
        DataResource.objects.filter(department__region__path__startswith=region.path)
        .annotate(latest_score=Subquery(latest.values("score")[:1]))
        .aggregate(mean=Avg("latest_score"))["mean"]
    )
    return None if mean is None else float(mean)


def rows_loaded_grouped(regions: Sequence[Region], days: Sequence[date]) -> Values:
    """`rows_loaded` for every region and day."""
    rows = by_path_and_day(
        Load.objects.filter(status=LoadStatus.APPLIED),
        _PATH,
        "started_at",
        days,
        rows=Sum(F("rows_inserted") + F("rows_updated")),
    )
    return Tally(regions, days).rows(rows).values()


def calls_grouped(regions: Sequence[Region], days: Sequence[date]) -> Values:
    """`calls` for every region and day."""
    rows = by_path_and_day(DataCall.objects.all(), _PATH, "at", days, n=Count("pk"))
    return Tally(regions, days).rows(rows).values()


INDICATORS = [
    IndicatorSpec(
        "data.rows.loaded",
        "数据归集行数",
        "Rows loaded",
        "rows",
        _("Rows inserted or changed by the loads applied on the day."),
        rows_loaded,
        grouped=rows_loaded_grouped,
    ),
    IndicatorSpec(
        "data.calls",
        "数据调用次数",
        "Data calls",
        "calls",
        _("Reads of the region's data resources on the day, through every channel."),
        calls,
        grouped=calls_grouped,
    ),
    IndicatorSpec(
        "data.quality.score",
        "数据质量平均分",
        "Mean quality score",
        "score",
        _("The mean of the resources' latest quality scores at the end of the day."),
        quality_score,
        aggregate="mean",
    ),
]
