"""Sharing requests and grants over the API: apply, follow, withdraw; see and revoke grants.

Approval itself happens on the request's chain (its tasks, under ``/api/v1/chains/tasks``).
"""

from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from kuaiji.platform.access.services import authorize
from kuaiji.platform.apikeys.auth import api_key_auth
from kuaiji.platform.core.errors import InvalidInput
from kuaiji.platform.data import calls, sharing
from kuaiji.platform.data.models import DataResource, Grant, RequestStatus
from kuaiji.platform.identity.api_auth import oidc_token_auth, verified_session

router = Router(tags=["data"], auth=[api_key_auth, oidc_token_auth, verified_session])


class ApplyIn(Schema):
    """An application for fields of a resource."""

    resource: str = Field(description="The resource's code.")
    purpose: str = Field(max_length=500)
    legal_basis: str = Field(max_length=300)
    fields: list[str] = Field(min_length=1, max_length=300)
    period_days: int = Field(ge=1, le=sharing.MAX_PERIOD_DAYS)


class ReasonIn(Schema):
    """Why."""

    reason: str = Field(max_length=300)


class RequestOut(Schema):
    """A sharing request and where it stands."""

    id: int
    resource: str = Field(alias="resource.code")
    resource_title: str = Field(alias="resource.title")
    provider: str = Field(alias="resource.department.code")
    department: str = Field(alias="department.code")
    department_name: str = Field(alias="department.name")
    applicant: str = Field(alias="applicant.username")
    purpose: str
    legal_basis: str
    fields: list[str]
    period_days: int
    status: RequestStatus
    chain: int | None = Field(None, alias="chain_id")
    grant: int | None = None
    created_at: datetime
    decided_at: datetime | None

    @staticmethod
    def resolve_grant(request: Any) -> int | None:
        found = Grant.objects.filter(request_id=request.pk).values_list("pk", flat=True).first()
        return found


class UsageOut(Schema):
    """How much a grant has been used."""

    calls: int
    rows: int
    last_call: datetime | None


class GrantOut(Schema):
    """A department's right to read named fields of a resource."""

    id: int
    resource: str = Field(alias="resource.code")
    resource_title: str = Field(alias="resource.title")
    provider: str = Field(alias="resource.department.code")
    department: str = Field(alias="department.code")
    department_name: str = Field(alias="department.name")
    request: int | None = Field(None, alias="request_id")
    fields: list[str]
    purpose: str
    starts_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    revoke_reason: str
    live: bool

    @staticmethod
    def resolve_live(grant: Grant) -> bool:
        return grant.is_live()


class GrantDetail(GrantOut):
    usage: UsageOut

    @staticmethod
    def resolve_usage(grant: Grant) -> dict[str, Any]:
        found = calls.usage(grant)
        return {"calls": found.calls, "rows": found.rows, "last_call": found.last_call}


class RequestFilters(Schema):
    box: Literal["", "mine", "incoming"] = Field(
        "", description="mine: my department's; incoming: for resources I answer for."
    )
    status: RequestStatus | None = None


class GrantFilters(Schema):
    box: Literal["", "mine", "given"] = Field(
        "", description="mine: made to my department; given: of resources I answer for."
    )


def _resource(code: str) -> DataResource:
    found = DataResource.objects.select_related("department__region").filter(code=code).first()
    if found is None:
        raise InvalidInput(fields={"resource": "No resource has this code."})
    return found


@router.post("/sharing-requests", response=RequestOut, summary="Apply for a resource's fields")
def apply(request: HttpRequest, payload: ApplyIn) -> Any:
    return sharing.apply(
        actor=request.user,
        resource=_resource(payload.resource),
        purpose=payload.purpose,
        legal_basis=payload.legal_basis,
        fields=payload.fields,
        period_days=payload.period_days,
    )


@router.get("/sharing-requests", response=list[RequestOut], summary="Sharing requests")
@paginate(LimitOffsetPagination)
def list_requests(request: HttpRequest, filters: Query[RequestFilters]) -> Any:
    authorize(request.user, "data.resource.view")
    found = {
        "": sharing.requests_for,
        "mine": sharing.my_requests,
        "incoming": sharing.incoming_requests,
    }[filters.box](request.user)
    if filters.status:
        found = found.filter(status=filters.status)
    return found.select_related("resource__department")


@router.get("/sharing-requests/{request_id}", response=RequestOut, summary="A sharing request")
def request_detail(request: HttpRequest, request_id: int) -> Any:
    authorize(request.user, "data.resource.view")
    return sharing.request_of(request.user, request_id)


@router.post(
    "/sharing-requests/{request_id}/withdraw",
    response=RequestOut,
    summary="Withdraw a pending request",
)
def withdraw(request: HttpRequest, request_id: int, payload: ReasonIn) -> Any:
    found = sharing.request_of(request.user, request_id)
    return sharing.withdraw(actor=request.user, request=found, reason=payload.reason)


@router.get("/grants", response=list[GrantOut], summary="Grants")
@paginate(LimitOffsetPagination)
def list_grants(request: HttpRequest, filters: Query[GrantFilters]) -> Any:
    authorize(request.user, "data.resource.view")
    found = {
        "": sharing.grants_for,
        "mine": sharing.my_grants,
        "given": sharing.given_grants,
    }[filters.box](request.user)
    return found.select_related("resource__department")


@router.get("/grants/{grant_id}", response=GrantDetail, summary="A grant and its usage")
def grant_detail(request: HttpRequest, grant_id: int) -> Any:
    authorize(request.user, "data.resource.view")
    return sharing.grant_of(request.user, grant_id)


@router.post("/grants/{grant_id}/revoke", response=GrantDetail, summary="Revoke a grant")
def revoke(request: HttpRequest, grant_id: int, payload: ReasonIn) -> Any:
    found = sharing.grant_of(request.user, grant_id)
    return sharing.revoke(actor=request.user, grant=found, reason=payload.reason)
