"""Time limits of tasks: due time and the moment the light turns yellow, in working time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings

from kuaiji.platform.chains.definitions import TIME_LIMIT
from kuaiji.platform.workdays.calendar import Light, UnpublishedYear, WorkCalendar, light


@dataclass(frozen=True)
class Deadline:
    """When a task is due and when it turns yellow; `pending` while the calendar of a year the
    limit reaches into is not published (the due time is then unknown, never guessed)."""

    due_at: datetime | None = None
    yellow_at: datetime | None = None
    pending: bool = False


def deadline(time_limit: str, start: datetime, calendar: WorkCalendar) -> Deadline:
    """The deadline of a task with `time_limit` ("3d", "8h", or "" for none) started at `start`."""
    match = TIME_LIMIT.match(time_limit)
    if match is None:
        return Deadline()
    amount = int(match["amount"])
    try:
        if match["unit"] == "d":
            due = calendar.add_working_days(start, amount)
        else:
            due = calendar.add_working_hours(start, amount)
    except UnpublishedYear:
        return Deadline(pending=True)
    share = float(settings.KUAIJI_SLA_YELLOW_SHARE)
    return Deadline(due_at=due, yellow_at=start + (due - start) * share)


def light_of(created_at: datetime, due_at: datetime | None, now: datetime) -> Light | None:
    """The traffic light of a task, or None when it has no time limit."""
    if due_at is None:
        return None
    return light(created_at, due_at, now, yellow_share=float(settings.KUAIJI_SLA_YELLOW_SHARE))
