"""Grid-event indicators for the metrics layer: events reported, closed and open, the on-time
closure rate and satisfaction, for a region (and everything below it) and a local day.

They count as the cockpit's figures (`kuaiji.apps.grassroots.metrics`) do: a closed event is on
time unless its chain ever went overdue, and satisfaction is the share of rated closed events
rated satisfied.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from kuaiji.apps.grassroots.models import CLOSED_STATUSES, Event, EventStatus, Rating
from kuaiji.platform.chains.models import OverdueRecord
from kuaiji.platform.directory.models import Region
from kuaiji.platform.metrics.registry import IndicatorSpec, day_bounds, share


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
    was_late = OverdueRecord.objects.filter(task__instance=OuterRef("instance"))
    counts = _closed_on(region, day).aggregate(
        total=Count("pk"), late=Count("pk", filter=Q(Exists(was_late)))
    )
    return share(counts["total"] - counts["late"], counts["total"])


def satisfaction(region: Region, day: date) -> float | None:
    """Of the events closed on the day with a rating, the share rated satisfied."""
    counts = _closed_on(region, day).aggregate(
        rated=Count("pk", filter=~Q(rating="")),
        satisfied=Count("pk", filter=Q(rating=Rating.SATISFIED)),
    )
    return share(counts["satisfied"], counts["rated"])


INDICATORS = [
    IndicatorSpec(
        "grassroots.events.reported",
        "上报事件数",
        "Events reported",
        "events",
        _("Grid events reported in the region on the day."),
        reported,
    ),
    IndicatorSpec(
        "grassroots.events.closed",
        "办结事件数",
        "Events closed",
        "events",
        _("Grid events closed in the region on the day."),
        closed,
    ),
    IndicatorSpec(
        "grassroots.events.open",
        "在办事件数",
        "Open events",
        "events",
        _("Grid events still open at the end of the day; a month's value is the daily mean."),
        open_at_end,
        aggregate="mean",
    ),
    IndicatorSpec(
        "grassroots.events.on_time_rate",
        "按时办结率",
        "On-time closure rate",
        "ratio",
        _("Of the events closed on the day, the share that never went overdue."),
        on_time_rate,
        aggregate="mean",
    ),
    IndicatorSpec(
        "grassroots.events.satisfaction",
        "群众满意率",
        "Satisfaction",
        "ratio",
        _("Of the rated events closed on the day, the share rated satisfied."),
        satisfaction,
        aggregate="mean",
    ),
]
