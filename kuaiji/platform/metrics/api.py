"""Read API of indicators: definitions, a region's series, and the cockpit's snapshot.

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


@router.get("/snapshot", response=SnapshotOut, summary="Latest value of every indicator")
def snapshot(request: HttpRequest, filters: Query[RegionFilter]) -> Any:
    """Each indicator's latest day value for a region with the previous day's, for the
    cockpit."""
    place, rows = selectors.snapshot(request.user, filters.region)
    return SnapshotOut(
        region=place.code,
        region_name=place.name,
        indicators=[
            LatestOut(
                code=row.indicator.code,
                name=row.indicator.name,
                name_en=row.indicator.name_en,
                unit=row.indicator.unit,
                period=row.period,
                value=row.value,
                previous_period=row.previous_period,
                previous=row.previous,
            )
            for row in rows
        ],
    )
