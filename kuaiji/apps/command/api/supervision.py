"""Supervision over the API, under /api/v1/command/supervision/: the summary the cockpit reads,
the supervised items, urging, and the report as PDF or XLSX.

Everything needs `command.supervision.view` (urging `command.supervision.urge`): 403 without
it; a region outside what the caller supervises, or an item outside it, answers 404. Without a
region, the caller's widest region is read.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Field, Query, Router, Schema

from kuaiji.apps.command.supervision import report, selectors, urging
from kuaiji.apps.command.supervision.selectors import Filters, Item
from kuaiji.apps.command.supervision.sources import URGE
from kuaiji.platform.access.services import authorize
from kuaiji.platform.apikeys.auth import api_key_auth
from kuaiji.platform.core.reports import period
from kuaiji.platform.directory.models import Region
from kuaiji.platform.identity.api_auth import verified_session

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PAGE_MAX = 200
router = Router(tags=["command"], auth=[api_key_auth, verified_session])

Kind = Literal["event", "application", "sharing", "chain", "checklist", "directive"]
LightName = Literal["red", "yellow", "green"]


def kind_link(kind: str, region: Region) -> str:
    """The work-front supervision page showing one kind of work in one region."""
    query = urlencode({"region": region.code, "kind": kind})
    return f"{reverse('workbench:supervision:home')}?{query}"


class LightsOut(Schema):
    red: int
    yellow: int
    green: int


class KindOut(LightsOut):
    kind: str
    label: str
    link: str


class RegionOut(LightsOut):
    code: str
    name: str


class UnitOut(Schema):
    unit: str
    open: int
    red: int
    yellow: int


class AlertOut(Schema):
    """A red item: `region` is its township's name (its county's when it has none)."""

    kind: str
    label: str
    title: str
    unit: str
    region: str
    due_at: datetime | None
    light: str
    link: str


class SummaryOut(Schema):
    """Counts by light, kind, child region and unit, and the 20 most overdue red items."""

    region: str
    region_name: str
    counts: LightsOut
    by_kind: list[KindOut]
    by_region: list[RegionOut]
    by_unit: list[UnitOut]
    alerts: list[AlertOut]


class SummaryQuery(Schema):
    region: str | None = Field(None, description="Region code (default: your widest region).")


@router.get("/supervision/summary", response=SummaryOut, summary="Supervision summary")
def supervision_summary(request: HttpRequest, query: Query[SummaryQuery]) -> Any:
    chosen = selectors.filters(request.user, region=query.region)
    found = selectors.summary(request.user, chosen, kind_link=kind_link)
    return {
        "region": found.region.code,
        "region_name": found.region_name,
        "counts": found.counts,
        "by_kind": found.by_kind,
        "by_region": found.by_region,
        "by_unit": found.by_unit,
        "alerts": found.alerts,
    }


class PlaceOut(Schema):
    code: str
    name: str


class ItemOut(Schema):
    """One piece of supervised work; `key` names it when urging."""

    key: str
    kind: str
    label: str
    title: str
    unit: str
    county: PlaceOut
    township: PlaceOut
    due_at: datetime | None
    light: str
    days_late: int
    urge_count: int
    link: str


class ItemPageOut(Schema):
    count: int
    items: list[ItemOut]


class ItemQuery(Schema):
    region: str | None = Field(None, description="Region code (default: your widest region).")
    kind: Kind | None = None
    light: LightName | None = None
    unit: str = Field("", max_length=200, description="Exactly this unit.")
    start: date | None = Field(None, description="Due on or after this day.")
    end: date | None = Field(None, description="Due on or before this day.")
    limit: int = Field(50, ge=1, le=PAGE_MAX)
    offset: int = Field(0, ge=0)


def _filters(request: HttpRequest, query: ItemQuery) -> Filters:
    due_from = due_until = None
    if query.start or query.end:
        due_from, due_until = period(query.start, query.end)
    return selectors.filters(
        request.user,
        region=query.region,
        kind=query.kind or "",
        light=query.light or "",
        unit=query.unit,
        due_from=due_from,
        due_until=due_until,
    )


@router.get("/supervision/items", response=ItemPageOut, summary="Supervised work")
def supervision_items(request: HttpRequest, query: Query[ItemQuery]) -> Any:
    found = selectors.items(request.user, _filters(request, query))
    page: list[Item] = found[query.offset : query.offset + query.limit]
    return {"count": found.count(), "items": page}


class UrgeIn(Schema):
    items: list[str] = Field(..., description='Item keys, e.g. ["chain:12", "checklist:3"].')
    message: str
    submission_key: str = Field("", description="The same key again urges nothing more.")


class UrgedOut(Schema):
    urged: list[str]
    count: int
    repeated: bool


@router.post("/supervision/urge", response=UrgedOut, summary="Urge red and yellow work")
def supervision_urge(request: HttpRequest, payload: UrgeIn) -> Any:
    authorize(request.user, URGE)
    done = urging.urge(
        actor=request.user,
        items=payload.items,
        message=payload.message,
        submission_key=payload.submission_key,
    )
    return {"urged": list(done.keys), "count": done.count, "repeated": done.repeated}


class ReportQuery(Schema):
    region: str | None = None
    kind: Kind | None = None
    unit: str = Field("", max_length=200)
    start: date | None = Field(None, description="Due on or after this day.")
    end: date | None = Field(None, description="Due on or before this day.")


def _report(request: HttpRequest, query: ReportQuery) -> report.Report:
    chosen = _filters(request, ItemQuery(**query.dict()))
    return report.build(request.user, chosen)


def _download(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@router.get("/supervision/report.pdf", summary="Supervision report (PDF)")
def supervision_report_pdf(request: HttpRequest, query: Query[ReportQuery]) -> HttpResponse:
    found = _report(request, query)
    name = f"supervision-{found.summary.region.code}.pdf"
    return _download(report.as_pdf(found), "application/pdf", name)


@router.get("/supervision/report.xlsx", summary="Supervision report (XLSX)")
def supervision_report_xlsx(request: HttpRequest, query: Query[ReportQuery]) -> HttpResponse:
    found = _report(request, query)
    name = f"supervision-{found.summary.region.code}.xlsx"
    return _download(report.as_xlsx(found), XLSX, name)
