"""Compute the indicators' values and store them (an upsert: refreshing twice changes nothing).

Values are computed for the city, each county and each township, per local day; each month's
value is then rolled up from its days (a sum or a mean, as the indicator says). An indicator
that declares a grouped computation gives every region's and day's value in a few queries;
the others are computed region by region and day by day.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Avg, Sum
from django.utils import timezone

from kuaiji.platform.directory.models import Region, RegionLevel
from kuaiji.platform.metrics.models import Aggregate, Indicator, IndicatorValue, PeriodKind
from kuaiji.platform.metrics.registry import IndicatorSpec, Values, specs, sync_definitions

LEVELS = (RegionLevel.CITY, RegionLevel.COUNTY, RegionLevel.TOWNSHIP)
BATCH = 500  # values deleted or created per query


def month_start(day: date) -> date:
    """The first day of the day's month."""
    return day.replace(day=1)


def next_month(day: date) -> date:
    """The first day of the month after the day's."""
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def _store(indicator: Indicator, kind: str, found: dict[tuple[int, date], float | None]) -> int:
    """Upsert the values keyed by (region id, period); a None removes a stored value.

    In a fixed number of queries whatever the number of values: unchanged values only have
    their `computed_at` moved on (one UPDATE), changed ones are replaced (deleted and created
    again, in batches) and new ones created in bulk."""
    if not found:
        return 0
    now = timezone.now()
    regions = {region_id for region_id, _period in found}
    periods = {period for _region, period in found}
    stored = IndicatorValue.objects.filter(
        indicator=indicator,
        period_kind=kind,
        department__isnull=True,
        region_id__in=regions,
        period__in=periods,
    )
    existing = {
        (region_id, period): (pk, value)
        for pk, region_id, period, value in stored.values_list("pk", "region", "period", "value")
    }
    create, remove = [], []
    kept = 0
    for (region_id, period), value in found.items():
        pk, was = existing.get((region_id, period), (None, None))
        if pk is not None and value == was:
            kept += 1
            continue
        if pk is not None:
            remove.append(pk)
        if value is not None:
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
    stored.update(computed_at=now)
    for n in range(0, len(remove), BATCH):
        IndicatorValue.objects.filter(pk__in=remove[n : n + BATCH]).delete()
    IndicatorValue.objects.bulk_create(create, batch_size=BATCH)
    return kept + len(create)


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


def refresh_regions() -> list[Region]:
    """The regions a refresh computes: the city, its counties and townships."""
    return list(Region.objects.filter(level__in=LEVELS).order_by("path"))


def compute_values(spec: IndicatorSpec, regions: list[Region], days: list[date]) -> Values:
    """The indicator's value for every region and day: grouped when the indicator can,
    otherwise one `compute` per region and day."""
    if spec.grouped is None:
        return {
            (region.pk, when): spec.compute(region, when) for region in regions for when in days
        }
    found = spec.grouped(regions, days)
    expected = {(region.pk, when) for region in regions for when in days}
    if found.keys() != expected:
        raise ValueError(f"indicator {spec.code}: the grouped values miss or add regions or days")
    return found


def refresh(
    day: date | None = None,
    indicators: Iterable[str] | None = None,
    days: Iterable[date] | None = None,
) -> int:
    """Compute every active indicator (or those named) for the city, its counties and
    townships, for `day`, or the `days` given (default: yesterday and today); returns the
    values stored."""
    sync_definitions()
    declared = specs()
    if days is not None:
        wanted = sorted(set(days) | ({day} if day is not None else set()))
    else:
        wanted = [day] if day is not None else default_days()
    rows = Indicator.objects.filter(active=True, code__in=list(declared))
    if indicators is not None:
        rows = rows.filter(code__in=list(indicators))
    regions = refresh_regions()
    stored = 0
    for indicator in rows:
        found = compute_values(declared[indicator.code], regions, wanted)
        with transaction.atomic():
            stored += _store(indicator, PeriodKind.DAY, found)
            _roll_up(indicator, regions, {month_start(when) for when in wanted})
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
