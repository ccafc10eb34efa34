"""Read API of indicators: definitions, a region's series, the values of a region's children
(for a choropleth), the snapshot, and the cockpit's board (snapshot and trends in one answer).

Every endpoint needs ``metrics.indicator.view``; a region outside the caller's grants answers
404 like a missing one. Without `region`, the caller's widest region is read.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from kuaiji.platform.apikeys.auth import api_key_auth
from kuaiji.platform.identity.api_auth import verified_session
from kuaiji.platform.metrics import selectors
from kuaiji.platform.metrics.models import Aggregate, Indicator, PeriodKind

PREFIX = "/metrics"
router = Router(tags=["metrics"], auth=[api_key_auth, verified_session])


class IndicatorOut(Schema):
    """An indicator's definition."""

    code: str
    name: str
    name_en: str
    unit: str
    owner: str
    description: str
    dimensions: list[str]
    aggregate: Aggregate
    refresh: int = Field(description="Minutes between refreshes.")

    @staticmethod
    def resolve_description(indicator: Indicator) -> str:
        return _(indicator.description) if indicator.description else ""


class PointOut(Schema):
    period: date
    value: float


class SeriesOut(Schema):
    """An indicator's values for one region, by day or by month."""

    indicator: str
    unit: str
    aggregate: Aggregate
    region: str
    region_name: str
    period: PeriodKind
    points: list[PointOut]


class LatestOut(Schema):
    """An indicator's latest day value and the day before's (null when not computed)."""

    code: str
    name: str
    name_en: str
    unit: str
    period: date | None
    value: float | None
    previous_period: date | None
    previous: float | None


class SnapshotOut(Schema):
    region: str
    region_name: str
    indicators: list[LatestOut]


class SeriesFilters(Schema):
    region: str = Field("", description="Region code (default: the caller's widest region).")
    start: date | None = None
    end: date | None = None
    period: PeriodKind = PeriodKind.DAY


class RegionFilter(Schema):
    region: str = Field("", description="Region code (default: the caller's widest region).")


class ChildrenFilters(Schema):
    parent: str = Field("", description="Region code (default: the caller's widest region).")
    day: date | None = Field(
        None, description="Local day (default: the latest day any child has a value)."
    )


class RegionValueOut(Schema):
    """A region directly below the parent, with the indicator's value (null: not computed)."""

    code: str
    name: str
    name_en: str
    level: str
    value: float | None


class ChildValuesOut(Schema):
    """An indicator's values for the visible regions directly below a region, on one day."""

    indicator: str
    unit: str
    parent: str
    parent_name: str
    day: date | None = Field(description="The day of the values (null: none computed yet).")
    regions: list[RegionValueOut]


class BoardFilters(Schema):
    region: str = Field("", description="Region code (default: the caller's widest region).")
    days: int = Field(30, ge=1, le=selectors.MAX_DAYS, description="Days of the trends.")


class TrendOut(LatestOut):
    """An indicator's latest day value, the day before's, and its day values over the
    period (days without a value are left out)."""

    points: list[PointOut]


class BoardOut(Schema):
    """Everything the cockpit shows of a region, in one answer."""

    region: str
    region_name: str
    region_name_en: str
    level: str
    start: date
    end: date
    indicators: list[TrendOut]


@router.get("/indicators", response=list[IndicatorOut], summary="List indicators")
def list_indicators(request: HttpRequest) -> Any:
    return list(selectors.indicators(request.user))


@router.get(
    "/indicators/{code}/values", response=SeriesOut, summary="An indicator's values for a region"
)
def indicator_values(request: HttpRequest, code: str, filters: Query[SeriesFilters]) -> Any:
    """Day values, or month values (the days' sum or mean, as the indicator's `aggregate`)."""
    found = selectors.series(
        request.user,
        code,
        region_code=filters.region,
        start=filters.start,
        end=filters.end,
        period=filters.period,
    )
    return SeriesOut(
        indicator=found.indicator.code,
        unit=found.indicator.unit,
        aggregate=Aggregate(found.indicator.aggregate),
        region=found.region.code,
        region_name=found.region.name,
        period=PeriodKind(found.period),
        points=[PointOut(period=point.period, value=point.value) for point in found.points],
    )


@router.get(
    "/indicators/{code}/regions",
    response=ChildValuesOut,
    summary="An indicator's values for the regions below a region",
)
def indicator_child_values(request: HttpRequest, code: str, filters: Query[ChildrenFilters]) -> Any:
    """The day values of the visible regions directly below `parent` (the counties of the
    city, the townships of a county), for a choropleth."""
    found = selectors.child_values(request.user, code, parent_code=filters.parent, day=filters.day)
    return ChildValuesOut(
        indicator=found.indicator.code,
        unit=found.indicator.unit,
        parent=found.parent.code,
        parent_name=found.parent.name,
        day=found.day,
        regions=[
            RegionValueOut(
                code=row.region.code,
                name=row.region.name,
                name_en=row.region.name_en,
                level=row.region.level,
                value=row.value,
            )
            for row in found.regions
        ],
    )


def _latest(row: selectors.Latest) -> dict[str, Any]:
    return {
        "code": row.indicator.code,
        "name": row.indicator.name,
        "name_en": row.indicator.name_en,
        "unit": row.indicator.unit,
        "period": row.period,
        "value": row.value,
        "previous_period": row.previous_period,
        "previous": row.previous,
    }


@router.get("/snapshot", response=SnapshotOut, summary="Latest value of every indicator")
def snapshot(request: HttpRequest, filters: Query[RegionFilter]) -> Any:
    """Each indicator's latest day value for a region with the previous day's, for the
    cockpit."""
    place, rows = selectors.snapshot(request.user, filters.region)
    return SnapshotOut(
        region=place.code,
        region_name=place.name,
        indicators=[LatestOut(**_latest(row)) for row in rows],
    )


@router.get("/cockpit", response=BoardOut, summary="The cockpit's board of a region")
def cockpit(request: HttpRequest, filters: Query[BoardFilters]) -> Any:
    """Every indicator's latest day value and the day before's with its day values over the
    last `days` days, for a region: one round trip per cockpit refresh."""
    found = selectors.board(request.user, filters.region, days=filters.days)
    return BoardOut(
        region=found.region.code,
        region_name=found.region.name,
        region_name_en=found.region.name_en,
        level=found.region.level,
        start=found.start,
        end=found.end,
        indicators=[
            TrendOut(
                **_latest(trend.latest),
                points=[PointOut(period=point.period, value=point.value) for point in trend.points],
            )
            for trend in found.trends
        ],
    )
