"""Drawing up a task list (清单): its origin, its tasks with quantified targets, lead and
cooperating units, dates and milestones; publishing it to the units; later changes.

The list belongs to the drawer's unit (the issuing office) and their widest region. Every unit
named must lie within the drawer's scope, a directive of origin must be visible to them.
Publishing tells the staff of every lead and cooperating unit. After publishing, tasks can
still be added, and a deadline changed only with a reason (kept in the audit log). Edits of a
task carry the revision they were made on: a stale one is refused (409).

`draw_up` is idempotent on the form's submission key: the same key again returns the list it
made. (The list has no column for the key: the key is kept in the creation's audit entry and
looked up there, with the drawer's account row locked so that two submissions of one person
are taken one after the other.)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import F
from django.db.models.functions import Length
from django.utils.translation import gettext as _

from kuaiji.apps.command.checklists.common import (
    MANAGE,
    audit_list,
    audit_task,
    locked_list,
    locked_task,
    moment,
    staff_department_id,
    tell,
    text,
)
from kuaiji.apps.command.models import (
    Directive,
    Milestone,
    Task,
    TaskList,
    TaskListOrigin,
    TaskListStatus,
    TaskStatus,
)
from kuaiji.platform.access.scoping import grants_with, is_unrestricted
from kuaiji.platform.access.services import authorize
from kuaiji.platform.core.errors import Conflict, Forbidden, InvalidInput
from kuaiji.platform.core.submissions import checked_key, earlier_submission, insert_numbered
from kuaiji.platform.directory.models import Department, Region
from kuaiji.platform.metrics.models import Indicator

TITLE_MAX = 200
UNIT_MAX = 20
TASKS_MAX = 100
MILESTONES_MAX = 20
VALUE_MAX = Decimal("999999999999.99")
CREATE = "command.tasklist.create"


@dataclass(frozen=True)
class MilestoneDraft:
    """A dated step of a task being drawn up."""

    title: str
    due_on: date


@dataclass(frozen=True)
class TaskDraft:
    """A task as the drawer describes it."""

    title: str
    target_value: Decimal
    unit: str
    lead: Department
    starts_on: date
    deadline: date
    description: str = ""
    cooperating: Sequence[Department] = ()
    indicator: Indicator | None = None
    milestones: Sequence[MilestoneDraft] = field(default_factory=tuple)


def office_of(actor: Any) -> Department | None:
    """The unit an actor draws up lists for: the department of its department-scoped grant of
    ``command.checklist.manage``, else the department of its active staff record."""
    for grant in grants_with(actor, MANAGE):
        if grant.department is not None:
            return grant.department
    staff = staff_department_id(actor)
    return Department.objects.select_related("region").filter(pk=staff).first() if staff else None


def region_of(actor: Any) -> Region | None:
    """The actor's widest region with ``command.checklist.manage``."""
    return (
        Region.objects.visible_to(actor, MANAGE)
        .defer("boundary")
        .order_by(Length("path"), "path")
        .first()
    )


def units_in_scope(actor: Any) -> Any:
    """The departments the actor may name as lead or cooperating units."""
    return Department.objects.visible_to(actor, MANAGE)


def _existing(actor: Any, key: str) -> TaskList | None:
    return earlier_submission(TaskList, key, actor, "created_by")


def _origin(
    actor: Any, origin: str, directive: Directive | None, reference: str
) -> tuple[Directive | None, str]:
    if origin not in TaskListOrigin.values:
        raise InvalidInput(fields={"origin": _("Choose a directive, a meeting or a plan.")})
    if origin == TaskListOrigin.DIRECTIVE:
        if directive is None:
            raise InvalidInput(fields={"directive": _("Name the directive the tasks come from.")})
        visible = Directive.objects.visible_to(actor, "command.directive.view")
        if not is_unrestricted(actor) and not visible.filter(pk=directive.pk).exists():
            raise InvalidInput(fields={"directive": _("No such directive in your scope.")})
        return directive, text(reference, "origin_reference", required=False, limit=200)
    reference = text(reference, "origin_reference", limit=200)
    return None, reference


def _check_task(actor: Any, draft: TaskDraft, prefix: str = "") -> dict[str, str]:
    """The problems of one task, by field name (prefixed)."""
    errors: dict[str, str] = {}
    title = (draft.title or "").strip()
    if not title:
        errors["title"] = _("This field is required.")
    elif len(title) > TITLE_MAX:
        errors["title"] = _("At most %(count)d characters.") % {"count": TITLE_MAX}
    if len(draft.description or "") > 4000:
        errors["description"] = _("At most %(count)d characters.") % {"count": 4000}
    if draft.target_value is None or not (0 < draft.target_value <= VALUE_MAX):
        errors["target_value"] = _("Enter a target greater than zero.")
    unit = (draft.unit or "").strip()
    if not unit or len(unit) > UNIT_MAX:
        errors["unit"] = _("Name the unit of the target (at most %(count)d characters).") % {
            "count": UNIT_MAX
        }
    if draft.indicator is not None and not draft.indicator.active:
        errors["indicator"] = _("This indicator is not active.")
    scope = units_in_scope(actor)
    named = {draft.lead.pk, *(unit.pk for unit in draft.cooperating)}
    if scope.filter(pk__in=named).count() != len(named):
        errors["lead"] = _("Name units within your scope.")
    if draft.lead.pk in {unit.pk for unit in draft.cooperating}:
        errors["cooperating"] = _("The lead unit cannot also cooperate.")
    if draft.starts_on > draft.deadline:
        errors["deadline"] = _("The deadline must not be before the start.")
    if len(draft.milestones) > MILESTONES_MAX:
        errors["milestones"] = _("At most %(count)d milestones.") % {"count": MILESTONES_MAX}
    for milestone in draft.milestones:
        if not milestone.title.strip() or len(milestone.title.strip()) > TITLE_MAX:
            errors["milestones"] = _("Give every milestone a title of at most 200 characters.")
        elif not draft.starts_on <= milestone.due_on <= draft.deadline:
            errors["milestones"] = _("Milestones must fall between the start and the deadline.")
    return {f"{prefix}{name}": message for name, message in errors.items()}


def _store_task(task_list: TaskList, draft: TaskDraft, sequence: int) -> Task:
    task = Task.objects.create(
        task_list=task_list,
        sequence=sequence,
        title=draft.title.strip(),
        description=(draft.description or "").strip(),
        indicator=draft.indicator,
        target_value=draft.target_value,
        unit=draft.unit.strip(),
        lead_department=draft.lead,
        region_path=draft.lead.region.path,
        department_path=draft.lead.path,
        starts_on=draft.starts_on,
        deadline=draft.deadline,
    )
    task.cooperating_departments.set(list(draft.cooperating))
    Milestone.objects.bulk_create(
        Milestone(task=task, title=milestone.title.strip(), due_on=milestone.due_on)
        for milestone in sorted(draft.milestones, key=lambda found: found.due_on)
    )
    return task


def _task_changes(task: Task, draft: TaskDraft) -> dict[str, Any]:
    return {
        "sequence": [None, task.sequence],
        "title": [None, task.title],
        "target_value": [None, str(task.target_value)],
        "unit": [None, task.unit],
        "indicator": [None, draft.indicator.code if draft.indicator else None],
        "lead_department": [None, draft.lead.code],
        "cooperating_departments": [None, sorted(unit.code for unit in draft.cooperating)],
        "starts_on": [None, draft.starts_on.isoformat()],
        "deadline": [None, draft.deadline.isoformat()],
        "milestones": [None, len(draft.milestones)],
    }


@transaction.atomic
def draw_up(
    *,
    actor: Any,
    submission_key: str,
    title: str,
    origin: str,
    tasks: Sequence[TaskDraft],
    description: str = "",
    directive: Directive | None = None,
    origin_reference: str = "",
    at: datetime | None = None,
) -> TaskList:
    """Draw up a list (a draft) with its tasks; the same `submission_key` again returns the
    list it made. Check `task_list.created` on the returned list to tell the two apart."""
    authorize(actor, MANAGE)
    key = checked_key(submission_key)
    existing = _existing(actor, key)
    if existing is not None:
        existing.created = False  # type: ignore[attr-defined]
        return existing
    office, region = office_of(actor), region_of(actor)
    if office is None or region is None:
        raise Forbidden(_("Your account is not linked to a unit that may issue task lists."))
    title = text(title, "title", limit=TITLE_MAX)
    description = text(description, "description", required=False, limit=4000)
    found_directive, reference = _origin(actor, origin, directive, origin_reference)
    if not tasks:
        raise InvalidInput(fields={"tasks": _("A list needs at least one task.")})
    if len(tasks) > TASKS_MAX:
        raise InvalidInput(fields={"tasks": _("At most %(count)d tasks.") % {"count": TASKS_MAX}})
    errors: dict[str, str] = {}
    for index, draft in enumerate(tasks):
        errors |= _check_task(actor, draft, f"tasks[{index}].")
    if errors:
        raise InvalidInput(fields=errors)
    drafted = TaskList(
        submission_key=key,
        title=title,
        description=description,
        origin=origin,
        directive=found_directive,
        origin_reference=reference,
        issuing_department=office,
        region=region,
        region_path=region.path,
        department_path=office.path,
        created_by=actor,
        created_at=moment(at),
    )
    task_list = insert_numbered(
        drafted,
        prefix=f"QD{drafted.created_at.year}",
        digits=4,
        actor=actor,
        owner="created_by",
    )
    if task_list is not drafted:
        task_list.created = False  # type: ignore[attr-defined]
        return task_list
    audit_list(
        actor,
        "create",
        task_list,
        {
            "submission_key": [None, key],
            "title": [None, title],
            "origin": [None, origin],
            "directive": [None, found_directive.number if found_directive else None],
            "origin_reference": [None, reference],
            "issuing_department": [None, office.code],
            "region": [None, region.code],
        },
    )
    for sequence, draft in enumerate(tasks, start=1):
        task = _store_task(task_list, draft, sequence)
        audit_task(actor, "create", task, _task_changes(task, draft))
    task_list.created = True  # type: ignore[attr-defined]
    return task_list


def _managed(actor: Any, task_list: TaskList) -> TaskList:
    authorize(actor, MANAGE, task_list)
    found = locked_list(task_list)
    if found.status == TaskListStatus.CLOSED:
        raise Conflict(_("The list is closed; it cannot change any more."))
    return found


@transaction.atomic
def add_task(*, actor: Any, task_list: TaskList, task: TaskDraft) -> Task:
    """Add a task to a list (draft or published); on a published list its units are told."""
    found = _managed(actor, task_list)
    errors = _check_task(actor, task)
    if errors:
        raise InvalidInput(fields=errors)
    last = found.tasks.order_by("-sequence").values_list("sequence", flat=True).first()
    sequence = (last or 0) + 1
    created = _store_task(found, task, sequence)
    audit_task(actor, "create", created, _task_changes(created, task))
    if found.status == TaskListStatus.PUBLISHED:
        _tell_units(actor, created)
    return created


def _tell_units(actor: Any, task: Task) -> None:
    tell(
        actor,
        [task.lead_department, *task.cooperating_departments.all()],
        task,
        _("New task: %(title)s") % {"title": task.title},
        _("%(office)s assigned a task to your unit, due %(deadline)s. Lead unit: %(lead)s.")
        % {
            "office": task.task_list.issuing_department.name,
            "deadline": task.deadline.isoformat(),
            "lead": task.lead_department.name,
        },
    )


@transaction.atomic
def publish(*, actor: Any, task_list: TaskList, at: datetime | None = None) -> TaskList:
    """Publish a draft list: its tasks start, and the staff of their units are told."""
    found = _managed(actor, task_list)
    if found.status != TaskListStatus.DRAFT:
        raise Conflict(_("The list is already published."))
    tasks = list(
        found.tasks.select_related("lead_department", "task_list__issuing_department")
        .prefetch_related("cooperating_departments")
        .order_by("sequence")
    )
    if not tasks:
        raise Conflict(_("A list needs at least one task before it is published."))
    found.status = TaskListStatus.PUBLISHED
    found.published_at = moment(at)
    found.save(update_fields=["status", "published_at"])
    audit_list(actor, "publish", found, {"status": ["draft", "published"]})
    for task in tasks:
        _tell_units(actor, task)
    return found


def _editable(actor: Any, task: Task, revision: int | None) -> Task:
    _managed(actor, task.task_list)
    found = locked_task(task, revision)
    if found.status == TaskStatus.ACCEPTED:
        raise Conflict(_("The task is accepted; it cannot change any more."))
    return found


@transaction.atomic
def edit_task(
    *,
    actor: Any,
    task: Task,
    revision: int,
    title: str,
    description: str,
    target_value: Decimal,
    unit: str,
    cooperating: Sequence[Department],
) -> Task:
    """Change a task's wording, target and cooperating units (not its dates: see
    `change_deadline`), on the revision the editor saw."""
    found = _editable(actor, task, revision)
    draft = TaskDraft(
        title=title,
        description=description,
        target_value=target_value,
        unit=unit,
        lead=found.lead_department,
        starts_on=found.starts_on,
        deadline=found.deadline,
        cooperating=cooperating,
        indicator=found.indicator,
    )
    errors = _check_task(actor, draft)
    if errors:
        raise InvalidInput(fields=errors)
    before = {
        "title": found.title,
        "description": found.description,
        "target_value": str(found.target_value),
        "unit": found.unit,
        "cooperating_departments": sorted(
            found.cooperating_departments.values_list("code", flat=True)
        ),
    }
    after = {
        "title": title.strip(),
        "description": (description or "").strip(),
        "target_value": str(Decimal(target_value).quantize(Decimal("0.01"))),
        "unit": unit.strip(),
        "cooperating_departments": sorted(unit.code for unit in cooperating),
    }
    changes = {name: [before[name], new] for name, new in after.items() if before[name] != new}
    if not changes:
        return found
    Task.objects.filter(pk=found.pk).update(
        title=after["title"],
        description=after["description"],
        target_value=target_value,
        unit=after["unit"],
        revision=F("revision") + 1,
    )
    found.cooperating_departments.set(list(cooperating))
    found.refresh_from_db()
    audit_task(actor, "edit", found, changes)
    return found


@transaction.atomic
def change_deadline(
    *, actor: Any, task: Task, revision: int, deadline: date, reason: str = ""
) -> Task:
    """Move a task's deadline; once the list is published only with a reason. Milestones
    after the new deadline are refused."""
    found = _editable(actor, task, revision)
    published = found.task_list.status != TaskListStatus.DRAFT
    reason = text(reason, "reason", required=published, limit=500)
    if deadline < found.starts_on:
        raise InvalidInput(fields={"deadline": _("The deadline must not be before the start.")})
    if found.milestones.filter(due_on__gt=deadline).exists():
        raise InvalidInput(fields={"deadline": _("A milestone falls after this deadline.")})
    if deadline == found.deadline:
        return found
    before = found.deadline
    Task.objects.filter(pk=found.pk).update(deadline=deadline, revision=F("revision") + 1)
    found.refresh_from_db()
    audit_task(
        actor,
        "deadline",
        found,
        {"deadline": [before.isoformat(), deadline.isoformat()], "reason": [None, reason]},
    )
    if published:
        tell(
            actor,
            [found.lead_department],
            found,
            _("Deadline changed to %(deadline)s") % {"deadline": deadline.isoformat()},
            reason,
        )
    return found


def directive_named(actor: Any, number: str) -> Directive | None:
    """The directive of origin named by its number (None for no number); InvalidInput when the
    actor sees no such directive."""
    number = (number or "").strip()
    if not number:
        return None
    found = (
        Directive.objects.visible_to(actor, "command.directive.view").filter(number=number).first()
    )
    if found is None:
        raise InvalidInput(fields={"directive": _("No such directive in your scope.")})
    return found
