"""Reads of chains: worklists, task and instance details, supervision, models.

"My tasks", "my unit's tasks" and "overdue in my region" are each one query on the indexed
task table: by assignee or candidate key, by the candidate keys of one's grants, and by the
region paths of one's supervision grants.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from kuaiji.platform.access.services import has_permission
from kuaiji.platform.chains.assignment import answers_for, keys_of
from kuaiji.platform.chains.models import (
    ChainDefinition,
    ChainInstance,
    ChainVersion,
    CoHandler,
    OverdueRecord,
    TaskStatus,
    TimelineEntry,
    WorkTask,
)
from kuaiji.platform.core.errors import NotFound

# Soonest due first, tasks without a time limit last. Ordering by this expression rather than the
# due_at column keeps PostgreSQL from walking the due-date index in search of the few rows of
# one person among a million (it guesses from everyone's finished tasks that they are many).
SOONEST_DUE = (Coalesce("due_at", Value(datetime.max.replace(tzinfo=UTC))).asc(), "pk")


def _worklist(queryset: QuerySet[WorkTask]) -> QuerySet[WorkTask]:
    return queryset.select_related("assignee").order_by(*SOONEST_DUE)


def my_tasks(actor: Any) -> QuerySet[WorkTask]:
    """Open tasks that are the actor's: assigned to them, unclaimed in one of their candidate
    groups, or where they are a co-handler; soonest due first.

    Each branch is an index lookup (the co-handled tasks, a handful, are read first by id), so
    the database combines three small index scans whatever the size of the table."""
    if not has_permission(actor, "chains.task.handle"):
        return WorkTask.objects.none()
    helping = list(
        CoHandler.objects.filter(user_id=actor.pk, task__status=TaskStatus.OPEN).values_list(
            "task_id", flat=True
        )
    )
    mine = (
        Q(assignee_id=actor.pk)
        | Q(assignee__isnull=True, candidate_key__in=keys_of(actor))
        | Q(pk__in=helping)
    )
    return _worklist(WorkTask.objects.open().filter(mine))


@dataclass(frozen=True)
class TaskCounts:
    """How many of the actor's tasks are open, and how many of those are overdue."""

    open: int
    overdue: int


def my_task_counts(actor: Any) -> TaskCounts:
    """The counts of `my_tasks` (one query)."""
    overdue = Q(due_at__lte=timezone.now())
    counts = (
        my_tasks(actor)
        .order_by()
        .aggregate(open_count=Count("pk"), overdue_count=Count("pk", filter=overdue))
    )
    return TaskCounts(counts["open_count"], counts["overdue_count"])


def unit_tasks(actor: Any) -> QuerySet[WorkTask]:
    """Open tasks of the units the actor works for, whoever has claimed them."""
    if not has_permission(actor, "chains.task.handle"):
        return WorkTask.objects.none()
    return _worklist(WorkTask.objects.open().filter(candidate_key__in=keys_of(actor)))


def overdue_tasks(actor: Any) -> QuerySet[WorkTask]:
    """Open overdue tasks in the regions and units the actor supervises, most overdue first."""
    return _worklist(
        WorkTask.objects.visible_to(actor).open().filter(due_at__lte=timezone.now())
    ).select_related("instance")


def overdue_records(actor: Any) -> QuerySet[OverdueRecord]:
    """Overdue events in what the actor supervises, newest first."""
    return OverdueRecord.objects.visible_to(actor).select_related("task")


@dataclass(frozen=True)
class UnitLoad:
    """One unit's open and overdue tasks, for the supervision view."""

    unit: str
    open: int
    overdue: int


def load_by_unit(actor: Any) -> list[UnitLoad]:
    """Open and overdue task counts per unit in what the actor supervises, most overdue first."""
    now = timezone.now()
    rows = (
        WorkTask.objects.visible_to(actor)
        .open()
        .values("unit_label")
        .annotate(open_count=Count("pk"), overdue_count=Count("pk", filter=Q(due_at__lte=now)))
        .order_by("-overdue_count", "-open_count", "unit_label")
    )
    return [UnitLoad(row["unit_label"], row["open_count"], row["overdue_count"]) for row in rows]


def _involved(actor: Any) -> Q:
    """Instances the actor takes part in: started, or holds or held a task of."""
    pk = getattr(actor, "pk", None)
    if pk is None:
        return Q(pk__in=[])
    tasks = WorkTask.objects.filter(
        Q(assignee_id=pk)
        | Q(completed_by_id=pk)
        | Q(candidate_key__in=keys_of(actor))
        | Q(co_handlers__user_id=pk)
    )
    return Q(starter_id=pk) | Q(pk__in=tasks.values("instance_id"))


def instances(actor: Any) -> QuerySet[ChainInstance]:
    """Instances the actor may see: in their scope, or ones they take part in."""
    in_scope = ChainInstance.objects.visible_to(actor).values("pk")
    return (
        ChainInstance.objects.filter(Q(pk__in=in_scope) | _involved(actor))
        .select_related("version__definition", "region", "starter")
        .order_by("-started_at", "-pk")
    )


def instance(actor: Any, pk: int) -> ChainInstance:
    """One instance with its tasks and timeline; NotFound if the actor may not see it."""
    found = (
        instances(actor)
        .filter(pk=pk)
        .prefetch_related(
            Prefetch("tasks", queryset=WorkTask.objects.select_related("assignee")),
            Prefetch(
                "timeline",
                queryset=TimelineEntry.objects.select_related("actor", "task").prefetch_related(
                    "attachments"
                ),
            ),
        )
        .first()
    )
    if found is None:
        raise NotFound()
    return found


def task(actor: Any, pk: int) -> WorkTask:
    """One task the actor handles, could claim, co-handles, supervises or whose instance they
    may see; NotFound otherwise."""
    found = (
        WorkTask.objects.filter(pk=pk, instance__in=instances(actor).values("pk"))
        .select_related("instance__version__definition", "assignee", "completed_by")
        .prefetch_related("co_handlers__user")
        .first()
    )
    if found is None:
        raise NotFound()
    return found


def may_handle(actor: Any, task: WorkTask) -> bool:
    """Whether the actor can act on the task now (as its assignee or a candidate)."""
    return task.status == TaskStatus.OPEN and answers_for(actor, task)


def definitions(actor: Any) -> QuerySet[ChainDefinition]:
    """Chain models with their versions, newest version first."""
    if not has_permission(actor, "chains.model.view"):
        return ChainDefinition.objects.none()
    return ChainDefinition.objects.prefetch_related(
        Prefetch("versions", queryset=ChainVersion.objects.select_related("uploaded_by"))
    ).order_by("key")


def version(actor: Any, key: str, number: int | None = None) -> ChainVersion:
    """A version of a chain model (the latest without `number`)."""
    if not has_permission(actor, "chains.model.view"):
        raise NotFound()
    found = ChainVersion.objects.select_related("definition").filter(definition__key=key)
    if number is not None:
        found = found.filter(number=number)
    result = found.order_by("-number").first()
    if result is None:
        raise NotFound()
    return result
