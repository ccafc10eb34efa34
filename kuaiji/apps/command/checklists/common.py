"""What the checklist services share: permission codes, the units an actor acts for, locked
rows, audit entries and notices to the units of a task."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kuaiji.apps.command.models import Task, TaskList
from kuaiji.platform.access.models import RoleGrant
from kuaiji.platform.access.scoping import NOTHING, grants_with, is_unrestricted
from kuaiji.platform.audit.services import record
from kuaiji.platform.core.errors import Conflict, InvalidInput
from kuaiji.platform.directory.models import Department, Staff
from kuaiji.platform.messaging.models import NotificationKind
from kuaiji.platform.messaging.services import notify

VIEW = "command.checklist.view"
MANAGE = "command.checklist.manage"
LIST_LINK = "/work/checklists/{number}/"
TASK_LINK = "/work/checklists/{number}/#task-{sequence}"
TEXT_MAX = 2000


def moment(at: datetime | None) -> datetime:
    """`at` (a past moment when history is brought over, as the demo does) or now."""
    return at if at is not None else timezone.now()


def text(value: str, field: str, *, required: bool = True, limit: int = TEXT_MAX) -> str:
    """A stripped text of at most `limit` characters (required unless told)."""
    cleaned = (value or "").strip()
    if required and not cleaned:
        raise InvalidInput(fields={field: _("This field is required.")})
    if len(cleaned) > limit:
        raise InvalidInput(fields={field: _("At most %(count)d characters.") % {"count": limit}})
    return cleaned


def unit_filter(actor: Any, field: str = "") -> Q:
    """Rows whose department `field` (departments themselves without one) is one the actor
    acts for: the departments of its department-scoped grants of the checklist permissions
    (and the units below them), and the department of its active staff record."""
    if is_unrestricted(actor):
        return Q()
    prefix = f"{field}__" if field else ""
    combined = NOTHING
    for code in (VIEW, MANAGE):
        for grant in grants_with(actor, code):
            if grant.department is not None:
                combined |= Q(**{f"{prefix}path__startswith": grant.department.path})
    staff = staff_department_id(actor) if grants_with(actor, VIEW) else None
    if staff is not None:
        combined |= Q(**{field or "pk": staff})
    return combined


def staff_department_id(actor: Any) -> int | None:
    """The department of the actor's active staff record, if any."""
    pk = getattr(actor, "pk", None)
    if pk is None:
        return None
    rows = Staff.objects.filter(user_id=pk, is_active=True)
    return rows.values_list("department", flat=True).first()


def acts_for(actor: Any, departments: Iterable[Department]) -> bool:
    """Whether the actor acts for one of `departments` (see `unit_filter`)."""
    ids = [department.pk for department in departments]
    return Department.objects.filter(unit_filter(actor), pk__in=ids).exists()


def is_lead(actor: Any, task: Task) -> bool:
    return acts_for(actor, [task.lead_department])


def is_involved(actor: Any, task: Task) -> bool:
    """Whether the actor works for the task's lead unit or one of its cooperating units."""
    return acts_for(actor, [task.lead_department, *task.cooperating_departments.all()])


def people_of(departments: Iterable[Department]) -> list[Any]:
    """The accounts working for the units that may see task lists: their staff's and those of
    the officers acting for the units."""
    ids = [department.pk for department in departments]
    people = {
        staff.user.pk: staff.user
        for staff in Staff.objects.filter(
            department_id__in=ids, is_active=True, user__isnull=False
        ).select_related("user")
        if staff.user is not None and staff.user.is_active
    }
    for grant in RoleGrant.objects.filter(department_id__in=ids).select_related("user"):
        if grant.user.is_active:
            people.setdefault(grant.user.pk, grant.user)
    entitled = {
        grant.user_id
        for grant in RoleGrant.objects.filter(user_id__in=list(people)).select_related("role")
        if VIEW in grant.role.permissions
    }
    return [person for pk, person in people.items() if pk in entitled]


def tell(
    actor: Any, departments: Iterable[Department], task: Task, title: str, body: str = ""
) -> None:
    """A notice in the inbox of everyone working for `departments`, linking to the task."""
    tell_people(actor, people_of(departments), task, title, body)


def tell_people(actor: Any, people: Iterable[Any], task: Task, title: str, body: str = "") -> None:
    """A notice about the task in these people's inboxes, linking to it."""
    recipients = [person for person in people if person is not None]
    if not recipients:
        return
    number = task.task_list.number
    notify(
        actor=actor,
        recipients=recipients,
        kind=NotificationKind.NOTICE,
        title=f"{title} · {number}-{task.sequence}"[:200],
        body=body,
        link=TASK_LINK.format(number=number, sequence=task.sequence),
    )


def locked_list(task_list: TaskList) -> TaskList:
    """The list re-read with its row locked until the transaction ends."""
    return (
        TaskList.objects.select_for_update(of=("self",))
        .select_related("issuing_department", "region", "directive", "created_by")
        .get(pk=task_list.pk)
    )


def locked_task(task: Task, revision: int | None = None) -> Task:
    """The task re-read with its row locked; Conflict when `revision` is given and stale."""
    found = (
        Task.objects.select_for_update(of=("self",))
        .select_related("task_list", "lead_department__region", "indicator")
        .get(pk=task.pk)
    )
    if revision is not None and revision != found.revision:
        raise Conflict(_("The task was changed meanwhile; reload it and try again."))
    return found


def label(task: Task) -> str:
    return f"{task.task_list.number}-{task.sequence}"


def _audit(actor: Any, kind: str, action: str, obj: Task | TaskList, **details: Any) -> None:
    record(
        actor=actor,
        action=f"command.{kind}.{action}",
        object_type=f"command.{kind}",
        object_id=str(obj.pk),
        region_path=obj.region_path,
        **details,
    )


def audit_list(actor: Any, action: str, task_list: TaskList, changes: dict[str, Any]) -> None:
    """An audit entry about a task list."""
    _audit(actor, "tasklist", action, task_list, object_label=task_list.number, changes=changes)


def audit_task(actor: Any, action: str, task: Task, changes: dict[str, Any]) -> None:
    """An audit entry about a task."""
    _audit(actor, "task", action, task, object_label=label(task), changes=changes)
