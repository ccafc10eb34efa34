"""Progress reports (执行 "一贯到底"): what a unit has achieved on a task, how far along it is,
the milestone reached, and the evidence.

The lead unit's staff report on the task; the cooperating units' staff report on their part.
The task follows the lead unit's latest report (progress and achieved value; a task measured
by an indicator of the metrics layer takes its achieved value from there, for the lead unit's
region); any report starts a task not started yet, and takes a returned task back to work.
Others' staff get 404; a task of a draft list, submitted for acceptance or accepted, 409.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from kuaiji.apps.command.checklists.common import (
    acts_for,
    audit_task,
    locked_task,
    moment,
    text,
)
from kuaiji.apps.command.checklists.selectors import tasks_in_scope
from kuaiji.apps.command.models import (
    Evidence,
    Milestone,
    ProgressReport,
    Task,
    TaskListStatus,
    TaskStatus,
)
from kuaiji.platform.chains.attachments import check
from kuaiji.platform.core.errors import Conflict, InvalidInput, NotFound
from kuaiji.platform.directory.models import Department
from kuaiji.platform.metrics.models import IndicatorValue, PeriodKind

FILES_MAX = 10
VALUE_MAX = Decimal("999999999999.99")


def indicator_value(task: Task) -> Decimal | None:
    """The latest day value of the task's indicator for the lead unit's region, if any."""
    if task.indicator_id is None:
        return None
    value = (
        IndicatorValue.objects.filter(
            indicator_id=task.indicator_id,
            region_id=task.lead_department.region_id,
            department__isnull=True,
            period_kind=PeriodKind.DAY,
        )
        .order_by("-period")
        .values_list("value", flat=True)
        .first()
    )
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal("0.01"))


def reporting_unit(actor: Any, task: Task) -> tuple[Department, bool]:
    """The unit the actor reports for on the task (the lead unit first) and whether it leads;
    NotFound for anyone else."""
    if not tasks_in_scope(actor).filter(pk=task.pk).exists():
        raise NotFound()
    if acts_for(actor, [task.lead_department]):
        return task.lead_department, True
    for unit in task.cooperating_departments.all():
        if acts_for(actor, [unit]):
            return unit, False
    raise NotFound()


def may_report(actor: Any, task: Task) -> bool:
    """Whether the actor may report on the task now."""
    if task.task_list.status != TaskListStatus.PUBLISHED:
        return False
    if task.status in (TaskStatus.SUBMITTED, TaskStatus.ACCEPTED):
        return False
    try:
        reporting_unit(actor, task)
    except NotFound:
        return False
    return True


def _value(value: Decimal | str | float | None) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise InvalidInput(fields={"achieved_value": _("Enter a number.")}) from None
    if not (0 <= number <= VALUE_MAX):
        raise InvalidInput(fields={"achieved_value": _("Enter a number of zero or more.")})
    return number


def _checked_files(files: Sequence[UploadedFile[bytes]]) -> list[tuple[UploadedFile[bytes], str]]:
    if len(files) > FILES_MAX:
        raise InvalidInput(fields={"files": _("At most %(count)d files.") % {"count": FILES_MAX}})
    return [(upload, check(upload)) for upload in files]


def _digest(upload: UploadedFile[bytes]) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


@transaction.atomic
def report(
    *,
    actor: Any,
    task: Task,
    progress: int,
    summary: str,
    achieved_value: Decimal | str | float | None = None,
    milestone: Milestone | None = None,
    files: Sequence[UploadedFile[bytes]] = (),
    revision: int | None = None,
    at: datetime | None = None,
) -> ProgressReport:
    """Report on a task for the actor's unit, with evidence files."""
    unit, leads = reporting_unit(actor, task)
    found = locked_task(task, revision)
    if found.task_list.status != TaskListStatus.PUBLISHED:
        raise Conflict(_("The list is not published; its tasks take no reports."))
    if found.status == TaskStatus.ACCEPTED:
        raise Conflict(_("The task is accepted; it takes no more reports."))
    if found.status == TaskStatus.SUBMITTED:
        raise Conflict(_("The task waits for acceptance; report again once it is decided."))
    if isinstance(progress, bool) or not isinstance(progress, int) or not 0 <= progress <= 100:
        raise InvalidInput(fields={"progress": _("Enter a whole number from 0 to 100.")})
    summary = text(summary, "summary")
    value = _value(achieved_value)
    if milestone is not None:
        if milestone.task_id != found.pk:
            raise InvalidInput(fields={"milestone": _("This milestone is not the task's.")})
        if milestone.done_at is not None:
            raise InvalidInput(fields={"milestone": _("This milestone is already reached.")})
    uploads = _checked_files(files)
    when = moment(at)
    if leads and found.indicator_id is not None:
        measured = indicator_value(found)
        value = measured if measured is not None else value
    created = ProgressReport.objects.create(
        task=found,
        reporter=actor,
        department=unit,
        milestone=milestone,
        achieved_value=value,
        progress=progress,
        summary=summary,
        reported_at=when,
    )
    for upload, content_type in uploads:
        Evidence.objects.create(
            report=created,
            file=upload,
            name=Path(upload.name or "file").name[:200],
            size=upload.size or 0,
            content_type=content_type,
            sha256=_digest(upload),
        )
    if milestone is not None:
        Milestone.objects.filter(pk=milestone.pk).update(done_at=when)
    before = {"status": found.status, "progress": found.progress, "achieved": found.achieved_value}
    updates: dict[str, Any] = {"revision": F("revision") + 1}
    if found.status in (TaskStatus.NOT_STARTED, TaskStatus.RETURNED):
        updates["status"] = TaskStatus.IN_PROGRESS
    if leads:
        updates["progress"] = progress
        updates["achieved_value"] = value
    Task.objects.filter(pk=found.pk).update(**updates)
    found.refresh_from_db()
    changes: dict[str, Any] = {
        "report": [None, created.pk],
        "unit": [None, unit.code],
        "milestone": [None, milestone.title if milestone else None],
        "evidence": [None, len(uploads)],
    }
    for name, old, new in (
        ("status", before["status"], found.status),
        ("progress", before["progress"], found.progress),
        ("achieved_value", before["achieved"], found.achieved_value),
    ):
        if old != new:
            changes[name] = [str(old) if old is not None else None, str(new)]
    audit_task(actor, "report", found, changes)
    return created
