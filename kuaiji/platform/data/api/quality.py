"""Data quality over the API: the department ranking, a resource's latest report and history,
and a check on the owner's demand."""

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from kuaiji.platform.apikeys.auth import api_key_auth
from kuaiji.platform.data import quality
from kuaiji.platform.identity.api_auth import verified_session

router = Router(tags=["data"], auth=[api_key_auth, verified_session])


class DepartmentScoreOut(Schema):
    """A department's place: the mean of its resources' latest scores (null: none checked)."""

    code: str
    name: str
    resources: int
    assessed: int
    below_threshold: int
    score: float | None


class ProblemOut(Schema):
    """A problem found: its kind (empty, invalid, bad_loads, stale, never_updated, duplicates,
    no_rows, sampled), the field it is about and what it says."""

    kind: str
    message: str
    field: str | None = None
    share: float | None = None
    count: int | None = None


class ReportOut(Schema):
    """One quality check: the four measures (0–1), the score (0–100) and the problems."""

    id: int
    at: datetime
    data_version: int
    rows: int
    completeness: float
    validity: float
    timeliness: float
    uniqueness: float
    score: float
    problems: list[ProblemOut]
    chain_id: int | None = Field(None, description="The rectification chain, when one is open.")


class ResourceQualityOut(Schema):
    """A resource's latest report (null before its first check) and its recent history."""

    code: str
    threshold: float
    latest: ReportOut | None
    history: list[ReportOut]


@router.get(
    "/quality/ranking",
    response=list[DepartmentScoreOut],
    summary="Departments ranked by the quality of their data",
)
def quality_ranking(request: HttpRequest) -> Any:
    return quality.ranking(request.user)


@router.get(
    "/resources/{code}/quality", response=ResourceQualityOut, summary="A resource's data quality"
)
def resource_quality(request: HttpRequest, code: str) -> Any:
    resource, reports = quality.resource_reports(request.user, code)
    return {
        "code": resource.code,
        "threshold": quality.threshold(),
        "latest": reports[0] if reports else None,
        "history": reports,
    }


@router.post(
    "/resources/{code}/quality", response=ReportOut, summary="Check a resource's quality now"
)
def assess_resource_quality(request: HttpRequest, code: str) -> Any:
    return quality.assess_now(actor=request.user, code=code)
