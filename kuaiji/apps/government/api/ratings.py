"""Ratings and service statistics over the API: the applicant rates a decided application; staff
read the ratings in their scope, the statistics by item or department (JSON, CSV or XLSX) and
the figures the cockpit reads."""

from datetime import date, datetime
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from kuaiji.apps.government import metrics, ratings, statistics
from kuaiji.apps.government.models import Rating
from kuaiji.platform.access.services import authorize
from kuaiji.platform.apikeys.auth import api_key_auth
from kuaiji.platform.chains.models import InstanceStatus
from kuaiji.platform.core.reports import period
from kuaiji.platform.identity.api_auth import oidc_token_auth, verified_session

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
router = Router(tags=["government"], auth=[api_key_auth, verified_session])


class RatingIn(Schema):
    level: int = Field(..., ge=1, le=5, description="1 very bad … 5 very good; 2 or less is bad.")
    comment: str = ""


class RatingOut(Schema):
    """A rating; `rectification` is the chain a bad rating started."""

    id: int
    application: str
    item: str | None
    department: str | None
    level: int
    bad: bool
    comment: str
    rated_at: datetime
    rectification: int | None
    rectification_status: str | None
    revisited_at: datetime | None
    revisit_level: int | None
    revisit_note: str

    @staticmethod
    def resolve_application(rating: Rating) -> str:
        return rating.application.number

    @staticmethod
    def resolve_item(rating: Rating) -> str | None:
        item = rating.application.item
        return item.code if item is not None else None

    @staticmethod
    def resolve_department(rating: Rating) -> str | None:
        item = rating.application.item
        return item.department.code if item is not None else None

    @staticmethod
    def resolve_bad(rating: Rating) -> bool:
        return rating.is_bad

    @staticmethod
    def resolve_rectification(rating: Rating) -> int | None:
        return rating.rectification_id

    @staticmethod
    def resolve_rectification_status(rating: Rating) -> str | None:
        chain = rating.rectification
        return chain.status if chain is not None else None


class RatingFilters(Schema):
    bad: bool | None = Field(None, description="Only bad (true) or other (false) ratings.")
    level: int | None = Field(None, ge=1, le=5)
    start: date | None = Field(None, description="Rated on or after this day.")
    end: date | None = Field(None, description="Rated on or before this day.")
    rectified: bool | None = Field(None, description="Bad ratings whose rectification ended.")


@router.post(
    "/applications/{number}/rating",
    response={201: RatingOut},
    summary="Rate my decided application (once)",
    auth=[verified_session, oidc_token_auth],
)
def rate_application(request: HttpRequest, number: str, payload: RatingIn) -> Any:
    rating = ratings.rate(
        actor=request.user, application=number, level=payload.level, comment=payload.comment
    )
    return Status(201, rating)


@router.get("/ratings", response=list[RatingOut], summary="Ratings in my scope, newest first")
@paginate(LimitOffsetPagination)
def list_ratings(request: HttpRequest, filters: Query[RatingFilters]) -> Any:
    authorize(request.user, ratings.VIEW)
    found = ratings.ratings(request.user)
    if filters.bad is True:
        found = found.filter(level__lte=2)
    elif filters.bad is False:
        found = found.filter(level__gt=2)
    if filters.level is not None:
        found = found.filter(level=filters.level)
    if filters.start or filters.end:
        since, until = period(filters.start, filters.end)
        found = found.filter(rated_at__gte=since, rated_at__lt=until)
    if filters.rectified is True:
        found = found.filter(level__lte=2, rectification__status=InstanceStatus.COMPLETED)
    elif filters.rectified is False:
        found = found.filter(level__lte=2).exclude(rectification__status=InstanceStatus.COMPLETED)
    return found


class StatisticsQuery(Schema):
    by: statistics.Dimension = "department"
    start: date | None = Field(None, description="First day (default: 30 days ago).")
    end: date | None = Field(None, description="Last day (default: today).")
    format: Literal["json", "csv", "xlsx"] = "json"


class ServiceRowOut(Schema):
    """The figures of one service item or department over the period."""

    key: str
    label: str
    applications: int
    online_rate: float | None
    decided: int
    average_days: float | None
    promised_days: float | None
    on_time_rate: float | None
    shared_materials: int
    ratings: int
    satisfaction: float | None
    bad_ratings: int
    rectified: int


class ServiceStatisticsOut(Schema):
    """Statistics by item or department; `unit` is the unit of `average_days`."""

    by: str
    start: date
    end: date
    unit: str
    rows: list[ServiceRowOut]


@router.get("/statistics", response=ServiceStatisticsOut, summary="Service statistics")
def service_statistics(request: HttpRequest, query: Query[StatisticsQuery]) -> Any:
    authorize(request.user, ratings.VIEW)
    found = statistics.report(request.user, query.by, query.start, query.end)
    if query.format == "json":
        return found
    name = f"services-by-{query.by}"
    if query.format == "csv":
        response = HttpResponse(statistics.as_csv(found), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(statistics.as_xlsx(found, name), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}.{query.format}"'
    return response


class ServiceFiguresOut(Schema):
    """Service figures of the caller's scope (`area` empty) or of one county."""

    area: str
    code: str
    today: int
    applications: int
    online_rate: float | None
    average_days: float | None
    promised_days: float | None
    unit: str
    on_time_rate: float | None
    shared_materials: int
    ratings: int
    satisfaction: float | None


@router.get("/metrics", response=list[ServiceFiguresOut], summary="Service figures for the cockpit")
def service_metrics(request: HttpRequest) -> Any:
    authorize(request.user, ratings.VIEW)
    return metrics.figures(request.user)
