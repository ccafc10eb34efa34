"""Acceptance at the deadline (到点验收).

The lead unit submits its task for acceptance; the issuing office accepts it, or returns it
with what is missing (the task goes back to work, red once late). An acceptance is on time when
the task was submitted by its deadline. When every task of a list is accepted, the office may
close the list. Anything asked in the wrong state is refused with 409 and a message.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from kuaiji.apps.command.checklists.common import (
    MANAGE,
    audit_list,
    audit_task,
    is_lead,
    locked_list,
    locked_task,
    moment,
    tell,
    tell_people,
    text,
)
from kuaiji.apps.command.checklists.selectors import tasks_in_scope
from kuaiji.apps.command.models import (
    Acceptance,
    AcceptanceDecision,
    Task,
    TaskList,
    TaskListStatus,
    TaskStatus,
)
from kuaiji.platform.access.scoping import is_unrestricted
from kuaiji.platform.access.services import authorize, has_permission
from kuaiji.platform.core.errors import Conflict, NotFound

SUBMITTABLE = (TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS, TaskStatus.RETURNED)


def may_submit(actor: Any, task: Task) -> bool:
    return (
        task.task_list.status == TaskListStatus.PUBLISHED
        and task.status in SUBMITTABLE
        and is_lead(actor, task)
    )


def may_decide(actor: Any, task: Task) -> bool:
    return task.status == TaskStatus.SUBMITTED and may_manage(actor, task.task_list)


def may_manage(actor: Any, task_list: TaskList) -> bool:
    return (
        is_unrestricted(actor)
        or TaskList.objects.visible_to(actor, MANAGE).filter(pk=task_list.pk).exists()
    )


@transaction.atomic
def submit(
    *, actor: Any, task: Task, revision: int | None = None, at: datetime | None = None
) -> Task:
    """The lead unit submits its task for acceptance."""
    if not tasks_in_scope(actor).filter(pk=task.pk).exists() or not is_lead(actor, task):
        raise NotFound()
    found = locked_task(task, revision)
    if found.task_list.status != TaskListStatus.PUBLISHED:
        raise Conflict(_("The list is not published."))
    if found.status not in SUBMITTABLE:
        raise Conflict(
            _("The task is %(status)s; it cannot be submitted for acceptance.")
            % {"status": found.get_status_display()}
        )
    when = moment(at)
    before = found.status
    Task.objects.filter(pk=found.pk).update(
        status=TaskStatus.SUBMITTED, submitted_at=when, revision=F("revision") + 1
    )
    found.refresh_from_db()
    audit_task(actor, "submit", found, {"status": [before, found.status]})
    tell_people(
        actor,
        [found.task_list.created_by],
        found,
        _("Submitted for acceptance: %(title)s") % {"title": found.title},
        _("%(unit)s asks for the task to be accepted.") % {"unit": found.lead_department.name},
    )
    return found


@transaction.atomic
def decide(
    *,
    actor: Any,
    task: Task,
    accept: bool,
    comment: str = "",
    revision: int | None = None,
    at: datetime | None = None,
) -> Acceptance:
    """The issuing office accepts a submitted task, or returns it with what is missing (a
    comment is then required)."""
    authorize(actor, MANAGE, task.task_list)
    found = locked_task(task, revision)
    if found.status != TaskStatus.SUBMITTED:
        raise Conflict(
            _("The task is %(status)s; only a task submitted for acceptance can be decided.")
            % {"status": found.get_status_display()}
        )
    comment = text(comment, "comment", required=not accept)
    when = moment(at)
    submitted = found.submitted_at or when
    on_time = timezone.localtime(submitted).date() <= found.deadline
    decision = AcceptanceDecision.ACCEPTED if accept else AcceptanceDecision.RETURNED
    acceptance = Acceptance.objects.create(
        task=found,
        decision=decision,
        comment=comment,
        decided_by=actor,
        decided_at=when,
        on_time=on_time,
    )
    status = TaskStatus.ACCEPTED if accept else TaskStatus.RETURNED
    Task.objects.filter(pk=found.pk).update(
        status=status, accepted_at=when if accept else None, revision=F("revision") + 1
    )
    found.refresh_from_db()
    audit_task(
        actor,
        "accept" if accept else "return",
        found,
        {
            "status": [TaskStatus.SUBMITTED.value, status.value],
            "on_time": [None, on_time],
            "comment": [None, comment],
        },
    )
    title = (_("Task accepted: %(title)s") if accept else _("Task returned: %(title)s")) % {
        "title": found.title
    }
    tell(actor, [found.lead_department], found, title, comment)
    return acceptance


@transaction.atomic
def close(*, actor: Any, task_list: TaskList, at: datetime | None = None) -> TaskList:
    """Close a published list once every one of its tasks is accepted."""
    authorize(actor, MANAGE, task_list)
    found = locked_list(task_list)
    if found.status != TaskListStatus.PUBLISHED:
        raise Conflict(
            _("The list is %(status)s; only a published list can be closed.")
            % {"status": found.get_status_display()}
        )
    waiting = found.tasks.exclude(status=TaskStatus.ACCEPTED).count()
    if waiting or not found.tasks.exists():
        raise Conflict(
            _("%(count)d task(s) of the list are not accepted yet.") % {"count": waiting}
        )
    found.status = TaskListStatus.CLOSED
    found.closed_at = moment(at)
    found.save(update_fields=["status", "closed_at"])
    audit_list(actor, "close", found, {"status": ["published", "closed"]})
    return found


def may_close(actor: Any, task_list: TaskList) -> bool:
    return (
        task_list.status == TaskListStatus.PUBLISHED
        and not task_list.tasks.exclude(status=TaskStatus.ACCEPTED).exists()
        and task_list.tasks.exists()
        and may_manage(actor, task_list)
    )


def may_manage_any(actor: Any) -> bool:
    """Whether the actor may draw up and accept task lists somewhere."""
    return has_permission(actor, MANAGE)
