"""Task-list indicators for the metrics layer: tasks open and overdue at the end of a day, and
the share of the tasks accepted on a day that were submitted by their deadline — for a region
(the lead units' regions under it) and a local day.

A task counts from its list's publication until its acceptance; it is overdue once its deadline
day has passed.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from kuaiji.apps.command.models import Acceptance, AcceptanceDecision, Task
from kuaiji.platform.directory.models import Region
from kuaiji.platform.metrics.registry import IndicatorSpec, day_bounds, share


def _in(region: Region) -> QuerySet[Task]:
    return Task.objects.filter(region_path__startswith=region.path)


def _open_at_end(region: Region, day: date) -> QuerySet[Task]:
    _start, end = day_bounds(day)
    return (
        _in(region)
        .filter(task_list__published_at__lt=end)
        .filter(Q(accepted_at__isnull=True) | Q(accepted_at__gte=end))
    )


def open_tasks(region: Region, day: date) -> float:
    """Tasks of published lists not accepted by the end of the day."""
    return _open_at_end(region, day).count()


def overdue_tasks(region: Region, day: date) -> float:
    """Open tasks whose deadline passed before the day."""
    return _open_at_end(region, day).filter(deadline__lt=day).count()


def on_time_rate(region: Region, day: date) -> float | None:
    """Of the tasks accepted on the day, the share submitted by their deadline."""
    start, end = day_bounds(day)
    on_time = Acceptance.objects.filter(
        task=OuterRef("pk"), decision=AcceptanceDecision.ACCEPTED, on_time=True
    )
    counts = (
        _in(region)
        .filter(accepted_at__gte=start, accepted_at__lt=end)
        .aggregate(total=Count("pk"), on_time=Count("pk", filter=Q(Exists(on_time))))
    )
    return share(counts["on_time"], counts["total"])


INDICATORS = [
    IndicatorSpec(
        "command.tasks.open",
        "在办清单任务数",
        "Open list tasks",
        "tasks",
        _("Tasks of published lists not accepted at the end of the day; a month's value is the "
          "daily mean."),
        open_tasks,
        aggregate="mean",
    ),
    IndicatorSpec(
        "command.tasks.overdue",
        "逾期清单任务数",
        "Overdue list tasks",
        "tasks",
        _("Open tasks past their deadline at the end of the day; a month's value is the daily "
          "mean."),
        overdue_tasks,
        aggregate="mean",
    ),
    IndicatorSpec(
        "command.tasks.on_time_rate",
        "任务按期验收率",
        "Tasks accepted on time",
        "ratio",
        _("Of the tasks accepted on the day, the share submitted by their deadline."),
        on_time_rate,
        aggregate="mean",
    ),
]  # fmt: skip
