"""Error pages: JSON under /api/, a page of the shell elsewhere."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from kuaiji.platform.core.errors import Forbidden, InvalidInput, NotFound
from kuaiji.platform.core.http_api import error_response, server_error_response


def _wants_json(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def _page(request: HttpRequest, status: int, message: str) -> HttpResponse:
    return render(
        request, "shell/error.html", {"status": status, "message": message}, status=status
    )


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _wants_json(request):
        return error_response(InvalidInput(_("The request is malformed.")))
    return _page(request, 400, _("The request is malformed."))


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _wants_json(request):
        return error_response(Forbidden())
    return _page(request, 403, _("You are not allowed to open this page."))


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _wants_json(request):
        return error_response(NotFound())
    return _page(request, 404, _("This page does not exist."))


def server_error(request: HttpRequest) -> HttpResponse:
    if _wants_json(request):
        return server_error_response()
    # No template context processors here: the failure may lie in one of them.
    return HttpResponse(
        "<!DOCTYPE html><title>500</title><h1>500</h1><p>"
        + _("An unexpected error occurred; it has been logged.")
        + "</p>",
        status=500,
    )
