"""Compute the indicators' values and store them (an upsert: refreshing twice changes nothing).

Values are computed for the city, each county and each township, per local day; each month's
value is then rolled up from its days (a sum or a mean, as the indicator says).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Avg, Sum
from django.utils import timezone

from kuaiji.platform.directory.models import Region, RegionLevel
from kuaiji.platform.metrics.models import Aggregate, Indicator, IndicatorValue, PeriodKind
from kuaiji.platform.metrics.registry import specs, sync_definitions

LEVELS = (RegionLevel.CITY, RegionLevel.COUNTY, RegionLevel.TOWNSHIP)


def month_start(day: date) -> date:
    """The first day of the day's month."""
    return day.replace(day=1)


def next_month(day: date) -> date:
    """The first day of the month after the day's."""
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def _store(indicator: Indicator, kind: str, found: dict[tuple[int, date], float | None]) -> int:
    """Upsert the values keyed by (region id, period); a None removes a stored value."""
    if not found:
        return 0
    now = timezone.now()
    regions = {region_id for region_id, _period in found}
    periods = {period for _region, period in found}
    existing = {
        (value.region_id, value.period): value
        for value in IndicatorValue.objects.filter(
            indicator=indicator,
            period_kind=kind,
            department__isnull=True,
            region_id__in=regions,
            period__in=periods,
        )
    }
    create, update, remove = [], [], []
    for (region_id, period), value in found.items():
        stored = existing.get((region_id, period))
        if value is None:
            if stored is not None:
                remove.append(stored.pk)
        elif stored is None:
            create.append(
                IndicatorValue(
                    indicator=indicator,
                    region_id=region_id,
                    period=period,
                    period_kind=kind,
                    value=value,
                    computed_at=now,
                )
            )
        else:
            stored.value = value
            stored.computed_at = now
            update.append(stored)
    IndicatorValue.objects.bulk_create(create)
    IndicatorValue.objects.bulk_update(update, ["value", "computed_at"])
    IndicatorValue.objects.filter(pk__in=remove).delete()
    return len(create) + len(update)


def _roll_up(indicator: Indicator, regions: list[Region], months: set[date]) -> int:
    """Store each month's value from its day values."""
    function = Sum if indicator.aggregate == Aggregate.SUM else Avg
    found: dict[tuple[int, date], float | None] = {
        (region.pk, month): None for region in regions for month in months
    }
    for month in months:
        rows = (
            IndicatorValue.objects.filter(
                indicator=indicator,
                period_kind=PeriodKind.DAY,
                department__isnull=True,
                region__in=regions,
                period__gte=month,
                period__lt=next_month(month),
            )
            .values("region")
            .annotate(total=function("value"))
        )
        for row in rows:
            found[(row["region"], month)] = row["total"]
    return _store(indicator, PeriodKind.MONTH, found)


def default_days() -> list[date]:
    """Yesterday and today (local)."""
    today = timezone.localdate()
    return [today - timedelta(days=1), today]


def refresh(day: date | None = None, indicators: Iterable[str] | None = None) -> int:
    """Compute every active indicator (or those named) for the city, its counties and
    townships, for `day` (default: yesterday and today); returns the values stored."""
    sync_definitions()
    declared = specs()
    days = [day] if day is not None else default_days()
    rows = Indicator.objects.filter(active=True, code__in=list(declared))
    if indicators is not None:
        rows = rows.filter(code__in=list(indicators))
    regions = list(Region.objects.filter(level__in=LEVELS).order_by("path"))
    stored = 0
    for indicator in rows:
        compute = declared[indicator.code].compute
        found = {(region.pk, when): compute(region, when) for region in regions for when in days}
        with transaction.atomic():
            stored += _store(indicator, PeriodKind.DAY, found)
            _roll_up(indicator, regions, {month_start(when) for when in days})
            Indicator.objects.filter(pk=indicator.pk).update(refreshed_at=timezone.now())
    return stored


def due_codes() -> list[str]:
    """The active indicators whose refresh interval has passed since they were last
    refreshed (or that never were)."""
    now = timezone.now()
    due = []
    for code, minutes, at in Indicator.objects.filter(active=True).values_list(
        "code", "refresh", "refreshed_at"
    ):
        # a minute of slack, so a 15-minute indicator is due at every 15-minute run
        if at is None or now - at >= timedelta(minutes=max(minutes - 1, 0)):
            due.append(code)
    return due
