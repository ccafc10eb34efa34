"""How API callers authenticate: the browser session, with the second factor proven where the
caller's roles require one (the same rule as the staff fronts), or an OAuth2/OpenID Connect
access token our own provider issued (``Authorization: Bearer <token>``, `oidc_token_auth`)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from kuaiji.platform.identity.policy import is_verified, requires_second_factor


class VerifiedSession(SessionAuth):
    """Session authentication that refuses privileged sessions without a second factor."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        if user is not None and requires_second_factor(user) and not is_verified(user):
            return None
        return user


verified_session = VerifiedSession()


class OidcTokenAuth(HttpBearer):
    """``Authorization: Bearer <access token>`` issued by our OpenID Connect provider
    (django-oauth-toolkit): the caller is the token's user. API keys (``kj_…``) are left to
    `api_key_auth`; an unknown, expired or revoked token authenticates no one."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        from oauth2_provider.oauth2_backends import get_oauthlib_core

        if not token or token.startswith("kj_"):
            return None
        valid, oauth_request = get_oauthlib_core().verify_request(request, scopes=[])
        if not valid:
            return None
        user = getattr(oauth_request, "user", None)
        if user is None or not user.is_active:
            return None
        request.user = user
        return user


oidc_token_auth = OidcTokenAuth()
