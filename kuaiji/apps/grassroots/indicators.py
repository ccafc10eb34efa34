"""Grid-event indicators for the metrics layer: events reported, closed and open, the on-time
closure rate and satisfaction, for a region (and everything below it) and a local day.

They count as the cockpit's figures (`kuaiji.apps.grassroots.metrics`) do: a closed event is on
time unless its chain ever went overdue, and satisfaction is the share of rated closed events
rated satisfied.

Each also has a grouped form (`IndicatorSpec.grouped`) giving every region's and day's value
from one query grouped by the events' region path and local day (two for open events), which
refreshing uses; it counts exactly as the per-region form does.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.db.models import Count, DateField, Exists, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Greatest, TruncDate
from django.utils.translation import gettext_lazy as _

from kuaiji.apps.grassroots.models import CLOSED_STATUSES, Event, EventStatus, Rating
from kuaiji.platform.chains.models import OverdueRecord
from kuaiji.platform.directory.models import Region
from kuaiji.platform.metrics.registry import (
    IndicatorSpec,
    Tally,
    Values,
    by_path_and_day,
    day_bounds,
    days_bounds,
    share,
)


def _in(region: Region) -> QuerySet[Event]:
    return Event.objects.filter(region_path__startswith=region.path)


def _closed_on(region: Region, day: date) -> QuerySet[Event]:
    start, end = day_bounds(day)
    return _in(region).filter(status=EventStatus.CLOSED, closed_at__gte=start, closed_at__lt=end)


def reported(region: Region, day: date) -> float:
    """Events reported on the day."""
    start, end = day_bounds(day)
    return _in(region).filter(created_at__gte=start, created_at__lt=end).count()


def closed(region: Region, day: date) -> float:
    """Events closed on the day."""
    return _closed_on(region, day).count()


def open_at_end(region: Region, day: date) -> float:
    """Events reported by the end of the day and not closed by then."""
    _start, end = day_bounds(day)
    return (
        _in(region)
        .filter(created_at__lt=end)
        .exclude(closed_at__lt=end)
        .exclude(status__in=CLOSED_STATUSES, closed_at__isnull=True)
        .count()
    )


def on_time_rate(region: Region, day: date) -> float | None:
    """Of the events closed on the day, the share whose chain never went overdue."""
    counts = _closed_on(region, day).aggregate(
        total=Count("pk"), late=Count("pk", filter=Q(_was_late()))
    )
    return share(counts["total"] - counts["late"], counts["total"])


def satisfaction(region: Region, day: date) -> float | None:
    """Of the events closed on the day with a rating, the share rated satisfied."""
    counts = _closed_on(region, day).aggregate(**_RATINGS)
    return share(counts["satisfied"], counts["rated"])


_RATINGS = {
    "rated": Count("pk", filter=~Q(rating="")),
    "satisfied": Count("pk", filter=Q(rating=Rating.SATISFIED)),
}


def _was_late() -> Exists:
    return Exists(OverdueRecord.objects.filter(task__instance=OuterRef("instance")))


def _closed_by_day(regions: Sequence[Region], days: Sequence[date], **counts: Count) -> Tally:
    rows = Event.objects.filter(status=EventStatus.CLOSED)
    return Tally(regions, days, width=len(counts)).rows(
        by_path_and_day(rows, "region_path", "closed_at", days, **counts)
    )


def reported_grouped(regions: Sequence[Region], days: Sequence[date]) -> Values:
    """`reported` for every region and day."""
    rows = by_path_and_day(Event.objects.all(), "region_path", "created_at", days, n=Count("pk"))
    return Tally(regions, days).rows(rows).values()


def closed_grouped(regions: Sequence[Region], days: Sequence[date]) -> Values:
    """`closed` for every region and day."""
    return _closed_by_day(regions, days, n=Count("pk")).values()


def open_grouped(regions: Sequence[Region], days: Sequence[date]) -> Values:
    """`open_at_end` for every region and day: the events reported by the end of the day
    (not closed without a closing time), less those of them closed by then; both are running
    counts over the days, grouped by the later of the two days."""
    first = Value(min(days), output_field=DateField())
    _start, end = days_bounds(days)
    reported_by = (
        Event.objects.filter(created_at__lt=end)
        .exclude(status__in=CLOSED_STATUSES, closed_at__isnull=True)
        .annotate(metrics_day=Greatest(TruncDate("created_at"), first))
    )
    closed_by = Event.objects.filter(created_at__lt=end, closed_at__lt=end).annotate(
        metrics_day=Greatest(TruncDate("created_at"), TruncDate("closed_at"), first)
    )
    tally = Tally(regions, days, running=True)
    for rows, sign in ((reported_by, 1), (closed_by, -1)):
        grouped = rows.order_by().values("region_path", "metrics_day").annotate(n=Count("pk"))
        for path, day, n in grouped.values_list("region_path", "metrics_day", "n"):
            tally.add(path, day, sign * n)
    return tally.values()


def on_time_rate_grouped(regions: Sequence[Region], days: Sequence[date]) -> Values:
    """`on_time_rate` for every region and day."""
    tally = _closed_by_day(
        regions, days, total=Count("pk"), late=Count("pk", filter=Q(_was_late()))
    )
    return tally.values(lambda total, late: share(total - late, total))


def satisfaction_grouped(regions: Sequence[Region], days: Sequence[date]) -> Values:
    """`satisfaction` for every region and day."""
    tally = _closed_by_day(regions, days, **_RATINGS)
    return tally.values(lambda rated, satisfied: share(satisfied, rated))


INDICATORS = [
    IndicatorSpec(
        "grassroots.events.reported",
        "上报事件数",
        "Events reported",
        "events",
        _("Grid events reported in the region on the day."),
        reported,
        grouped=reported_grouped,
    ),
    IndicatorSpec(
        "grassroots.events.closed",
        "办结事件数",
        "Events closed",
        "events",
        _("Grid events closed in the region on the day."),
        closed,
        grouped=closed_grouped,
    ),
    IndicatorSpec(
        "grassroots.events.open",
        "在办事件数",
        "Open events",
        "events",
        _("Grid events still open at the end of the day; a month's value is the daily mean."),
        open_at_end,
        aggregate="mean",
        grouped=open_grouped,
    ),
    IndicatorSpec(
        "grassroots.events.on_time_rate",
        "按时办结率",
        "On-time closure rate",
        "ratio",
        _("Of the events closed on the day, the share that never went overdue."),
        on_time_rate,
        aggregate="mean",
        grouped=on_time_rate_grouped,
    ),
    IndicatorSpec(
        "grassroots.events.satisfaction",
        "群众满意率",
        "Satisfaction",
        "ratio",
        _("Of the rated events closed on the day, the share rated satisfied."),
        satisfaction,
        aggregate="mean",
        grouped=satisfaction_grouped,
    ),
]
