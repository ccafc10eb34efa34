"""Data platform indicators for the metrics layer: rows loaded, data calls and the mean quality
score, for the resources kept by departments of a region (and everything below it)."""

from __future__ import annotations

from datetime import date

from django.db.models import Avg, F, OuterRef, Subquery, Sum
from django.utils.translation import gettext_lazy as _

from kuaiji.platform.data.models import DataCall, DataResource, Load, LoadStatus, QualityReport
from kuaiji.platform.directory.models import Region
from kuaiji.platform.metrics.registry import IndicatorSpec, day_bounds


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


INDICATORS = [
    IndicatorSpec(
        "data.rows.loaded",
        "数据归集行数",
        "Rows loaded",
        "rows",
        _("Rows inserted or changed by the loads applied on the day."),
        rows_loaded,
    ),
    IndicatorSpec(
        "data.calls",
        "数据调用次数",
        "Data calls",
        "calls",
        _("Reads of the region's data resources on the day, through every channel."),
        calls,
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
