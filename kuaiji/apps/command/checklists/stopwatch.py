"""The stopwatch of a task (跑表计时): how much of its time has gone, how many days are left or
late, and its light.

- green: on track (and every accepted task);
- yellow: the deadline is within `WARN_DAYS` days, or the share of time gone exceeds the
  progress by more than `WARN_GAP` points;
- red: past the deadline and not accepted.

One pure function, used by the screens, the API and the supervision.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from kuaiji.apps.command.models import Task

Light = Literal["green", "yellow", "red"]
WARN_DAYS = 3
WARN_GAP = 30
ACCEPTED = "accepted"


@dataclass(frozen=True)
class Stopwatch:
    """A task's clock on one day."""

    elapsed: int  # share of the task's days gone by the end of the day, 0–100
    days_left: int  # days until the deadline (0 on the deadline and after it)
    days_late: int  # days past the deadline (0 until it has passed, and once accepted)
    light: Light

    @property
    def late(self) -> bool:
        return self.days_late > 0


def stopwatch(
    *, starts_on: date, deadline: date, progress: int, status: str, today: date
) -> Stopwatch:
    """The clock of a task running from `starts_on` to `deadline` (both days included), with
    `progress` percent done and in `status`, at the end of `today`."""
    total = (deadline - starts_on).days + 1
    gone = min(max((today - starts_on).days + 1, 0), total)
    elapsed = round(100 * gone / total) if total > 0 else 100
    days_left = max((deadline - today).days, 0)
    if status == ACCEPTED:
        return Stopwatch(elapsed=elapsed, days_left=days_left, days_late=0, light="green")
    days_late = max((today - deadline).days, 0)
    light: Light
    if days_late:
        light = "red"
    elif days_left <= WARN_DAYS or elapsed - progress > WARN_GAP:
        light = "yellow"
    else:
        light = "green"
    return Stopwatch(elapsed=elapsed, days_left=days_left, days_late=days_late, light=light)


def of_task(task: Task, today: date) -> Stopwatch:
    """The clock of a task."""
    return stopwatch(
        starts_on=task.starts_on,
        deadline=task.deadline,
        progress=task.progress,
        status=task.status,
        today=today,
    )
