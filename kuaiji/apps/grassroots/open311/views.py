"""The Open311 GeoReport v2 endpoints.

Reading services and requests needs no key, as the specification has it (and nothing personal
is published); posting a request needs an `api_key` whose codes include
`grassroots.event.report`, within its owner's data scope. Bad input answers an Open311 error
list with the HTTP status as its code, never a 500.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from kuaiji.apps.grassroots import selectors, services
from kuaiji.apps.grassroots.models import CLOSED_STATUSES, Channel, Event, EventSource, Urgency
from kuaiji.apps.grassroots.open311 import documents
from kuaiji.apps.grassroots.open311.formats import error, respond
from kuaiji.apps.grassroots.triage import taxonomy
from kuaiji.platform.apikeys.auth import authenticate_key
from kuaiji.platform.core.errors import KuaijiError

DEFAULT_DAYS = 90
MAX_REQUESTS = 1000


def _requests(fmt: str, found: list[Event]) -> HttpResponse:
    listed = [documents.request(event) for event in found]
    return respond(fmt, listed, root="service_requests", item="request")


@require_GET
def services_list(request: HttpRequest, fmt: str) -> HttpResponse:
    return respond(fmt, documents.services(), root="services", item="service")


@require_GET
def service_definition(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    if code not in taxonomy.codes():
        return error(fmt, 404, f"service_code {code} not found")
    document = documents.definition(taxonomy.category(code))
    return respond(fmt, document, root="service_definition", item=None)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def requests(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _post_request(request, fmt)
    return _list_requests(request, fmt)


def _list_requests(request: HttpRequest, fmt: str) -> HttpResponse:
    query = request.GET
    found = Event.objects.select_related("department").order_by("-created_at", "-pk")
    ids = [part.strip() for part in query.get("service_request_id", "").split(",") if part.strip()]
    if ids:
        return _requests(fmt, list(found.filter(number__in=ids[:MAX_REQUESTS])))
    start, end = _moment(query.get("start_date")), _moment(query.get("end_date"))
    if "bad" in (start, end):
        return error(fmt, 400, "start_date and end_date are w3c datetimes")
    end_at = end if isinstance(end, datetime) else timezone.now()
    start_at = start if isinstance(start, datetime) else end_at - timedelta(days=DEFAULT_DAYS)
    found = found.filter(created_at__gte=start_at, created_at__lte=end_at)
    if codes := [code for code in query.get("service_code", "").split(",") if code]:
        found = found.filter(category__in=codes)
    status = query.get("status", "")
    if status == "open":
        found = found.exclude(status__in=CLOSED_STATUSES)
    elif status == "closed":
        found = found.filter(status__in=CLOSED_STATUSES)
    elif status:
        return error(fmt, 400, "status is open or closed")
    return _requests(fmt, list(found[:MAX_REQUESTS]))


def _moment(text: str | None) -> datetime | str | None:
    if not text:
        return None
    try:
        moment = parse_datetime(text)
    except ValueError:
        return "bad"
    if moment is None:
        return "bad"
    return moment if moment.tzinfo else timezone.make_aware(moment)


def _post_request(request: HttpRequest, fmt: str) -> HttpResponse:
    form = request.POST
    presented = form.get("api_key", "")
    if not presented:
        return error(fmt, 400, "api_key is required")
    try:
        actor = authenticate_key(request, presented)
    except KuaijiError as refused:
        return error(fmt, refused.status, str(refused.message))
    code = form.get("service_code", "")
    if code not in taxonomy.codes():
        return error(fmt, 404, f"service_code {code} not found")
    try:
        longitude = _coordinate(form.get("long"))
        latitude = _coordinate(form.get("lat"))
    except ValueError:
        return error(fmt, 400, "lat and long are decimal degrees")
    urgency = form.get(f"attribute[{documents.URGENCY_ATTRIBUTE}]", Urgency.NORMAL)
    name = " ".join(
        part for part in (form.get("last_name", ""), form.get("first_name", "")) if part
    )
    try:
        event = services.report_event(
            actor=actor,
            source=EventSource.CITIZEN,
            channel=Channel.OPEN311,
            description=form.get("description", ""),
            longitude=longitude,
            latitude=latitude,
            address=form.get("address_string", ""),
            category=code,
            urgency=urgency,
            reporter_name=name,
            reporter_phone=form.get("phone", ""),
        )
    except KuaijiError as refused:
        details = "; ".join(f"{field}: {text}" for field, text in refused.fields.items())
        return error(fmt, refused.status, details or str(refused.message))
    return respond(fmt, [documents.created(event)], root="service_requests", item="request")


def _coordinate(text: str | None) -> float | None:
    return float(text) if text not in (None, "") else None


@require_GET
def request_detail(request: HttpRequest, request_id: str, fmt: str) -> HttpResponse:
    found = Event.objects.select_related("department").filter(number=request_id).first()
    if found is None:
        return error(fmt, 404, f"service_request_id {request_id} not found")
    return _requests(fmt, [found])


@require_GET
def token(request: HttpRequest, token_id: str, fmt: str) -> HttpResponse:
    try:
        found = selectors.by_token(UUID(token_id))
    except ValueError:
        found = None
    if found is None:
        return error(fmt, 404, f"token {token_id} not found")
    document: list[dict[str, Any]] = [
        {"service_request_id": found.number, "token": str(found.token)}
    ]
    return respond(fmt, document, root="service_requests", item="request")
