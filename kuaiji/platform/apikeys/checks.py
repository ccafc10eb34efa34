"""System check: uses of API keys are logged only if the middleware is installed."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register

MIDDLEWARE = "kuaiji.platform.apikeys.middleware.ApiKeyUseMiddleware"


@register()
def use_log_middleware(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """Refuse to run without the middleware that logs every use of a key."""
    if MIDDLEWARE in settings.MIDDLEWARE:
        return []
    return [
        Error(
            "API key uses would not be logged.",
            hint=f"Add {MIDDLEWARE!r} to MIDDLEWARE, after the request-id middleware.",
            id="apikeys.E001",
        )
    ]
