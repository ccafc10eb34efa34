"""Error pages: JSON under /api/, a page of the shell elsewhere."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from kuaiji.platform.core.errors import Forbidden, InvalidInput, NotFound
from kuaiji.platform.core.http_api import error_response, server_error_response


def wants_json(request: HttpRequest) -> bool:
    """Whether the caller is an API client (everything under /api/)."""
    return request.path.startswith("/api/")


def error_page(request: HttpRequest, status: int, message: str) -> HttpResponse:
    """The shell's error page with a status and a message for people."""
    return render(
        request, "shell/error.html", {"status": status, "message": message}, status=status
    )


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if wants_json(request):
        return error_response(InvalidInput(_("The request is malformed.")))
    return error_page(request, 400, _("The request is malformed."))


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if wants_json(request):
        return error_response(Forbidden())
    return error_page(request, 403, _("You are not allowed to open this page."))


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if wants_json(request):
        return error_response(NotFound())
    return error_page(request, 404, _("This page does not exist."))


def server_error(request: HttpRequest) -> HttpResponse:
    if wants_json(request):
        return server_error_response()
    # No template context processors here: the failure may lie in one of them.
    return HttpResponse(
        "<!DOCTYPE html><title>500</title><h1>500</h1><p>"
        + _("An unexpected error occurred; it has been logged.")
        + "</p>",
        status=500,
    )
