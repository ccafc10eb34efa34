"""Chains over the API: models, instances and their timelines, worklists, task actions,
supervision.

Lists need the permission they show (403 otherwise) and hold only what the caller may see; a
task or instance the caller may not see answers 404 like a missing one; an action that lost a
race answers 409.
"""

from datetime import datetime
from typing import Any, Literal

from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, File, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import LimitOffsetPagination, paginate

from kuaiji.platform.access.services import authorize
from kuaiji.platform.apikeys.auth import api_key_auth
from kuaiji.platform.chains import selectors, services
from kuaiji.platform.chains.models import (
    ChainDefinition,
    ChainInstance,
    ChainVersion,
    InstanceStatus,
    StepAction,
    TaskStatus,
    TimelineEntry,
    WorkTask,
)
from kuaiji.platform.chains.sla import light_of
from kuaiji.platform.chains.versions import upload_model
from kuaiji.platform.core.errors import InvalidInput
from kuaiji.platform.directory.models import Department, Grid, Region
from kuaiji.platform.identity.api_auth import verified_session

PREFIX = "/chains"
router = Router(tags=["chains"], auth=[api_key_auth, verified_session])


class VersionOut(Schema):
    """One uploaded version of a chain model."""

    number: int
    digest: str
    shipped: bool
    uploaded_at: datetime


class DefinitionOut(Schema):
    """A chain model and its versions, newest first."""

    key: str
    name: str
    name_en: str
    versions: list[VersionOut]

    @staticmethod
    def resolve_versions(definition: ChainDefinition) -> list[ChainVersion]:
        return list(definition.versions.all())


class VersionDetail(VersionOut):
    """A version with what the engine reads from it: its lanes and user tasks."""

    key: str = Field(alias="definition.key")
    lanes: dict[str, Any]
    steps: dict[str, Any]


class TaskOut(Schema):
    """A task of the worklist; `light` is green, yellow or red (null without a time limit)."""

    id: int
    instance_id: int
    title: str
    business_type: str
    business_id: str
    step: str
    step_name: str
    step_name_en: str
    lane: str
    unit: str = Field(alias="unit_label")
    candidate_key: str
    assignee: str | None
    status: TaskStatus
    time_limit: str
    due_at: datetime | None
    light: str | None
    created_at: datetime
    completed_at: datetime | None
    form: dict[str, Any]
    urge_count: int

    @staticmethod
    def resolve_assignee(task: WorkTask) -> str | None:
        return task.assignee.username if task.assignee else None

    @staticmethod
    def resolve_light(task: WorkTask) -> str | None:
        if task.status != TaskStatus.OPEN:
            return None
        found = light_of(task.created_at, task.due_at, datetime.now(tz=task.created_at.tzinfo))
        return str(found) if found else None


class EntryOut(Schema):
    """One step of an instance's timeline."""

    at: datetime
    action: StepAction
    actor: str | None
    task_id: int | None
    step_name: str | None
    comment: str
    details: dict[str, Any]
    attachments: list[str]

    @staticmethod
    def resolve_actor(entry: TimelineEntry) -> str | None:
        return entry.actor.username if entry.actor else None

    @staticmethod
    def resolve_step_name(entry: TimelineEntry) -> str | None:
        return entry.task.step_name if entry.task else None

    @staticmethod
    def resolve_attachments(entry: TimelineEntry) -> list[str]:
        return [item.name for item in entry.attachments.all()]


class InstanceOut(Schema):
    """A chain instance."""

    id: int
    key: str = Field(alias="version.definition.key")
    version: int = Field(alias="version.number")
    title: str
    business_type: str
    business_id: str
    region_code: str = Field(alias="region.code")
    status: InstanceStatus
    revision: int
    started_at: datetime
    ended_at: datetime | None


class InstanceDetail(InstanceOut):
    """An instance with its tasks and its timeline from start to end."""

    tasks: list[TaskOut]
    timeline: list[EntryOut]

    @staticmethod
    def resolve_tasks(instance: ChainInstance) -> list[WorkTask]:
        return list(instance.tasks.all())

    @staticmethod
    def resolve_timeline(instance: ChainInstance) -> list[TimelineEntry]:
        return list(instance.timeline.all())


class StartIn(Schema):
    """Start a chain about a business object, anchored in a region or a grid."""

    definition: str = Field(description="The chain model's key, e.g. grid_event.")
    title: str
    business_type: str
    business_id: str = ""
    region_code: str | None = None
    grid_code: str | None = None
    department_code: str | None = None
    data: dict[str, Any] = Field(default_factory=dict, description="The chain's start data.")


class CompleteIn(Schema):
    form: dict[str, Any] = Field(default_factory=dict)
    comment: str = ""
    revision: int | None = Field(None, description="The instance revision the caller saw.")


class ReturnIn(Schema):
    step: str = Field(description="The id of an earlier step of this instance.")
    reason: str


class TransferIn(Schema):
    to: str = Field(description="Username of the member of staff taking the task over.")
    reason: str


class UserIn(Schema):
    user: str = Field(description="Username of the co-handler.")


class CommentIn(Schema):
    comment: str


class ReasonIn(Schema):
    reason: str


class UrgeIn(Schema):
    message: str


class TaskFilters(Schema):
    view: Literal["mine", "unit", "overdue"] = Field(
        "mine", description="mine: my open tasks; unit: my units' open tasks; overdue: overdue "
        "tasks in what I supervise."
    )  # fmt: skip


class UnitLoadOut(Schema):
    unit: str
    open: int
    overdue: int


class OverdueOut(Schema):
    task_id: int
    unit: str = Field(alias="unit_label")
    due_at: datetime
    recorded_at: datetime
    escalated_to: str


def _by_code(model: type[Any], code: str | None, field: str) -> Any:
    """The directory object with `code`, None without one, InvalidInput for an unknown one."""
    if not code:
        return None
    found = model.objects.filter(code=code).first()
    if found is None:
        raise InvalidInput(fields={field: _("Nothing has this code.")})
    return found


def _user(username: str, field: str) -> int:
    pk = get_user_model().objects.filter(username=username).values_list("pk", flat=True).first()
    if pk is None:
        raise InvalidInput(fields={field: _("No user has this name.")})
    return int(pk)


@router.get("/models", response=list[DefinitionOut], summary="Chain models and their versions")
def list_models(request: HttpRequest) -> Any:
    authorize(request.user, "chains.model.view")
    return selectors.definitions(request.user)


@router.post("/models", response={201: VersionDetail}, summary="Upload a BPMN chain model")
def upload(request: HttpRequest, file: File[UploadedFile]) -> Any:
    return Status(201, upload_model(actor=request.user, source=file.read()))


@router.get("/models/{key}", response=VersionDetail, summary="The latest version of a model")
def model_detail(request: HttpRequest, key: str) -> Any:
    return selectors.version(request.user, key)


@router.get("/models/{key}/versions/{number}.bpmn", summary="A version's BPMN source")
def model_source(request: HttpRequest, key: str, number: int) -> HttpResponse:
    found = selectors.version(request.user, key, number)
    return HttpResponse(found.source, content_type="application/xml; charset=utf-8")


@router.post("/instances", response={201: InstanceOut}, summary="Start a chain")
def start(request: HttpRequest, payload: StartIn) -> Any:
    instance = services.start(
        actor=request.user,
        definition=payload.definition,
        title=payload.title,
        business_type=payload.business_type,
        business_id=payload.business_id,
        region=_by_code(Region, payload.region_code, "region_code"),
        grid=_by_code(Grid, payload.grid_code, "grid_code"),
        department=_by_code(Department, payload.department_code, "department_code"),
        data=payload.data,
    )
    return Status(201, instance)


@router.get("/instances", response=list[InstanceOut], summary="Chains I may see")
@paginate(LimitOffsetPagination)
def list_instances(request: HttpRequest) -> Any:
    authorize(request.user, "chains.instance.view")
    return selectors.instances(request.user)


@router.get("/instances/{instance_id}", response=InstanceDetail, summary="A chain's timeline")
def instance_detail(request: HttpRequest, instance_id: int) -> Any:
    return selectors.instance(request.user, instance_id)


@router.post("/instances/{instance_id}/suspend", response=InstanceOut, summary="Suspend a chain")
def suspend(request: HttpRequest, instance_id: int, payload: ReasonIn) -> Any:
    return services.suspend(actor=request.user, instance=instance_id, reason=payload.reason)


@router.post("/instances/{instance_id}/resume", response=InstanceOut, summary="Resume a chain")
def resume(request: HttpRequest, instance_id: int) -> Any:
    return services.resume(actor=request.user, instance=instance_id)


@router.post("/instances/{instance_id}/cancel", response=InstanceOut, summary="Cancel a chain")
def cancel(request: HttpRequest, instance_id: int, payload: ReasonIn) -> Any:
    return services.cancel(actor=request.user, instance=instance_id, reason=payload.reason)


@router.post("/instances/{instance_id}/withdraw", response=InstanceOut, summary="Withdraw my chain")
def withdraw(request: HttpRequest, instance_id: int, payload: ReasonIn) -> Any:
    return services.withdraw(actor=request.user, instance=instance_id, reason=payload.reason)


@router.get("/tasks", response=list[TaskOut], summary="My tasks, my units' tasks, overdue tasks")
@paginate(LimitOffsetPagination)
def list_tasks(request: HttpRequest, filters: Query[TaskFilters]) -> Any:
    if filters.view == "overdue":
        authorize(request.user, "chains.task.supervise")
        return selectors.overdue_tasks(request.user)
    authorize(request.user, "chains.task.handle")
    if filters.view == "unit":
        return selectors.unit_tasks(request.user)
    return selectors.my_tasks(request.user)


@router.get("/tasks/{task_id}", response=TaskOut, summary="A task")
def task_detail(request: HttpRequest, task_id: int) -> Any:
    return selectors.task(request.user, task_id)


@router.post("/tasks/{task_id}/claim", response=TaskOut, summary="Claim a task")
def claim(request: HttpRequest, task_id: int) -> Any:
    return services.claim(actor=request.user, task=task_id)


@router.post("/tasks/{task_id}/complete", response=TaskOut, summary="Complete a task")
def complete(request: HttpRequest, task_id: int, payload: CompleteIn) -> Any:
    return services.complete(
        actor=request.user,
        task=task_id,
        form=payload.form,
        comment=payload.comment,
        revision=payload.revision,
    )


@router.post("/tasks/{task_id}/return", response=TaskOut, summary="Return to an earlier step")
def return_to(request: HttpRequest, task_id: int, payload: ReturnIn) -> Any:
    return services.return_to(
        actor=request.user, task=task_id, step=payload.step, reason=payload.reason
    )


@router.post("/tasks/{task_id}/transfer", response=TaskOut, summary="Transfer a task")
def transfer(request: HttpRequest, task_id: int, payload: TransferIn) -> Any:
    to = _user(payload.to, "to")
    return services.transfer(actor=request.user, task=task_id, to=to, reason=payload.reason)


@router.post("/tasks/{task_id}/co-handlers", response={201: None}, summary="Add a co-handler")
def add_co_handler(request: HttpRequest, task_id: int, payload: UserIn) -> Any:
    services.add_co_handler(actor=request.user, task=task_id, user=_user(payload.user, "user"))
    return Status(201, None)


@router.post("/tasks/{task_id}/opinions", response={201: None}, summary="Add an opinion")
def add_opinion(request: HttpRequest, task_id: int, payload: CommentIn) -> Any:
    services.add_opinion(actor=request.user, task=task_id, comment=payload.comment)
    return Status(201, None)


@router.post("/tasks/{task_id}/urge", response=TaskOut, summary="Urge a task's handlers")
def urge(request: HttpRequest, task_id: int, payload: UrgeIn) -> Any:
    return services.urge(actor=request.user, task=task_id, message=payload.message)


@router.get("/supervision/units", response=list[UnitLoadOut], summary="Open and overdue by unit")
def supervision_units(request: HttpRequest) -> Any:
    authorize(request.user, "chains.task.supervise")
    return selectors.load_by_unit(request.user)


@router.get("/supervision/overdue", response=list[OverdueOut], summary="Overdue records")
@paginate(LimitOffsetPagination)
def supervision_overdue(request: HttpRequest) -> Any:
    authorize(request.user, "chains.task.supervise")
    return selectors.overdue_records(request.user)
