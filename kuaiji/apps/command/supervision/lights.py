"""The traffic lights of supervised work, each rule in one place and in two forms: a function of
one item (for a page about it) and a database expression (so counts by light are aggregates).

- chain tasks: red once due, yellow from the chain's own yellow moment (`yellow_at`);
- checklist tasks: the stopwatch of the checklists scene (red past the deadline and not
  accepted, yellow within its warning days or when the time gone runs ahead of the progress);
- directive targets owing feedback: red once the deadline passed, yellow within 24 hours of it.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db.models import (
    Case,
    DateField,
    DurationField,
    ExpressionWrapper,
    F,
    Q,
    Value,
    When,
)
from django.db.models.functions import Mod
from django.db.models.lookups import Exact, GreaterThan
from django.utils import timezone

from kuaiji.apps.command.checklists.stopwatch import WARN_DAYS, WARN_GAP, stopwatch
from kuaiji.apps.command.models import TaskStatus
from kuaiji.platform.workdays.calendar import Light

DIRECTIVE_WARNING = timedelta(hours=24)
LIGHTS = (Light.RED, Light.YELLOW, Light.GREEN)


def _case(red: Q, yellow: Q) -> Case:
    return Case(
        When(red, then=Value(Light.RED.value)),
        When(yellow, then=Value(Light.YELLOW.value)),
        default=Value(Light.GREEN.value),
    )


# Chain tasks -------------------------------------------------------------------------------


def chain_light(due_at: datetime | None, yellow_at: datetime | None, now: datetime) -> Light:
    """A chain task's light: red once due, yellow from its yellow moment, green otherwise (and
    without a time limit)."""
    if due_at is not None and now >= due_at:
        return Light.RED
    if yellow_at is not None and now >= yellow_at:
        return Light.YELLOW
    return Light.GREEN


def chain_light_expression(now: datetime) -> Case:
    """`chain_light` for the rows of the task table."""
    return _case(Q(due_at__lte=now), Q(yellow_at__lte=now))


# Checklist tasks ---------------------------------------------------------------------------


def checklist_light(
    *, starts_on: date, deadline: date, progress: int, status: str, today: date
) -> Light:
    """A checklist task's light on `today`: the stopwatch's."""
    found = stopwatch(
        starts_on=starts_on, deadline=deadline, progress=progress, status=status, today=today
    )
    return Light(found.light)


def checklist_light_expression(today: date) -> Case:
    """`checklist_light` for the rows of the task table.

    The stopwatch's share of time gone is round(100 · gone / total) days, with gone = today −
    start + 1 and total = deadline − start + 1; "gone − progress > WARN_GAP" is compared here
    without division as 200 · gone > (2 · (progress + WARN_GAP) + 1) · total (day spans as
    durations, which both databases multiply by whole numbers).
    """
    day = Value(timedelta(days=1), output_field=DurationField())
    gone = Value(today, output_field=DateField()) - F("starts_on") + day
    total = F("deadline") - F("starts_on") + day
    scaled_gone = ExpressionWrapper(gone * 200, output_field=DurationField())
    edge = ExpressionWrapper(
        (F("progress") * 2 + (2 * WARN_GAP + 1)) * total, output_field=DurationField()
    )
    # round() takes halves to the even number: k + ½ rounds above k when k (so progress) is odd.
    half_up = Q(Exact(scaled_gone, edge)) & Q(Exact(Mod("progress", 2), 1))
    ahead = Q(GreaterThan(scaled_gone, edge)) | half_up
    open_task = ~Q(status=TaskStatus.ACCEPTED)
    red = Q(deadline__lt=today) & open_task
    yellow = (Q(deadline__lte=today + timedelta(days=WARN_DAYS)) | ahead) & open_task
    return _case(red, yellow)


def checklist_due(deadline: date) -> datetime:
    """The moment a checklist task falls due: the end of its deadline day."""
    return timezone.make_aware(datetime.combine(deadline + timedelta(days=1), datetime.min.time()))


# Directive targets ------------------------------------------------------------------------


def directive_light(deadline: datetime | None, now: datetime) -> Light:
    """The light of a target owing feedback: red once the deadline passed, yellow within 24
    hours of it, green before (and without a deadline)."""
    if deadline is None:
        return Light.GREEN
    if now >= deadline:
        return Light.RED
    if now >= deadline - DIRECTIVE_WARNING:
        return Light.YELLOW
    return Light.GREEN


def directive_light_expression(now: datetime) -> Case:
    """`directive_light` for directive targets (through their directive's deadline)."""
    return _case(
        Q(directive__deadline__lte=now), Q(directive__deadline__lte=now + DIRECTIVE_WARNING)
    )


# Shared ------------------------------------------------------------------------------------


def days_late(due_at: datetime | None, now: datetime) -> int:
    """Calendar days from the day work fell due to today, at least 1 once it is late (a
    checklist task due at the end of its deadline day is 1 day late the day after)."""
    if due_at is None or now < due_at:
        return 0
    last_day = timezone.localdate(due_at - timedelta(microseconds=1))
    return max(1, (timezone.localdate(now) - last_day).days)
