"""Loading a resource's rows over the API: upload a file, list and read loads (problems and
quarantined rows), register and list the addresses pulled on a schedule."""

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import LimitOffsetPagination, paginate

from kuaiji.platform.apikeys.auth import api_key_auth
from kuaiji.platform.core.errors import InvalidInput
from kuaiji.platform.data.ingest import reads
from kuaiji.platform.data.ingest.loading import load_file
from kuaiji.platform.data.ingest.pulling import add_source
from kuaiji.platform.data.ingest.reading import MAX_FILE_BYTES, too_large
from kuaiji.platform.data.models import BadRowHandling, Load, LoadStatus
from kuaiji.platform.data.models.rows import FileFormat, LoadSource
from kuaiji.platform.identity.api_auth import verified_session

router = Router(tags=["data"], auth=[api_key_auth, verified_session])
#: The quarantined rows a load's detail shows at most.
MAX_QUARANTINED_SHOWN = 1000
MAX_CHANGES_SHOWN = 1000


class LoadOut(Schema):
    """One load of a resource: what the file held, what was applied, how long it took."""

    id: int
    resource_code: str = Field(alias="resource.code")
    source: LoadSource
    file_name: str
    digest: str
    actor: str | None
    on_bad_rows: BadRowHandling
    status: LoadStatus
    data_version: int | None
    rows_read: int
    rows_inserted: int
    rows_updated: int
    rows_unchanged: int
    rows_bad: int
    message: str
    started_at: datetime
    validate_seconds: float
    write_seconds: float

    @staticmethod
    def resolve_actor(load: Load) -> str | None:
        return load.actor.username if load.actor_id and load.actor else None


class ProblemOut(Schema):
    """A problem found: the line (none for the file as a whole), the field and the reason."""

    line: int | None
    field: str
    reason: str


class QuarantinedOut(Schema):
    """A bad row kept by a load: its line, its cells as read and the reasons."""

    line: int
    values: dict[str, Any]
    reasons: list[dict[str, str]]


class FieldChangeOut(Schema):
    """A field a load changed in a row: its value before and the value the load wrote."""

    name: str
    before: Any
    after: Any


class RowChangeOut(Schema):
    key: str
    fields: list[FieldChangeOut]

    @staticmethod
    def resolve_fields(change: reads.RowChange) -> list[dict[str, Any]]:
        return [
            {"name": name, "before": before, "after": after}
            for name, before, after in change.fields
        ]


class LoadDetail(LoadOut):
    problems: list[ProblemOut]
    quarantined_count: int
    quarantined: list[QuarantinedOut]
    changes: list[RowChangeOut]

    @staticmethod
    def resolve_quarantined_count(load: Load) -> int:
        return load.quarantined.count()

    @staticmethod
    def resolve_quarantined(load: Load) -> list[Any]:
        return list(load.quarantined.order_by("line")[:MAX_QUARANTINED_SHOWN])

    @staticmethod
    def resolve_changes(load: Load) -> list[reads.RowChange]:
        """The rows the load changed (the first 1,000 by key), field by field."""
        return reads.changes_of(load, limit=MAX_CHANGES_SHOWN)


class SourceIn(Schema):
    """An address serving the resource's file, pulled every `every_minutes`."""

    url: str
    format: FileFormat
    every_minutes: int = 1440
    on_bad_rows: BadRowHandling = BadRowHandling.REJECT


class SourceOut(Schema):
    id: int
    resource_code: str = Field(alias="resource.code")
    url: str
    format: FileFormat
    every_minutes: int
    on_bad_rows: BadRowHandling
    active: bool
    last_pulled_at: datetime | None
    last_load_id: int | None
    last_error: str


@router.post(
    "/resources/{code}/loads", response={201: LoadDetail}, summary="Load a file into a resource"
)
def upload(
    request: HttpRequest,
    code: str,
    file: File[UploadedFile],
    on_bad_rows: Form[BadRowHandling] = BadRowHandling.REJECT,
) -> Any:
    resource = reads.managed_resource(request.user, code)
    if file.size is not None and file.size > MAX_FILE_BYTES:
        raise too_large(file.size)
    content = file.read()
    if not content:
        raise InvalidInput(fields={"file": _("The file is empty.")})
    done = load_file(
        actor=request.user,
        resource=resource,
        content=content,
        file_name=file.name or "upload",
        on_bad_rows=on_bad_rows,
    )
    return Status(201, done)


@router.get("/resources/{code}/loads", response=list[LoadOut], summary="The loads of a resource")
@paginate(LimitOffsetPagination)
def list_loads(request: HttpRequest, code: str) -> Any:
    return reads.loads_of(request.user, code)


@router.get("/loads/{load_id}", response=LoadDetail, summary="A load, its problems and bad rows")
def load_detail(request: HttpRequest, load_id: int) -> Any:
    return reads.load_of(request.user, load_id)


@router.get(
    "/resources/{code}/sources", response=list[SourceOut], summary="Where a resource is pulled from"
)
def list_sources(request: HttpRequest, code: str) -> Any:
    return list(reads.sources_of(request.user, code))


@router.post(
    "/resources/{code}/sources", response={201: SourceOut}, summary="Pull a resource on a schedule"
)
def create_source(request: HttpRequest, code: str, payload: SourceIn) -> Any:
    resource = reads.managed_resource(request.user, code)
    source = add_source(
        actor=request.user,
        resource=resource,
        url=payload.url,
        format=payload.format,
        every_minutes=payload.every_minutes,
        on_bad_rows=payload.on_bad_rows,
    )
    return Status(201, source)
