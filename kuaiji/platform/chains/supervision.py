"""The periodic supervision of chains (Celery beat in production, the in-process scheduler by
default): fire due timers, fill in time limits once a calendar year is published, remind
handlers when the light turns yellow, and escalate overdue tasks to the supervising unit with
an overdue record. Each instance and each task is handled in its own transaction, so one
failure does not stop the round, and a task is reminded and escalated only once.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kuaiji.platform.chains import engine, runtime
from kuaiji.platform.chains.assignment import holders, resolve
from kuaiji.platform.chains.definitions import lane_from_json
from kuaiji.platform.chains.models import (
    ChainInstance,
    InstanceStatus,
    OverdueRecord,
    StepAction,
    TimelineEntry,
    WorkTask,
)
from kuaiji.platform.chains.sla import deadline
from kuaiji.platform.core.actors import SYSTEM
from kuaiji.platform.core.errors import KuaijiError
from kuaiji.platform.messaging.models import NotificationKind
from kuaiji.platform.workdays.calendar import WorkCalendar

logger = logging.getLogger(__name__)
BATCH = 500


@dataclass
class Round:
    """What one round of supervision did."""

    timers: int = 0
    deadlines: int = 0
    reminders: int = 0
    escalations: int = 0


def supervise(now: datetime | None = None) -> Round:
    """One round of supervision at `now`."""
    now = now or timezone.now()
    done = Round()
    done.timers = _fire_timers(now)
    done.deadlines = _fill_deadlines()
    done.reminders = _remind(now)
    done.escalations = _escalate(now)
    return done


def _fire_timers(now: datetime) -> int:
    due = ChainInstance.objects.filter(
        status=InstanceStatus.RUNNING, wakes_at__lte=now
    ).values_list("pk", flat=True)[:BATCH]
    fired = 0
    for pk in list(due):
        try:
            with transaction.atomic():
                instance = runtime.lock(pk)
                if instance.status != InstanceStatus.RUNNING:
                    continue
                opened = runtime.open_locked(instance)
                engine.refresh(opened.workflow)
                TimelineEntry.objects.create(instance=instance, action=StepAction.TIMER, at=now)
                runtime.persist(opened, actor=SYSTEM, now=now)
                fired += 1
        except KuaijiError:
            logger.exception("the timer of chain instance %s could not fire", pk)
    return fired


def _fill_deadlines() -> int:
    """Time limits that waited for an unpublished calendar year, now that it may be known."""
    waiting = list(WorkTask.objects.open().filter(due_pending=True)[:BATCH])
    if not waiting:
        return 0
    calendar = WorkCalendar.load()
    filled = 0
    for task in waiting:
        limit = deadline(task.time_limit, task.created_at, calendar)
        if not limit.pending:
            WorkTask.objects.filter(pk=task.pk).update(
                due_at=limit.due_at, yellow_at=limit.yellow_at, due_pending=False
            )
            filled += 1
    return filled


def _remind(now: datetime) -> int:
    tasks = WorkTask.objects.open().filter(
        yellow_at__lte=now, due_at__gt=now, reminded_at__isnull=True
    )
    reminded = 0
    for task in tasks.select_related("instance", "assignee")[:BATCH]:
        with transaction.atomic():
            if WorkTask.objects.filter(pk=task.pk, reminded_at__isnull=True).update(
                reminded_at=now
            ):
                TimelineEntry.objects.create(
                    instance=task.instance, task=task, action=StepAction.REMIND, at=now
                )
                runtime.tell_handlers(
                    SYSTEM, task, NotificationKind.REMINDER, _("Time is running out")
                )
                reminded += 1
    return reminded


def _escalate(now: datetime) -> int:
    tasks = WorkTask.objects.open().filter(due_at__lte=now, escalated_at__isnull=True)
    escalated = 0
    for task in tasks.select_related(
        "instance__version", "instance__region", "instance__grid__region", "assignee"
    )[:BATCH]:
        try:
            with transaction.atomic():
                if _escalate_one(task, now):
                    escalated += 1
        except KuaijiError:
            logger.exception("overdue task %s could not be escalated", task.pk)
    return escalated


def _escalate_one(task: WorkTask, now: datetime) -> bool:
    if not WorkTask.objects.filter(pk=task.pk, escalated_at__isnull=True).update(escalated_at=now):
        return False
    lane = lane_from_json(task.instance.version.lanes[task.lane])
    supervisor = resolve(task.instance, lane.supervisor, {})
    OverdueRecord.objects.create(
        task=task,
        region_path=task.region_path,
        department_path=task.department_path,
        unit_label=task.unit_label,
        due_at=task.due_at or now,
        recorded_at=now,
        escalated_to=supervisor.candidate_key,
    )
    TimelineEntry.objects.create(
        instance=task.instance,
        task=task,
        action=StepAction.OVERDUE,
        at=now,
        details={"escalated_to": supervisor.unit.label},
    )
    runtime.tell_handlers(SYSTEM, task, NotificationKind.REMINDER, _("Overdue"))
    runtime.notify_people(
        SYSTEM,
        list(holders([supervisor.candidate_key])),
        task,
        _("Overdue work escalated to you"),
        _("%(unit)s has not finished this step in time.") % {"unit": task.unit_label},
        kind=NotificationKind.ESCALATION,
    )
    return True
