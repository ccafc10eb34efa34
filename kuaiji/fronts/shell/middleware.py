"""Errors reach people in the form they read: JSON under /api/, a page of the shell elsewhere."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from kuaiji.fronts.shell.views import error_page, wants_json
from kuaiji.platform.apikeys.auth import key_in_headers, names_live_key
from kuaiji.platform.core import ratelimit
from kuaiji.platform.core.context import source_ip
from kuaiji.platform.core.errors import KuaijiError
from kuaiji.platform.core.http_api import error_for_status, error_response
from kuaiji.platform.data.ckan.auth import presented_key as ckan_key

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


class AnonymousRateLimitMiddleware:
    """Per-address limits for callers who are not signed in: every request counts against
    KUAIJI_RATE_ANONYMOUS_PER_MINUTE, and form posts that sign in, register or obtain tokens
    also against the much lower KUAIJI_RATE_SENSITIVE_PER_MINUTE. Beyond them: 429 with
    Retry-After, as a page or in the API's error format."""

    SENSITIVE_PREFIXES = ("/work/login/", "/account/", "/o/token/", "/admin/login/")
    # Open311 clients send their key in the form of a posted request.
    FORM_KEY_PREFIXES = ("/open311/",)
    # CKAN clients send their key bare in Authorization or in X-CKAN-API-Key.
    CKAN_PREFIXES = ("/api/3/action/", "/api/action/")

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated or self._keyed(request):
            return self.get_response(request)
        address = source_ip(request) or "unknown"
        verdict = ratelimit.hit(f"anonymous:{address}", settings.KUAIJI_RATE_ANONYMOUS_PER_MINUTE)
        if (
            verdict.allowed
            and request.method == "POST"
            and request.path.startswith(self.SENSITIVE_PREFIXES)
        ):
            limit = settings.KUAIJI_RATE_SENSITIVE_PER_MINUTE
            verdict = ratelimit.hit(f"sensitive:{address}", limit)
        if verdict.allowed:
            return self.get_response(request)
        message = _("Too many requests from your address; try again in a minute.")
        response: HttpResponse
        if wants_json(request):
            response = error_response(error_for_status(429, message))
        else:
            response = error_page(request, 429, message)
        response["Retry-After"] = str(verdict.retry_after)
        return response

    def _keyed(self, request: HttpRequest) -> bool:
        """Machine clients presenting a live API key answer to the key's own rate instead."""
        presented = key_in_headers(request)
        if presented is None and request.path.startswith(self.CKAN_PREFIXES):
            presented = ckan_key(request)
        posted = request.method == "POST" and request.path.startswith(self.FORM_KEY_PREFIXES)
        if presented is None and posted:
            presented = request.POST.get("api_key")
        return names_live_key(presented)
