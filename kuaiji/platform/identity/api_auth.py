"""How API callers authenticate: the browser session, with the second factor proven where the
caller's roles require one (the same rule as the staff fronts)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import SessionAuth

from kuaiji.platform.identity.policy import is_verified, requires_second_factor


class VerifiedSession(SessionAuth):
    """Session authentication that refuses privileged sessions without a second factor."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        if user is not None and requires_second_factor(user) and not is_verified(user):
            return None
        return user


verified_session = VerifiedSession()
