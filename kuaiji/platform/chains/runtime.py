"""Keeping an instance's workflow and its task table in step.

Every write to a running chain goes the same way: lock the instance row, load its workflow,
let SpiffWorkflow move, then `persist`: new ready user tasks become `WorkTask` rows (resolved to
a person or a candidate group, with their time limits), tasks the workflow no longer waits for
are cancelled, and the serialized workflow is written under the optimistic revision check, all
in the caller's transaction. People who get a new task are told after commit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.task import Task

from kuaiji.platform.chains import engine
from kuaiji.platform.chains.assignment import holders, resolve
from kuaiji.platform.chains.definitions import lane_from_json, step_from_json
from kuaiji.platform.chains.listeners import moved
from kuaiji.platform.chains.models import (
    OPEN_STATUSES,
    ChainInstance,
    InstanceStatus,
    StepAction,
    TaskStatus,
    TimelineEntry,
    WorkTask,
)
from kuaiji.platform.chains.sla import deadline
from kuaiji.platform.core.errors import Conflict
from kuaiji.platform.messaging.models import NotificationKind
from kuaiji.platform.messaging.services import notify
from kuaiji.platform.workdays.calendar import WorkCalendar


class StaleInstance(Conflict):
    """Someone changed the instance since it was read."""

    code = "instance_changed"

    def __init__(self) -> None:
        super().__init__(_("The chain was changed meanwhile by someone else; reload and retry."))


@dataclass
class Opened:
    """An instance locked for a write, with its workflow loaded."""

    instance: ChainInstance
    workflow: BpmnWorkflow
    calendar: WorkCalendar | None = None
    created: list[WorkTask] = field(default_factory=list)

    def work_calendar(self) -> WorkCalendar:
        if self.calendar is None:
            self.calendar = WorkCalendar.load()
        return self.calendar


def lock(instance_id: int) -> ChainInstance:
    """The instance, its row locked until the transaction ends (writers queue, not clash)."""
    return (
        ChainInstance.objects.select_for_update(of=("self",))
        .select_related("version", "region", "grid__region", "department__region")
        .get(pk=instance_id)
    )


def open_locked(instance: ChainInstance) -> Opened:
    """Load the workflow of a locked instance."""
    return Opened(instance, engine.load(instance.version, instance.state))


def persist(opened: Opened, *, actor: Any, now: datetime | None = None) -> list[WorkTask]:
    """Write the workflow and bring the task table in line with it; returns the new tasks.

    Raises `StaleInstance` when the stored revision is not the one that was loaded."""
    now = now or timezone.now()
    instance, workflow = opened.instance, opened.workflow
    ready = engine.ready_user_tasks(workflow)
    open_tasks = WorkTask.objects.filter(instance=instance, status__in=OPEN_STATUSES)
    known = set(open_tasks.values_list("spiff_id", flat=True))
    open_tasks.exclude(spiff_id__in=[task.id for task in ready]).update(status=TaskStatus.CANCELLED)
    status = InstanceStatus.SUSPENDED if instance.status == InstanceStatus.SUSPENDED else None
    created = [
        _task_row(opened, spiff_task, now, suspended=status is not None)
        for spiff_task in ready
        if spiff_task.id not in known
    ]
    WorkTask.objects.bulk_create(created)
    ended = workflow.completed and instance.status == InstanceStatus.RUNNING
    if ended:
        instance.status = InstanceStatus.COMPLETED
        instance.ended_at = now
    instance.state = engine.dump(workflow)
    instance.wakes_at = engine.next_wake(workflow) if not workflow.completed else None
    written = ChainInstance.objects.filter(pk=instance.pk, revision=instance.revision).update(
        state=instance.state,
        revision=F("revision") + 1,
        status=instance.status,
        ended_at=instance.ended_at,
        wakes_at=instance.wakes_at,
        touched=instance.touched,
    )
    if written != 1:
        raise StaleInstance()
    instance.revision += 1
    entries = [
        TimelineEntry(
            instance=instance,
            task=task,
            action=StepAction.CREATE,
            details={"step": task.step, "unit": task.unit_label},
        )
        for task in created
    ]
    if ended:
        entries.append(TimelineEntry(instance=instance, action=StepAction.END))
    TimelineEntry.objects.bulk_create(entries)
    for task in created:
        tell_handlers(actor, task, NotificationKind.NOTICE, _("New task"))
    opened.created.extend(created)
    moved(instance)
    return created


def _task_row(opened: Opened, spiff_task: Task, now: datetime, *, suspended: bool) -> WorkTask:
    instance = opened.instance
    version = instance.version
    step = step_from_json(version.steps[spiff_task.task_spec.name])
    lane = lane_from_json(version.lanes[step.lane])
    target = resolve(instance, lane.assignee, spiff_task.data)
    limit = deadline(step.time_limit, now, opened.work_calendar()) if step.time_limit else None
    return WorkTask(
        instance=instance,
        spiff_id=spiff_task.id,
        step=step.id,
        step_name=step.name,
        step_name_en=step.name_en,
        lane=step.lane,
        title=instance.title,
        business_type=instance.business_type,
        business_id=instance.business_id,
        candidate_key=target.candidate_key,
        assignee_id=target.assignee_id,
        unit_label=target.unit.label,
        region_path=target.unit.region_path,
        department_path=target.unit.department_path,
        status=TaskStatus.SUSPENDED if suspended else TaskStatus.OPEN,
        time_limit=step.time_limit,
        due_at=limit.due_at if limit else None,
        yellow_at=limit.yellow_at if limit else None,
        due_pending=bool(limit and limit.pending),
        created_at=now,
    )


def handlers_of(task: WorkTask) -> list[Any]:
    """Who works on the task now: its assignee, else everyone in its candidate group."""
    if task.assignee_id is not None:
        return [task.assignee] if task.assignee is not None else []
    return list(holders([task.candidate_key])) if task.candidate_key else []


def tell_handlers(actor: Any, task: WorkTask, kind: str, headline: str, body: str = "") -> None:
    """Put a notice about the task in its handlers' inboxes."""
    notify_people(actor, handlers_of(task), task, headline, body, kind=kind)


def notify_people(
    actor: Any,
    recipients: list[Any],
    task: WorkTask,
    headline: str,
    body: str = "",
    *,
    kind: str = NotificationKind.NOTICE,
) -> None:
    """Put a notice about the task, linking to it, in the recipients' inboxes."""
    if recipients:
        notify(
            actor=actor,
            recipients=recipients,
            kind=kind,
            title=f"{headline}: {task.step_name} · {task.title}"[:200],
            body=body,
            link=f"/work/chains/tasks/{task.pk}/",
        )
