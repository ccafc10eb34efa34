"""Errors reach people in the form they read: JSON under /api/, a page of the shell elsewhere."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from kuaiji.fronts.shell.views import error_page, wants_json
from kuaiji.platform.core.errors import KuaijiError
from kuaiji.platform.core.http_api import error_for_status, error_response

Handler = Callable[[HttpRequest], HttpResponse]


class ErrorFormatMiddleware:
    """Render typed errors raised by views, and keep every API error in the one format.

    Some answers under /api/ are produced below the API's own handlers (a 405 for a wrong
    method, for one); they are rewritten into ``{"error": {...}}`` here.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            wants_json(request)
            and response.status_code >= 400
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            message = _("This method is not allowed here.") if response.status_code == 405 else ""
            rewritten = error_response(
                error_for_status(response.status_code, message or response.reason_phrase)
            )
            if "Allow" in response:
                rewritten["Allow"] = response["Allow"]
            return rewritten
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, KuaijiError):
            return None
        if wants_json(request):
            return error_response(exception)
        return error_page(request, exception.status, str(exception.message))
