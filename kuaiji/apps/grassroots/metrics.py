"""The figures of grid events the cockpit and the assessment read: events today, open, overdue,
the on-time rate and satisfaction, for the reader's whole scope and by county."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from kuaiji.apps.grassroots.models import CLOSED_STATUSES, Event, EventStatus, Rating
from kuaiji.platform.chains.models import OverdueRecord, TaskStatus, WorkTask
from kuaiji.platform.directory.models import Region, RegionLevel


@dataclass(frozen=True)
class Figures:
    """Grid-event figures of one area; rates are None while nothing counts towards them."""

    area: str
    code: str
    today: int
    open: int
    overdue: int
    closed: int
    on_time_rate: float | None
    satisfaction: float | None


def _figures(area: str, code: str, events: QuerySet[Event]) -> Figures:
    now = timezone.now()
    midnight = timezone.make_aware(datetime.combine(timezone.localdate(), time.min))
    late = WorkTask.objects.filter(
        instance=OuterRef("instance"), status=TaskStatus.OPEN, due_at__lt=now
    )
    was_late = OverdueRecord.objects.filter(task__instance=OuterRef("instance"))
    closed = events.filter(status=EventStatus.CLOSED)
    counts = closed.aggregate(
        total=Count("pk"),
        late=Count("pk", filter=Q(Exists(was_late))),
        rated=Count("pk", filter=~Q(rating="")),
        satisfied=Count("pk", filter=Q(rating=Rating.SATISFIED)),
    )
    open_events = events.exclude(status__in=CLOSED_STATUSES)
    return Figures(
        area=area,
        code=code,
        today=events.filter(created_at__gte=midnight).count(),
        open=open_events.count(),
        overdue=open_events.filter(Exists(late)).count(),
        closed=counts["total"],
        on_time_rate=_share(counts["total"] - counts["late"], counts["total"]),
        satisfaction=_share(counts["satisfied"], counts["rated"]),
    )


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def figures(actor: Any) -> list[Figures]:
    """The actor's whole scope first, then each county in it that has events."""
    visible = Event.objects.visible_to(actor)
    rows = [_figures("", "", visible)]
    counties = Region.objects.filter(level=RegionLevel.COUNTY).order_by("code")
    for county in counties:
        in_county = visible.filter(region_path__startswith=county.path)
        if in_county.exists():
            rows.append(_figures(county.name, county.code, in_county))
    return rows
