"""Reads of task lists, restricted to what the reader may see.

- A list is seen in its scope (the issuing office and the list's region), and — once
  published — by the units that lead or cooperate on one of its tasks.
- A task is seen in its own scope (the lead unit's region, the lead unit), with every task of
  a list seen in scope, and — once published — by its cooperating units.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Case, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone

from kuaiji.apps.command.checklists.common import VIEW, unit_filter
from kuaiji.apps.command.checklists.stopwatch import Stopwatch, of_task
from kuaiji.apps.command.models import (
    Acceptance,
    Evidence,
    ProgressReport,
    Task,
    TaskList,
    TaskListStatus,
)
from kuaiji.apps.command.models.checklists import OPEN_TASK_STATUSES
from kuaiji.platform.access.scoping import is_unrestricted
from kuaiji.platform.core.errors import NotFound

RELEASED = (TaskListStatus.PUBLISHED, TaskListStatus.CLOSED)


def _involved(actor: Any) -> Q:
    """Tasks of released lists whose lead or cooperating unit the actor acts for."""
    mine = unit_filter(actor, "lead_department") | Q(
        pk__in=Task.objects.filter(unit_filter(actor, "cooperating_departments")).values("pk")
    )
    return mine & Q(task_list__status__in=RELEASED)


def tasks_in_scope(actor: Any) -> QuerySet[Task]:
    """Every task the actor may see."""
    if is_unrestricted(actor):
        return Task.objects.all()
    own = Task.objects.visible_to(actor, VIEW).values("pk")
    lists = TaskList.objects.visible_to(actor, VIEW).values("pk")
    return Task.objects.filter(Q(pk__in=own) | Q(task_list__in=lists) | _involved(actor))


def lists_in_scope(actor: Any) -> QuerySet[TaskList]:
    """Every list the actor may see."""
    if is_unrestricted(actor):
        return TaskList.objects.all()
    scoped = TaskList.objects.visible_to(actor, VIEW).values("pk")
    through_tasks = Task.objects.filter(
        Q(pk__in=Task.objects.visible_to(actor, VIEW).values("pk")) | _involved(actor)
    ).filter(task_list__status__in=RELEASED)
    return TaskList.objects.filter(
        Q(pk__in=scoped) | Q(pk__in=through_tasks.values("task_list_id"))
    )


def lists(actor: Any, *, status: str = "") -> QuerySet[TaskList]:
    """The lists the actor sees, newest first, with their office, region and origin."""
    found = lists_in_scope(actor).select_related("issuing_department", "region", "directive")
    if status:
        found = found.filter(status=status)
    return found.order_by("-created_at", "-pk")


def list_of(actor: Any, number: str) -> TaskList:
    """One list the actor sees (NotFound otherwise)."""
    found = (
        lists_in_scope(actor)
        .select_related("issuing_department", "region", "directive", "created_by")
        .filter(number=number)
        .first()
    )
    if found is None:
        raise NotFound()
    return found


def sees_whole_list(actor: Any, task_list: TaskList) -> bool:
    """Whether the list is in the actor's own scope (then all its tasks are seen)."""
    return (
        is_unrestricted(actor)
        or TaskList.objects.visible_to(actor, VIEW).filter(pk=task_list.pk).exists()
    )


def with_details(tasks: QuerySet[Task]) -> QuerySet[Task]:
    """Tasks with their units, indicator, milestones, reports (with evidence) and acceptances."""
    return tasks.select_related(
        "task_list", "lead_department__region", "indicator"
    ).prefetch_related(
        "cooperating_departments",
        "milestones",
        Prefetch(
            "reports",
            queryset=ProgressReport.objects.select_related("reporter", "department", "milestone")
            .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.order_by("pk")))
            .order_by("reported_at", "pk"),
        ),
        Prefetch(
            "acceptances",
            queryset=Acceptance.objects.select_related("decided_by").order_by("decided_at", "pk"),
        ),
    )


def tasks_of(actor: Any, task_list: TaskList) -> QuerySet[Task]:
    """The tasks of a list the actor sees, in order, with their details."""
    found = task_list.tasks.all()
    if not sees_whole_list(actor, task_list):
        found = found.filter(pk__in=tasks_in_scope(actor).values("pk"))
    return with_details(found).order_by("sequence")


def task_of(actor: Any, number: str, sequence: int) -> Task:
    """One task the actor sees, by its list's number and its place in the list."""
    found = (
        tasks_in_scope(actor)
        .select_related("task_list", "lead_department__region", "indicator")
        .filter(task_list__number=number, sequence=sequence)
        .first()
    )
    if found is None:
        raise NotFound()
    return found


def evidence_of(actor: Any, number: str, pk: int) -> Evidence:
    """A file of a report on a task the actor sees."""
    found = (
        Evidence.objects.select_related("report__task__task_list")
        .filter(pk=pk, report__task__task_list__number=number)
        .first()
    )
    if found is None or not tasks_in_scope(actor).filter(pk=found.report.task_id).exists():
        raise NotFound()
    return found


def my_tasks(actor: Any) -> QuerySet[Task]:
    """Open tasks of published lists that a unit of the actor leads or cooperates on: the
    overdue first, then by deadline."""
    today = timezone.localdate()
    return (
        Task.objects.filter(_involved(actor), status__in=OPEN_TASK_STATUSES)
        .filter(task_list__status=TaskListStatus.PUBLISHED)
        .select_related("task_list", "lead_department")
        .annotate(
            overdue=Case(
                When(deadline__lt=today, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("overdue", "deadline", "task_list__number", "sequence")
    )


@dataclass(frozen=True)
class TaskClock:
    """A task with its stopwatch."""

    task: Task
    clock: Stopwatch


def with_clocks(tasks: QuerySet[Task] | list[Task], today: date | None = None) -> list[TaskClock]:
    """Each task with its stopwatch today."""
    day = today or timezone.localdate()
    return [TaskClock(task, of_task(task, day)) for task in tasks]
