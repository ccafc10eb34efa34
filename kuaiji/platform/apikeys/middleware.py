"""Logging every use of an API key once its answer is known.

The API's authentication runs before the endpoint, so it cannot know the status it will end
with; this middleware, placed just inside the request-id middleware, sees the final answer,
writes the one `ApiKeyUse` row and adds ``Retry-After`` to a 429 (the API's error format has
no way to carry headers).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from kuaiji.platform.apikeys.auth import pending_use
from kuaiji.platform.apikeys.services import record_use

Handler = Callable[[HttpRequest], HttpResponse]


class ApiKeyUseMiddleware:
    """Log the request's use of an API key, if it made one."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        use = pending_use(request)
        if use is not None:
            if response.status_code == 429 and use.retry_after:
                response["Retry-After"] = str(use.retry_after)
            record_use(key=use.key, request=request, status=response.status_code)
        return response
