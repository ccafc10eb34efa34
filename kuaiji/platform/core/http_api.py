"""The one HTTP API at /api/v1/: its error format and the routers apps contribute.

Each installed Kuaiji app may have an ``api`` module with a ninja ``router`` and a
``PREFIX``; `build_api` mounts them all, so apps never edit this file to add endpoints.
Every error, whatever raised it, is answered as
``{"error": {"code": ..., "message": ..., "fields": {...}}}``.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import DatabaseError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

import kuaiji
from kuaiji.platform.core.discovery import app_modules
from kuaiji.platform.core.errors import (
    Forbidden,
    InvalidInput,
    KuaijiError,
    NotAuthenticated,
    NotFound,
    Unavailable,
)

logger = logging.getLogger(__name__)

_HTTP_ERROR_CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    413: "too_large",
    429: "rate_limited",
}


def error_response(error: KuaijiError) -> JsonResponse:
    """The JSON answer for a typed error."""
    return JsonResponse(
        error.as_dict(), status=error.status, json_dumps_params={"ensure_ascii": False}
    )


def server_error_response() -> JsonResponse:
    """The JSON answer for a failure the code did not expect (details go to the log only)."""
    body = {
        "error": {
            "code": "server_error",
            "message": _("An unexpected error occurred; it has been logged."),
            "fields": {},
        }
    }
    return JsonResponse(body, status=500, json_dumps_params={"ensure_ascii": False})


def _field_name(location: Any) -> str:
    """`('body', 'payload', 'age')` -> `age`; `('query', 'limit')` -> `limit`."""
    parts = [str(part) for part in location]
    if len(parts) > 2 and parts[0] == "body":
        parts = parts[2:]  # drop the name of the schema parameter
    elif parts and parts[0] in ("body", "query", "path", "form", "header", "cookie"):
        parts = parts[1:]
    return ".".join(parts) or "request"


def _typed_error(request: HttpRequest, exc: Any) -> HttpResponse:
    return error_response(exc)


def _validation(request: HttpRequest, exc: Any) -> HttpResponse:
    fields = {_field_name(item.get("loc", ())): str(item.get("msg", "")) for item in exc.errors}
    return error_response(InvalidInput(fields=fields))


def error_for_status(status: int, message: str) -> KuaijiError:
    """A typed error for an HTTP status that some layer below the services produced."""
    error = KuaijiError(message, code=_HTTP_ERROR_CODES.get(status, "error"))
    error.status = status
    return error


def _http_error(request: HttpRequest, exc: Any) -> HttpResponse:
    return error_response(error_for_status(exc.status_code, str(exc.message)))


def _unexpected(request: HttpRequest, exc: Any) -> HttpResponse:
    if isinstance(exc, DatabaseError):
        logger.warning("database error on %s: %s", request.path, exc)
        return error_response(Unavailable())
    logger.exception("unexpected error on %s", request.path, exc_info=exc)
    return server_error_response()


def _mount_app_routers(api: NinjaAPI) -> None:
    for module in app_modules("api"):
        api.add_router(module.PREFIX, module.router)


def install_error_format(api: NinjaAPI) -> None:
    """Answer every error raised under `api` in the one error format."""
    api.add_exception_handler(KuaijiError, _typed_error)
    api.add_exception_handler(ValidationError, _validation)
    api.add_exception_handler(AuthenticationError, lambda r, e: error_response(NotAuthenticated()))
    api.add_exception_handler(HttpError, _http_error)
    api.add_exception_handler(Http404, lambda request, exc: error_response(NotFound()))
    api.add_exception_handler(PermissionDenied, lambda request, exc: error_response(Forbidden()))
    api.add_exception_handler(Exception, _unexpected)


def build_api() -> NinjaAPI:
    """Create the API, install the error format and mount every app's router."""
    api = NinjaAPI(
        title="Kuaiji API",
        version=kuaiji.__version__,
        description="The HTTP API of the Kuaiji digital-governance platform.",
        urls_namespace="api-v1",
        docs_url="/docs",
        openapi_url="/openapi.json",
    )
    install_error_format(api)
    _mount_app_routers(api)
    return api
