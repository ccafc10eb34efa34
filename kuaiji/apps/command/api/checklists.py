"""Task lists over the API (清单管理, 执行 "一贯到底").

An office draws up a list (JSON, with the form's `submission_key`: the same key again returns
the list) and publishes it; units report progress (multipart, with evidence files), the lead
unit submits, the office accepts or returns. Every task carries its stopwatch (跑表计时). A list
or task out of the caller's reach answers 404; a step in the wrong state 409.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from kuaiji.apps.command.checklists import acceptance, drawing, progress, selectors
from kuaiji.apps.command.checklists.stopwatch import Light, of_task
from kuaiji.apps.command.models import (
    AcceptanceDecision,
    Task,
    TaskList,
    TaskListOrigin,
    TaskListStatus,
    TaskStatus,
)
from kuaiji.platform.apikeys.auth import api_key_auth
from kuaiji.platform.core.errors import InvalidInput
from kuaiji.platform.directory.models import Department
from kuaiji.platform.identity.api_auth import verified_session
from kuaiji.platform.metrics.models import Indicator

router = Router(tags=["command"], auth=[api_key_auth, verified_session])


class StopwatchOut(Schema):
    elapsed: int = Field(description="Share of the task's days gone, 0–100.")
    days_left: int
    days_late: int
    light: Light


class MilestoneOut(Schema):
    id: int
    title: str
    due_on: date
    done_at: datetime | None


class EvidenceOut(Schema):
    id: int
    name: str
    size: int
    content_type: str
    sha256: str


class ReportOut(Schema):
    id: int
    unit: str
    reporter: str
    progress: int
    achieved_value: Decimal | None
    summary: str
    milestone: str | None
    reported_at: datetime
    evidence: list[EvidenceOut]


class AcceptanceOut(Schema):
    decision: AcceptanceDecision
    comment: str
    decided_by: str
    decided_at: datetime
    on_time: bool


class TaskOut(Schema):
    """A task as lists show it, with its stopwatch."""

    list_number: str
    sequence: int
    title: str
    target_value: Decimal
    unit: str
    achieved_value: Decimal | None
    indicator: str | None
    progress: int
    lead_unit: str
    lead_unit_name: str
    starts_on: date
    deadline: date
    status: TaskStatus
    revision: int
    stopwatch: StopwatchOut


class TaskDetail(TaskOut):
    description: str
    cooperating_units: list[str]
    submitted_at: datetime | None
    accepted_at: datetime | None
    milestones: list[MilestoneOut]
    reports: list[ReportOut]
    acceptances: list[AcceptanceOut]


class ListOut(Schema):
    number: str
    title: str
    origin: TaskListOrigin
    directive: str | None
    origin_reference: str
    issuing_unit: str
    region_code: str
    status: TaskListStatus
    created_at: datetime
    published_at: datetime | None
    closed_at: datetime | None


class ListDetail(ListOut):
    description: str
    tasks: list[TaskDetail]


class MilestoneIn(Schema):
    title: str
    due_on: date


class TaskIn(Schema):
    title: str
    description: str = ""
    target_value: Decimal
    unit: str
    indicator: str = Field("", description="Code of an active indicator measuring the target.")
    lead_unit: str = Field(description="Code of the lead department.")
    cooperating_units: list[str] = []
    starts_on: date
    deadline: date
    milestones: list[MilestoneIn] = []


class ListIn(Schema):
    submission_key: str
    title: str
    description: str = ""
    origin: TaskListOrigin
    directive: str = Field("", description="The directive's number (origin 'directive').")
    origin_reference: str = Field("", description="The meeting or plan (and its date).")
    tasks: list[TaskIn]


class ReportIn(Schema):
    progress: int
    summary: str
    achieved_value: Decimal | None = None
    milestone: int | None = Field(None, description="Id of the milestone reached.")
    revision: int | None = None


class RevisionIn(Schema):
    revision: int | None = None


class DecisionIn(Schema):
    decision: AcceptanceDecision
    comment: str = ""
    revision: int | None = None


def _task_summary(task: Task, today: date) -> dict[str, Any]:
    clock = of_task(task, today)
    return {
        "list_number": task.task_list.number,
        "sequence": task.sequence,
        "title": task.title,
        "target_value": task.target_value,
        "unit": task.unit,
        "achieved_value": task.achieved_value,
        "indicator": task.indicator.code if task.indicator else None,
        "progress": task.progress,
        "lead_unit": task.lead_department.code,
        "lead_unit_name": task.lead_department.name,
        "starts_on": task.starts_on,
        "deadline": task.deadline,
        "status": task.status,
        "revision": task.revision,
        "stopwatch": clock.__dict__,
    }


def _task_detail(task: Task, today: date) -> dict[str, Any]:
    return {
        **_task_summary(task, today),
        "description": task.description,
        "cooperating_units": [unit.code for unit in task.cooperating_departments.all()],
        "submitted_at": task.submitted_at,
        "accepted_at": task.accepted_at,
        "milestones": list(task.milestones.all()),
        "reports": [
            {
                "id": found.pk,
                "unit": found.department.code,
                "reporter": str(found.reporter),
                "progress": found.progress,
                "achieved_value": found.achieved_value,
                "summary": found.summary,
                "milestone": found.milestone.title if found.milestone else None,
                "reported_at": found.reported_at,
                "evidence": list(found.evidence.all()),
            }
            for found in task.reports.all()
        ],
        "acceptances": [
            {
                "decision": found.decision,
                "comment": found.comment,
                "decided_by": str(found.decided_by),
                "decided_at": found.decided_at,
                "on_time": found.on_time,
            }
            for found in task.acceptances.all()
        ],
    }


def _list_summary(task_list: TaskList) -> dict[str, Any]:
    return {
        "number": task_list.number,
        "title": task_list.title,
        "origin": task_list.origin,
        "directive": task_list.directive.number if task_list.directive else None,
        "origin_reference": task_list.origin_reference,
        "issuing_unit": task_list.issuing_department.code,
        "region_code": task_list.region.code,
        "status": task_list.status,
        "created_at": task_list.created_at,
        "published_at": task_list.published_at,
        "closed_at": task_list.closed_at,
    }


def _list_detail(actor: Any, number: str) -> dict[str, Any]:
    found = selectors.list_of(actor, number)
    today = timezone.localdate()
    return {
        **_list_summary(found),
        "description": found.description,
        "tasks": [_task_detail(task, today) for task in selectors.tasks_of(actor, found)],
    }


def _department(code: str, field: str) -> Department:
    found = Department.objects.select_related("region").filter(code=code).first()
    if found is None:
        raise InvalidInput(fields={field: _("Unknown unit %(code)s.") % {"code": code}})
    return found


def _draft(entry: TaskIn, prefix: str = "") -> drawing.TaskDraft:
    indicator = None
    if entry.indicator:
        indicator = Indicator.objects.filter(code=entry.indicator).first()
        if indicator is None:
            raise InvalidInput(fields={f"{prefix}indicator": _("Unknown indicator.")})
    return drawing.TaskDraft(
        title=entry.title,
        description=entry.description,
        target_value=entry.target_value,
        unit=entry.unit,
        indicator=indicator,
        lead=_department(entry.lead_unit, f"{prefix}lead"),
        cooperating=[_department(code, f"{prefix}cooperating") for code in entry.cooperating_units],
        starts_on=entry.starts_on,
        deadline=entry.deadline,
        milestones=[drawing.MilestoneDraft(m.title, m.due_on) for m in entry.milestones],
    )


@router.get("/checklists", response=list[ListOut], summary="Task lists in my scope")
def checklists(request: HttpRequest, status: TaskListStatus | None = None) -> Any:
    return [_list_summary(found) for found in selectors.lists(request.user, status=status or "")]


@router.post(
    "/checklists",
    response={200: ListDetail, 201: ListDetail},
    summary="Draw up a task list (a draft; the same submission key again returns it)",
)
def draw_up(request: HttpRequest, payload: ListIn) -> Any:
    directive = None
    if payload.origin == TaskListOrigin.DIRECTIVE:
        directive = drawing.directive_named(request.user, payload.directive)
    made = drawing.draw_up(
        actor=request.user,
        submission_key=payload.submission_key,
        title=payload.title,
        description=payload.description,
        origin=payload.origin,
        directive=directive,
        origin_reference=payload.origin_reference,
        tasks=[_draft(entry, f"tasks[{n}].") for n, entry in enumerate(payload.tasks)],
    )
    created = getattr(made, "created", False)
    return Status(201 if created else 200, _list_detail(request.user, made.number))


@router.get("/checklists/tasks/mine", response=list[TaskOut], summary="My units' open tasks")
def my_tasks(request: HttpRequest) -> Any:
    today = timezone.localdate()
    return [_task_summary(task, today) for task in selectors.my_tasks(request.user)]


@router.get("/checklists/{number}", response=ListDetail, summary="A list, its tasks and reports")
def checklist(request: HttpRequest, number: str) -> Any:
    return _list_detail(request.user, number)


@router.post("/checklists/{number}/publish", response=ListDetail, summary="Publish a draft list")
def publish(request: HttpRequest, number: str) -> Any:
    drawing.publish(actor=request.user, task_list=selectors.list_of(request.user, number))
    return _list_detail(request.user, number)


@router.post("/checklists/{number}/close", response=ListDetail, summary="Close an accepted list")
def close(request: HttpRequest, number: str) -> Any:
    acceptance.close(actor=request.user, task_list=selectors.list_of(request.user, number))
    return _list_detail(request.user, number)


@router.post(
    "/checklists/{number}/tasks", response={201: TaskDetail}, summary="Add a task to a list"
)
def add_task(request: HttpRequest, number: str, payload: TaskIn) -> Any:
    found = selectors.list_of(request.user, number)
    added = drawing.add_task(actor=request.user, task_list=found, task=_draft(payload))
    return Status(201, _task_out(request, number, added.sequence))


def _task_out(request: HttpRequest, number: str, sequence: int) -> dict[str, Any]:
    task = selectors.task_of(request.user, number, sequence)
    detailed = selectors.with_details(Task.objects.filter(pk=task.pk)).get()
    return _task_detail(detailed, timezone.localdate())


@router.get(
    "/checklists/{number}/tasks/{sequence}", response=TaskDetail, summary="A task and its way"
)
def task(request: HttpRequest, number: str, sequence: int) -> Any:
    return _task_out(request, number, sequence)


@router.post(
    "/checklists/{number}/tasks/{sequence}/reports",
    response={201: TaskDetail},
    summary="Report progress (multipart: the fields and any number of `files` as evidence)",
)
def report(
    request: HttpRequest,
    number: str,
    sequence: int,
    payload: Form[ReportIn],
    files: File[list[UploadedFile]] = None,  # type: ignore[assignment]
) -> Any:
    task = selectors.task_of(request.user, number, sequence)
    milestone = None
    if payload.milestone is not None:
        milestone = task.milestones.filter(pk=payload.milestone).first()
        if milestone is None:
            raise InvalidInput(fields={"milestone": _("This milestone is not the task's.")})
    progress.report(
        actor=request.user,
        task=task,
        progress=payload.progress,
        summary=payload.summary,
        achieved_value=payload.achieved_value,
        milestone=milestone,
        files=list(files or []),
        revision=payload.revision,
    )
    return Status(201, _task_out(request, number, sequence))


@router.post(
    "/checklists/{number}/tasks/{sequence}/submit",
    response=TaskDetail,
    summary="The lead unit submits the task for acceptance",
)
def submit(request: HttpRequest, number: str, sequence: int, payload: RevisionIn) -> Any:
    task = selectors.task_of(request.user, number, sequence)
    acceptance.submit(actor=request.user, task=task, revision=payload.revision)
    return _task_out(request, number, sequence)


@router.post(
    "/checklists/{number}/tasks/{sequence}/acceptance",
    response=TaskDetail,
    summary="The issuing office accepts the task or returns it with a comment",
)
def decide(request: HttpRequest, number: str, sequence: int, payload: DecisionIn) -> Any:
    task = selectors.task_of(request.user, number, sequence)
    acceptance.decide(
        actor=request.user,
        task=task,
        accept=payload.decision == AcceptanceDecision.ACCEPTED,
        comment=payload.comment,
        revision=payload.revision,
    )
    return _task_out(request, number, sequence)
