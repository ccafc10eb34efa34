"""Writes of chains: starting instances and every action on their tasks.

Each service authorises the actor, locks the instance row, lets the workflow move, writes the
task table, the timeline and the audit log in one transaction (`runtime.persist`), and tells
the people concerned after commit. A task the actor may not act on answers NotFound, like a
missing one; an action that lost a race (the task was completed, claimed or returned by someone
else a moment before) answers Conflict.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from kuaiji.platform.access.services import authorize, has_permission
from kuaiji.platform.audit.services import record
from kuaiji.platform.chains import engine, runtime
from kuaiji.platform.chains.assignment import answers_for
from kuaiji.platform.chains.attachments import attach
from kuaiji.platform.chains.definitions import step_from_json
from kuaiji.platform.chains.forms import clean_form
from kuaiji.platform.chains.listeners import moved
from kuaiji.platform.chains.models import (
    OPEN_STATUSES,
    ChainDefinition,
    ChainInstance,
    CoHandler,
    InstanceStatus,
    StepAction,
    TaskStatus,
    TimelineEntry,
    WorkTask,
)
from kuaiji.platform.core.errors import Conflict, InvalidInput, NotFound
from kuaiji.platform.directory.models import Department, Grid, Region
from kuaiji.platform.messaging.models import NotificationKind

TITLE_MAX = 200
COMMENT_MAX = 2000
START_DATA_MAX_KEYS = 50


def _text(value: str, name: str, *, required: bool, limit: int = COMMENT_MAX) -> str:
    value = (value or "").strip()
    if required and not value:
        raise InvalidInput(fields={name: _("This field is required.")})
    if len(value) > limit:
        raise InvalidInput(fields={name: _("At most %(count)d characters.") % {"count": limit}})
    return value


def _start_data(data: Mapping[str, Any] | None) -> dict[str, Any]:
    """Start data is a flat object of strings, numbers, booleans and lists of strings."""
    values = dict(data or {})
    simple = (str, int, float, bool)
    if len(values) > START_DATA_MAX_KEYS or not all(
        isinstance(key, str)
        and (
            isinstance(value, simple)
            or value is None
            or (isinstance(value, list) and all(isinstance(item, str) for item in value))
        )
        for key, value in values.items()
    ):
        raise InvalidInput(
            fields={"data": _("Start data is a flat object of text, numbers and lists of text.")}
        )
    return values


def _audit(actor: Any, action: str, instance: ChainInstance, changes: dict[str, Any]) -> None:
    record(
        actor=actor,
        action=f"chains.{action}",
        object_type="chains.chaininstance",
        object_id=str(instance.pk),
        object_label=instance.title[:200],
        region_path=instance.region_path,
        changes=changes,
    )


def _entry(
    instance: ChainInstance,
    actor: Any,
    action: str,
    *,
    task: WorkTask | None = None,
    comment: str = "",
    details: dict[str, Any] | None = None,
) -> TimelineEntry:
    return TimelineEntry.objects.create(
        instance=instance,
        task=task,
        actor_id=getattr(actor, "pk", None),
        action=action,
        comment=comment,
        details=details or {},
    )


@transaction.atomic
def start(
    *,
    actor: Any,
    definition: str,
    title: str,
    business_type: str,
    business_id: str = "",
    region: Region | None = None,
    grid: Grid | None = None,
    department: Department | None = None,
    data: Mapping[str, Any] | None = None,
    starter: Any = None,
) -> ChainInstance:
    """Start an instance of the latest version of chain `definition` about a business object.

    The instance is anchored in `region` (or the region of `grid`); its lanes resolve to people
    from there. The actor needs `chains.instance.start` within that region. `starter` (by
    default the actor) is who the chain's "starter" lanes go to: an app starting a chain on a
    citizen's behalf names the citizen."""
    title = _text(title, "title", required=True, limit=TITLE_MAX)
    values = _start_data(data)
    found = ChainDefinition.objects.filter(key=definition).first()
    version = found.versions.order_by("-number").first() if found else None
    if version is None:
        raise InvalidInput(fields={"definition": _("No chain model has this key.")})
    if grid is not None:
        region = grid.region
    if region is None:
        raise InvalidInput(fields={"region": _("A chain starts in a region or a grid.")})
    authorize(actor, "chains.instance.start", region)
    instance = ChainInstance.objects.create(
        version=version,
        title=title,
        business_type=_text(business_type, "business_type", required=True, limit=60),
        business_id=business_id[:60],
        region=region,
        grid=grid,
        department=department,
        region_path=region.path,
        department_path=department.path if department else "",
        starter_id=getattr(starter if starter is not None else actor, "pk", None),
        state="",
    )
    workflow = engine.new_workflow(version, {**values, "title": title})
    _entry(instance, actor, StepAction.START, details={"version": version.number})
    runtime.persist(runtime.Opened(instance, workflow), actor=actor)
    _audit(actor, "instance.start", instance, {"definition": [None, definition]})
    return instance


def _handled_task(actor: Any, task_id: int) -> tuple[WorkTask, runtime.Opened]:
    """The open task the actor may act on (its assignee, or one of its unclaimed candidates),
    with its instance locked and loaded."""
    instance_id = WorkTask.objects.filter(pk=task_id).values_list("instance_id", flat=True).first()
    if instance_id is None:
        raise NotFound()
    instance = runtime.lock(instance_id)
    task = WorkTask.objects.select_related("assignee").get(pk=task_id)
    if not answers_for(actor, task):
        raise NotFound()
    if task.status not in OPEN_STATUSES:
        raise Conflict(
            _("This task is already %(status)s.") % {"status": task.get_status_display()}
        )
    if instance.status == InstanceStatus.SUSPENDED:
        raise Conflict(_("The chain is suspended; it must be resumed first."))
    return task, runtime.open_locked(instance)


def _touch(instance: ChainInstance, actor: Any) -> None:
    if actor.pk != instance.starter_id:
        instance.touched = True


@transaction.atomic
def claim(*, actor: Any, task: int) -> WorkTask:
    """Take an unclaimed task of one's candidate group for oneself."""
    found, opened = _handled_task(actor, task)
    if found.assignee_id is not None:
        raise Conflict(_("This task has already been claimed."))
    now = timezone.now()
    taken = WorkTask.objects.filter(pk=found.pk, assignee__isnull=True).update(
        assignee=actor, claimed_at=now
    )
    if taken != 1:
        raise Conflict(_("This task has already been claimed."))
    found.assignee, found.claimed_at = actor, now
    _touch(opened.instance, actor)
    _entry(opened.instance, actor, StepAction.CLAIM, task=found)
    ChainInstance.objects.filter(pk=opened.instance.pk).update(touched=opened.instance.touched)
    _audit(actor, "task.claim", opened.instance, {"task": [None, found.pk]})
    return found


@transaction.atomic
def complete(
    *,
    actor: Any,
    task: int,
    form: Mapping[str, Any] | None = None,
    comment: str = "",
    files: list[UploadedFile[bytes]] | None = None,
    revision: int | None = None,
) -> WorkTask:
    """Complete a task with its form data; the chain moves on to its next steps.

    Of two people completing the same task at once, exactly one wins; the other gets Conflict.
    `revision`, when given, must be the instance revision the caller saw."""
    found, opened = _handled_task(actor, task)
    instance = opened.instance
    if revision is not None and revision != instance.revision:
        raise runtime.StaleInstance()
    step = step_from_json(instance.version.steps[found.step])
    values = clean_form(step, form or {})
    comment = _text(comment, "comment", required=False)
    spiff_task = engine.find_task(opened.workflow, found.spiff_id)
    if spiff_task is None or spiff_task not in engine.ready_user_tasks(opened.workflow):
        raise Conflict(_("The chain no longer waits for this task."))
    now = timezone.now()
    done = WorkTask.objects.filter(pk=found.pk, status=TaskStatus.OPEN).update(
        status=TaskStatus.DONE,
        assignee=actor,
        completed_at=now,
        completed_by=actor,
        form=values,
    )
    if done != 1:
        raise Conflict(_("This task has just been completed by someone else."))
    found.status, found.completed_at, found.form = TaskStatus.DONE, now, values
    spiff_task.data.update(values)
    spiff_task.run()
    opened.workflow.do_engine_steps()
    _touch(instance, actor)
    entry = _entry(
        instance, actor, StepAction.COMPLETE, task=found, comment=comment, details={"form": values}
    )
    for upload in files or []:
        attach(entry, upload)
    runtime.persist(opened, actor=actor, now=now)
    _audit(actor, "task.complete", instance, {"task": [None, found.pk], "step": [None, found.step]})
    return found


@transaction.atomic
def return_to(*, actor: Any, task: int, step: str, reason: str) -> WorkTask:
    """Send the chain back to an earlier step (退回) with a reason; that step is done again."""
    found, opened = _handled_task(actor, task)
    reason = _text(reason, "reason", required=True)
    earlier = [
        spiff_task
        for spiff_task in engine.completed_user_tasks(opened.workflow)
        if spiff_task.task_spec.name == step
    ]
    if not earlier:
        raise InvalidInput(fields={"step": _("The chain has not passed this step.")})
    opened.workflow.reset_from_task_id(earlier[-1].id)
    opened.workflow.do_engine_steps()
    WorkTask.objects.filter(pk=found.pk).update(
        status=TaskStatus.RETURNED, completed_at=timezone.now(), completed_by=actor
    )
    found.status = TaskStatus.RETURNED
    _touch(opened.instance, actor)
    _entry(
        opened.instance, actor, StepAction.RETURN, task=found, comment=reason, details={"to": step}
    )
    runtime.persist(opened, actor=actor)
    _audit(actor, "task.return", opened.instance, {"task": [None, found.pk], "to": [None, step]})
    return found


def _colleague(user_id: int, name: str) -> Any:
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or not has_permission(user, "chains.task.handle"):
        raise InvalidInput(fields={name: _("Choose an active member of staff who handles tasks.")})
    return user


@transaction.atomic
def transfer(*, actor: Any, task: int, to: int, reason: str) -> WorkTask:
    """Hand a task over to another member of staff (转办), who becomes its assignee."""
    found, opened = _handled_task(actor, task)
    reason = _text(reason, "reason", required=True)
    target = _colleague(to, "to")
    if target.pk == found.assignee_id:
        raise InvalidInput(fields={"to": _("The task is already theirs.")})
    WorkTask.objects.filter(pk=found.pk).update(assignee=target, claimed_at=timezone.now())
    found.assignee = target
    _touch(opened.instance, actor)
    ChainInstance.objects.filter(pk=opened.instance.pk).update(touched=opened.instance.touched)
    _entry(
        opened.instance,
        actor,
        StepAction.TRANSFER,
        task=found,
        comment=reason,
        details={"to": target.pk, "to_name": str(target)},
    )
    runtime.tell_handlers(
        actor, found, NotificationKind.NOTICE, _("Task transferred to you"), reason
    )
    _audit(actor, "task.transfer", opened.instance, {"assignee": [actor.pk, target.pk]})
    return found


@transaction.atomic
def add_co_handler(*, actor: Any, task: int, user: int) -> CoHandler:
    """Ask a colleague to help with a task (协办): they see it and add opinions."""
    found, opened = _handled_task(actor, task)
    helper = _colleague(user, "user")
    if helper.pk == found.assignee_id or found.co_handlers.filter(user=helper).exists():
        raise InvalidInput(fields={"user": _("They already work on this task.")})
    added = CoHandler.objects.create(task=found, user=helper, added_by=actor)
    _entry(
        opened.instance,
        actor,
        StepAction.CO_HANDLER,
        task=found,
        details={"user": helper.pk, "user_name": str(helper)},
    )
    runtime.notify_people(actor, [helper], found, _("You are asked to help with a task"))
    _audit(actor, "task.co_handler", opened.instance, {"co_handler": [None, helper.pk]})
    return added


@transaction.atomic
def add_opinion(*, actor: Any, task: int, comment: str) -> TimelineEntry:
    """A co-handler's (or the handler's) opinion on an open task, kept in the timeline."""
    comment = _text(comment, "comment", required=True)
    found = WorkTask.objects.select_related("instance").filter(pk=task).first()
    if found is None or not (
        found.assignee_id == actor.pk or found.co_handlers.filter(user_id=actor.pk).exists()
    ):
        raise NotFound()
    if found.status not in OPEN_STATUSES:
        raise Conflict(_("This task is closed."))
    entry = _entry(found.instance, actor, StepAction.OPINION, task=found, comment=comment)
    _audit(actor, "task.opinion", found.instance, {"task": [None, found.pk]})
    return entry


def _supervised_instance(actor: Any, instance_id: int) -> ChainInstance:
    visible = ChainInstance.objects.visible_to(actor, "chains.task.supervise").filter(
        pk=instance_id
    )
    if not visible.exists():
        raise NotFound()
    return runtime.lock(instance_id)


@transaction.atomic
def suspend(*, actor: Any, instance: int, reason: str) -> ChainInstance:
    """Stop a running chain's clock and work (挂起) until it is resumed."""
    found = _supervised_instance(actor, instance)
    reason = _text(reason, "reason", required=True)
    if found.status != InstanceStatus.RUNNING:
        raise Conflict(_("Only a running chain can be suspended."))
    now = timezone.now()
    ChainInstance.objects.filter(pk=found.pk).update(
        status=InstanceStatus.SUSPENDED, suspended_at=now
    )
    found.tasks.filter(status=TaskStatus.OPEN).update(status=TaskStatus.SUSPENDED)
    found.status, found.suspended_at = InstanceStatus.SUSPENDED, now
    _entry(found, actor, StepAction.SUSPEND, comment=reason)
    moved(found)
    _audit(actor, "instance.suspend", found, {"status": ["running", "suspended"]})
    return found


@transaction.atomic
def resume(*, actor: Any, instance: int) -> ChainInstance:
    """Resume a suspended chain; its open tasks' time limits move on by the time it stood."""
    found = _supervised_instance(actor, instance)
    if found.status != InstanceStatus.SUSPENDED or found.suspended_at is None:
        raise Conflict(_("Only a suspended chain can be resumed."))
    stood = timezone.now() - found.suspended_at
    found.tasks.filter(status=TaskStatus.SUSPENDED).update(
        status=TaskStatus.OPEN, due_at=F("due_at") + stood, yellow_at=F("yellow_at") + stood
    )
    ChainInstance.objects.filter(pk=found.pk).update(
        status=InstanceStatus.RUNNING, suspended_at=None
    )
    found.status, found.suspended_at = InstanceStatus.RUNNING, None
    _entry(found, actor, StepAction.RESUME, details={"stood_seconds": int(stood.total_seconds())})
    moved(found)
    _audit(actor, "instance.resume", found, {"status": ["suspended", "running"]})
    return found


@transaction.atomic
def cancel(*, actor: Any, instance: int, reason: str) -> ChainInstance:
    """A supervisor ends a chain that has no purpose any more (a duplicate merged into another
    one, a matter settled elsewhere); its open tasks are cancelled."""
    found = _supervised_instance(actor, instance)
    reason = _text(reason, "reason", required=True)
    if found.status not in (InstanceStatus.RUNNING, InstanceStatus.SUSPENDED):
        raise Conflict(_("Only a running or suspended chain can be cancelled."))
    opened = runtime.open_locked(found)
    opened.workflow.cancel()
    found.tasks.filter(status__in=OPEN_STATUSES).update(status=TaskStatus.CANCELLED)
    found.status, found.ended_at = InstanceStatus.CANCELLED, timezone.now()
    _entry(found, actor, StepAction.CANCEL, comment=reason)
    runtime.persist(opened, actor=actor, now=found.ended_at)
    _audit(actor, "instance.cancel", found, {"status": [None, "cancelled"]})
    return found


@transaction.atomic
def withdraw(*, actor: Any, instance: int, reason: str) -> ChainInstance:
    """The starter takes back a chain nobody else has acted on yet (撤回)."""
    found = ChainInstance.objects.filter(pk=instance, starter_id=actor.pk).first()
    if found is None or actor.pk is None:
        raise NotFound()
    found = runtime.lock(found.pk)
    reason = _text(reason, "reason", required=True)
    if found.status != InstanceStatus.RUNNING:
        raise Conflict(_("Only a running chain can be withdrawn."))
    if found.touched:
        raise Conflict(_("Someone has already acted on this chain; it can no longer be withdrawn."))
    now = timezone.now()
    opened = runtime.open_locked(found)
    opened.workflow.cancel()
    found.tasks.filter(status__in=OPEN_STATUSES).update(status=TaskStatus.CANCELLED)
    found.status, found.ended_at = InstanceStatus.WITHDRAWN, now
    _entry(found, actor, StepAction.WITHDRAW, comment=reason)
    runtime.persist(opened, actor=actor, now=now)
    _audit(actor, "instance.withdraw", found, {"status": ["running", "withdrawn"]})
    return found


@transaction.atomic
def urge(*, actor: Any, task: int, message: str) -> WorkTask:
    """A supervisor urges (督办) the handlers of an open task; the message reaches their inbox."""
    message = _text(message, "message", required=True, limit=500)
    found = WorkTask.objects.visible_to(actor).filter(pk=task).select_related("instance").first()
    if found is None:
        raise NotFound()
    if found.status not in OPEN_STATUSES:
        raise Conflict(_("This task is closed."))
    WorkTask.objects.filter(pk=found.pk).update(urge_count=F("urge_count") + 1)
    found.urge_count += 1
    _entry(found.instance, actor, StepAction.URGE, task=found, comment=message)
    runtime.tell_handlers(actor, found, NotificationKind.URGE, _("Urged"), message)
    _audit(actor, "task.urge", found.instance, {"task": [None, found.pk]})
    return found
