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
    indicator = Indicator.objects.filter(code=code, active=True).first()
    if indicator is None:
        raise NotFound()
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
