"""The governed data API: a resource's rows as the caller may read them.

``GET /resources/{code}/rows`` takes CKAN-like parameters (``filters`` as a JSON object, ``q``,
``fields`` comma-separated, ``sort`` as "a asc, b desc", ``limit`` ≤ 1000, ``offset``) and a
``purpose``. Fields the caller may not read come back masked and are listed in ``masked``;
naming one of them in ``fields`` is refused. Every call is logged (and sealed in the audit
chain); each consumer department has a rate per minute (429 with Retry-After beyond it).
Callers authenticate with an API key, an access token of our OpenID Connect provider, or the
browser session.
"""

import json
from typing import Any

from django.conf import settings
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Query, Router, Schema
from pydantic import Field

from kuaiji.platform.access.services import has_permission
from kuaiji.platform.apikeys.auth import api_key_auth
from kuaiji.platform.core import ratelimit
from kuaiji.platform.core.errors import Forbidden, InvalidInput, KuaijiError, NotFound
from kuaiji.platform.core.http_api import error_response
from kuaiji.platform.data import access, calls
from kuaiji.platform.data.models import CallChannel, DataResource, ResourceField
from kuaiji.platform.data.rows import RowQuery, parse_sort, search
from kuaiji.platform.identity.api_auth import oidc_token_auth, verified_session

MAX_LIMIT = 1000

router = Router(tags=["data"], auth=[api_key_auth, oidc_token_auth, verified_session])


class DataRateLimited(KuaijiError):
    """The consumer department has made as many data API calls this minute as allowed."""

    status = 429
    code = "rate_limited"
    default_message = gettext_lazy(
        "Too many data API calls from your department; retry after the time given."
    )


class RowsFilters(Schema):
    """What to read: filters, text search, fields, sort, page and purpose."""

    filters: str = Field("", description='Equality filters as a JSON object: {"field": value}.')
    q: str = Field("", max_length=200, description="Text searched in readable text fields.")
    fields: str = Field("", description="Comma-separated field names; empty: every field.")
    sort: str = Field("", description='"field asc, other desc".')
    limit: int = Field(100, ge=0, le=MAX_LIMIT)
    offset: int = Field(0, ge=0)
    purpose: str = Field("", max_length=500, description="What the data is read for.")


class RowField(Schema):
    """A returned field: its type, classification level, and whether its values are masked."""

    name: str
    type: str
    level: int
    masked: bool


class RowsOut(Schema):
    """One page of a resource's rows."""

    resource: str
    data_version: int
    total: int
    fields: list[RowField]
    records: list[dict[str, Any]]
    masked: list[str]


def _filters(text: str) -> dict[str, Any]:
    if not text.strip():
        return {}
    try:
        value = json.loads(text)
    except ValueError:
        value = None
    if not isinstance(value, dict):
        raise InvalidInput(fields={"filters": _("Write the filters as a JSON object.")})
    return value


def _resource(code: str) -> DataResource:
    found = (
        DataResource.objects.select_related("department__region")
        .prefetch_related(Prefetch("fields", queryset=ResourceField.objects.order_by("position")))
        .filter(code=code)
        .first()
    )
    if found is None:
        raise NotFound()
    return found


def _bucket(actor: Any) -> str:
    department = access.department_of(actor, "data.rows.read") or access.department_of(
        actor, "data.resource.manage"
    )
    if department is not None:
        return f"data-api:department:{department.pk}"
    return f"data-api:user:{getattr(actor, 'pk', '')}"


def _rate_limited(actor: Any) -> HttpResponse | None:
    verdict = ratelimit.hit(_bucket(actor), settings.KUAIJI_DATA_API_RATE_PER_MINUTE)
    if verdict.allowed:
        return None
    response = error_response(DataRateLimited())
    response["Retry-After"] = str(verdict.retry_after)
    return response


@router.get(
    "/resources/{code}/rows",
    response={200: RowsOut},
    summary="Read a resource's rows (masked where you may not read)",
)
def read_rows(request: HttpRequest, code: str, params: Query[RowsFilters]) -> Any:
    actor = request.user
    if not (
        has_permission(actor, "data.rows.read") or has_permission(actor, "data.resource.manage")
    ):
        raise Forbidden()
    refused = _rate_limited(actor)
    if refused is not None:
        return refused
    resource = _resource(code)
    reading = access.reading(actor, resource)
    schema = list(resource.fields.all())
    requested = [name.strip() for name in params.fields.split(",") if name.strip()]
    selection = access.select(reading.readable, schema, requested)
    query = RowQuery(
        filters=_filters(params.filters),
        q=params.q,
        fields=selection.fields,
        sort=parse_sort(params.sort),
        limit=params.limit,
        offset=params.offset,
    )
    page = search(resource, query, readable=reading.readable)
    records = access.masked_records(page.records, selection.masked)
    calls.log_call(
        actor=actor,
        resource=resource,
        channel=CallChannel.API,
        fields=selection.fields,
        masked=selection.masked,
        rows=len(records),
        purpose=params.purpose,
        query={
            "filters": query.filters,
            "q": query.q,
            "sort": params.sort,
            "limit": query.limit,
            "offset": query.offset,
        },
        department=reading.department,
        grant=reading.grant,
    )
    hidden = set(selection.masked)
    return {
        "resource": resource.code,
        "data_version": resource.data_version,
        "total": page.total,
        "fields": [
            {
                "name": item.name,
                "type": item.type,
                "level": item.level,
                "masked": item.name in hidden,
            }
            for item in page.fields
        ],
        "records": records,
        "masked": selection.masked,
    }
