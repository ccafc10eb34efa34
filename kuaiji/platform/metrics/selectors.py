"""Reads of indicators and their values, restricted to the reader's regions.

Reading needs ``metrics.indicator.view``; a region outside the reader's grants answers 404 like
a missing one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Max, Q, QuerySet
from django.db.models.functions import Length
from django.utils import timezone
from django.utils.translation import gettext as _

from kuaiji.platform.access.services import authorize
from kuaiji.platform.core.errors import InvalidInput, NotFound
from kuaiji.platform.directory.models import Region
from kuaiji.platform.metrics.models import Indicator, IndicatorValue, PeriodKind
from kuaiji.platform.metrics.refresh import LEVELS, month_start

VIEW = "metrics.indicator.view"
MAX_DAYS = 366
MAX_MONTHS = 120


@dataclass(frozen=True)
class Point:
    """One value of a series."""

    period: date
    value: float


@dataclass(frozen=True)
class Series:
    """An indicator's values for a region, by day or month."""

    indicator: Indicator
    region: Region
    period: str
    points: list[Point]


@dataclass(frozen=True)
class Latest:
    """An indicator's latest day value for a region and the day before's."""

    indicator: Indicator
    period: date | None
    value: float | None
    previous_period: date | None
    previous: float | None


def indicators(actor: Any) -> QuerySet[Indicator]:
    """The active indicators."""
    authorize(actor, VIEW)
    return Indicator.objects.filter(active=True).order_by("code")


def region(actor: Any, code: str = "") -> Region:
    """The region `code` if the actor may read it, else their widest region (NotFound when
    there is none)."""
    authorize(actor, VIEW)
    visible = Region.objects.visible_to(actor, VIEW).defer("boundary")
    if code:
        found = visible.filter(code=code).first()
    else:
        found = visible.filter(level__in=LEVELS).order_by(Length("path"), "path").first()
    if found is None:
        raise NotFound()
    return found


def _active(code: str) -> Indicator:
    found = Indicator.objects.filter(code=code, active=True).first()
    if found is None:
        raise NotFound()
    return found


def children(actor: Any, parent: Region) -> QuerySet[Region]:
    """The regions directly below `parent` that the actor may read indicators of."""
    return (
        Region.objects.visible_to(actor, VIEW)
        .filter(parent=parent)
        .defer("boundary")
        .order_by("code")
    )


def series(
    actor: Any,
    code: str,
    *,
    region_code: str = "",
    start: date | None = None,
    end: date | None = None,
    period: str = PeriodKind.DAY,
) -> Series:
    """An indicator's values for a region between two days (the last 30 days, or 12 months,
    by default)."""
    place = region(actor, region_code)
    indicator = _active(code)
    end = end or timezone.localdate()
    if period == PeriodKind.MONTH:
        start = month_start(start or end - timedelta(days=365))
        longest = MAX_MONTHS * 31
    else:
        start = start or end - timedelta(days=29)
        longest = MAX_DAYS
    if start > end:
        raise InvalidInput(fields={"start": _("The start must not be after the end.")})
    if (end - start).days > longest:
        raise InvalidInput(fields={"start": _("The period asked for is too long.")})
    rows = IndicatorValue.objects.filter(
        indicator=indicator,
        region=place,
        department__isnull=True,
        period_kind=period,
        period__gte=start,
        period__lte=end,
    ).order_by("period")
    points = [Point(period, value) for period, value in rows.values_list("period", "value")]
    return Series(indicator=indicator, region=place, period=period, points=points)


def snapshot(actor: Any, region_code: str = "") -> tuple[Region, list[Latest]]:
    """Every active indicator's latest day value for a region, with the day before's (two
    queries)."""
    place = region(actor, region_code)
    rows = list(indicators(actor))
    days = IndicatorValue.objects.filter(
        region=place, department__isnull=True, period_kind=PeriodKind.DAY
    )
    latest = dict(
        days.values_list("indicator").annotate(last=Max("period")).values_list("indicator", "last")
    )
    wanted = Q(pk__in=[])
    for indicator_id, last in latest.items():
        wanted |= Q(indicator_id=indicator_id, period__in=[last, last - timedelta(days=1)])
    values = {
        (indicator_id, period): value
        for indicator_id, period, value in days.filter(wanted).values_list(
            "indicator", "period", "value"
        )
    }
    found = []
    for indicator in rows:
        last = latest.get(indicator.pk)
        before = last - timedelta(days=1) if last else None
        found.append(
            Latest(
                indicator=indicator,
                period=last,
                value=values.get((indicator.pk, last)) if last else None,
                previous_period=before,
                previous=values.get((indicator.pk, before)) if before else None,
            )
        )
    return place, found


@dataclass(frozen=True)
class RegionValue:
    """An indicator's value for one region on a day (None when not computed)."""

    region: Region
    value: float | None


@dataclass(frozen=True)
class ChildValues:
    """An indicator's values for the regions directly below a region, on one day."""

    indicator: Indicator
    parent: Region
    day: date | None
    regions: list[RegionValue]


def child_values(
    actor: Any, code: str, *, parent_code: str = "", day: date | None = None
) -> ChildValues:
    """An indicator's day values for the visible regions directly below `parent_code` (the
    reader's widest region by default), on `day` (default: the latest day any of them has a
    value, up to today). Fixed number of queries, for a choropleth."""
    parent = region(actor, parent_code)
    indicator = _active(code)
    below = list(children(actor, parent))
    days = IndicatorValue.objects.filter(
        indicator=indicator,
        region__in=below,
        department__isnull=True,
        period_kind=PeriodKind.DAY,
    )
    if day is None:
        day = days.filter(period__lte=timezone.localdate()).aggregate(last=Max("period"))["last"]
    values = dict(days.filter(period=day).values_list("region", "value")) if day is not None else {}
    return ChildValues(
        indicator=indicator,
        parent=parent,
        day=day,
        regions=[RegionValue(child, values.get(child.pk)) for child in below],
    )


@dataclass(frozen=True)
class Trend:
    """An indicator's latest values for a region and its day values over a period."""

    latest: Latest
    points: list[Point]


@dataclass(frozen=True)
class Board:
    """What the cockpit shows of a region: every indicator's latest values and trend."""

    region: Region
    start: date
    end: date
    trends: list[Trend]


def board(actor: Any, region_code: str = "", *, days: int = 30) -> Board:
    """The snapshot of a region with each indicator's day values over the last `days` days
    (ending today), in a fixed number of queries whatever the number of indicators."""
    if not 1 <= days <= MAX_DAYS:
        raise InvalidInput(fields={"days": _("The period asked for is too long.")})
    place, latest = snapshot(actor, region_code)
    end = timezone.localdate()
    start = end - timedelta(days=days - 1)
    points: dict[int, list[Point]] = {row.indicator.pk: [] for row in latest}
    rows = IndicatorValue.objects.filter(
        indicator__in=list(points),
        region=place,
        department__isnull=True,
        period_kind=PeriodKind.DAY,
        period__gte=start,
        period__lte=end,
    ).order_by("indicator", "period")
    for indicator_id, period, value in rows.values_list("indicator", "period", "value"):
        points[indicator_id].append(Point(period, value))
    return Board(
        region=place,
        start=start,
        end=end,
        trends=[Trend(latest=row, points=points[row.indicator.pk]) for row in latest],
    )
