"""Grid events over the API: the taxonomy, events in the caller's scope, reporting (JSON, for
staff clients and API keys; Open311 at /open311/v2/ is the standard way in), the manual triage
queue and classification, and the figures the cockpit reads.

Reporters' names and phones are always masked here.
"""

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, Literal

from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from kuaiji.apps.grassroots import metrics, selectors, services, statistics
from kuaiji.apps.grassroots.models import (
    CLOSED_STATUSES,
    Channel,
    Event,
    EventSource,
    EventStatus,
    Urgency,
)
from kuaiji.apps.grassroots.triage import taxonomy
from kuaiji.platform.access.services import authorize
from kuaiji.platform.apikeys.auth import api_key_auth
from kuaiji.platform.core.errors import NotFound
from kuaiji.platform.core.personal import PersonalKind, mask
from kuaiji.platform.core.reports import period
from kuaiji.platform.directory.models import Grid, Region, RegionLevel
from kuaiji.platform.identity.api_auth import verified_session

PREFIX = "/grassroots"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
router = Router(tags=["grassroots"], auth=[api_key_auth, verified_session])


class CategoryOut(Schema):
    """A category of grid events, its township platform and default line department."""

    code: str
    name: str
    name_en: str
    group: str
    platform: str
    department: str


class EventOut(Schema):
    """A grid event; the reporter's name and phone are masked."""

    id: int
    number: str
    source: EventSource
    channel: Channel
    category: str
    platform: str
    predicted_category: str
    confidence: float | None
    description: str
    longitude: Decimal | None
    latitude: Decimal | None
    address: str
    grid_code: str | None
    region_code: str = Field(alias="region.code")
    urgency: Urgency
    status: EventStatus
    status_note: str
    reporter_name: str
    reporter_phone: str
    chain_id: int | None = Field(alias="instance_id")
    duplicate_of: str | None
    rating: str
    created_at: datetime
    closed_at: datetime | None

    @staticmethod
    def resolve_grid_code(event: Event) -> str | None:
        return event.grid.code if event.grid else None

    @staticmethod
    def resolve_reporter_name(event: Event) -> str:
        return mask(PersonalKind.NAME, event.reporter_name)

    @staticmethod
    def resolve_reporter_phone(event: Event) -> str:
        return mask(PersonalKind.PHONE, event.reporter_phone)

    @staticmethod
    def resolve_duplicate_of(event: Event) -> str | None:
        return event.duplicate_of.number if event.duplicate_of else None


class ReportIn(Schema):
    """A report: coordinates, or an address naming a village, community or township."""

    source: EventSource = EventSource.PATROL
    description: str
    longitude: float | None = None
    latitude: float | None = None
    address: str = ""
    category: str = Field("", description="Empty: the triage model classifies it.")
    urgency: Urgency = Urgency.NORMAL
    reporter_name: str = ""
    reporter_phone: str = ""


class ClassifyIn(Schema):
    category: str


class EventFilters(Schema):
    status: EventStatus | None = None
    open: bool | None = Field(None, description="Only open (true) or closed (false) events.")


class FiguresOut(Schema):
    """Grid-event figures of the caller's scope (`area` empty) or of one county."""

    area: str
    code: str
    today: int
    open: int
    overdue: int
    closed: int
    on_time_rate: float | None
    satisfaction: float | None


@router.get("/categories", response=list[CategoryOut], summary="The categories of grid events")
def categories(request: HttpRequest) -> Any:
    authorize(request.user, "grassroots.event.view")
    return [
        {**category.__dict__, "name_en": str(category.name_en)} for category in taxonomy.CATEGORIES
    ]


@router.get("/events", response=list[EventOut], summary="Grid events in my scope, newest first")
@paginate(LimitOffsetPagination)
def list_events(request: HttpRequest, filters: Query[EventFilters]) -> Any:
    authorize(request.user, "grassroots.event.view")
    found = selectors.events(request.user).select_related("duplicate_of")
    if filters.status:
        found = found.filter(status=filters.status)
    if filters.open is True:
        found = found.exclude(status__in=CLOSED_STATUSES)
    elif filters.open is False:
        found = found.filter(status__in=CLOSED_STATUSES)
    return found


@router.get("/events/{event_id}", response=EventOut, summary="A grid event")
def event_detail(request: HttpRequest, event_id: int) -> Any:
    return selectors.event(request.user, event_id)


@router.post("/events", response={201: EventOut}, summary="Report a grid event")
def report(request: HttpRequest, payload: ReportIn) -> Any:
    event = services.report_event(
        actor=request.user,
        source=payload.source,
        channel=Channel.WORK_FRONT,
        description=payload.description,
        longitude=payload.longitude,
        latitude=payload.latitude,
        address=payload.address,
        category=payload.category,
        urgency=payload.urgency,
        reporter_name=payload.reporter_name,
        reporter_phone=payload.reporter_phone,
    )
    return Status(201, event)


@router.get("/triage", response=list[EventOut], summary="The manual triage queue")
@paginate(LimitOffsetPagination)
def triage_queue(request: HttpRequest) -> Any:
    authorize(request.user, "grassroots.event.triage")
    return selectors.triage_queue(request.user)


@router.post("/events/{event_id}/classify", response=EventOut, summary="Classify a queued event")
def classify(request: HttpRequest, event_id: int, payload: ClassifyIn) -> Any:
    return services.classify(actor=request.user, event=event_id, category=payload.category)


class StatisticsQuery(Schema):
    by: statistics.Dimension = "category"
    start: date | None = Field(None, description="First day (default: 30 days ago).")
    end: date | None = Field(None, description="Last day (default: today).")


class StatisticsRowOut(Schema):
    """The figures of one category, grid, township or department over the period."""

    key: str
    label: str
    volume: int
    closed: int
    on_time_rate: float | None
    average_hours: float | None
    satisfaction: float | None


class ExportQuery(StatisticsQuery):
    format: Literal["csv", "xlsx"] = "xlsx"


@router.get("/statistics", response=list[StatisticsRowOut], summary="Statistics of grid events")
def statistics_rows(request: HttpRequest, query: Query[StatisticsQuery]) -> Any:
    authorize(request.user, "grassroots.event.view")
    return statistics.rows(request.user, query.by, query.start, query.end)


@router.get("/statistics/export", summary="Statistics as CSV or XLSX")
def statistics_export(request: HttpRequest, query: Query[ExportQuery]) -> HttpResponse:
    authorize(request.user, "grassroots.event.view")
    found = statistics.rows(request.user, query.by, query.start, query.end)
    name = f"grid-events-by-{query.by}"
    if query.format == "csv":
        response = HttpResponse(statistics.as_csv(found), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(statistics.as_xlsx(found, name), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}.{query.format}"'
    return response


class HeatQuery(Schema):
    region: str = Field(..., description="A township (or street) code.")
    start: date | None = Field(None, description="First day (default: 30 days ago).")
    end: date | None = Field(None, description="Last day (default: today).")


class GridHeatOut(Schema):
    """A grid of the township and the events reported in it over the period."""

    code: str
    name: str
    events: int


class HeatOut(Schema):
    """Events reported per grid of a township over a period (merged duplicates left out),
    counting only the events in the caller's scope."""

    region: str
    region_name: str
    start: date
    end: date
    grids: list[GridHeatOut]


@router.get("/heat", response=HeatOut, summary="Event heat: events per grid of a township")
def grid_heat(request: HttpRequest, query: Query[HeatQuery]) -> Any:
    """For the cockpit's grid map; a township outside the caller's scope answers 404."""
    authorize(request.user, "grassroots.event.view")
    since, until = period(query.start, query.end)
    township = (
        Region.objects.visible_to(request.user, "grassroots.event.view")
        .filter(code=query.region, level=RegionLevel.TOWNSHIP)
        .defer("boundary")
        .first()
    )
    if township is None:
        raise NotFound()
    counts = dict(
        selectors.events(request.user)
        .filter(region_path__startswith=township.path, created_at__gte=since, created_at__lt=until)
        .exclude(status=EventStatus.MERGED)
        .order_by()
        .values_list("grid__code")
        .annotate(n=Count("pk"))
        .values_list("grid__code", "n")
    )
    grids = Grid.objects.filter(region__path__startswith=township.path).order_by("code")
    return HeatOut(
        region=township.code,
        region_name=township.name,
        start=since.date(),
        end=(until - timedelta(days=1)).date(),
        grids=[
            GridHeatOut(code=code, name=name, events=counts.get(code, 0))
            for code, name in grids.values_list("code", "name")
        ],
    )


@router.get("/metrics", response=list[FiguresOut], summary="Figures for the cockpit")
def figures(request: HttpRequest) -> Any:
    authorize(request.user, "grassroots.event.view")
    return metrics.figures(request.user)
