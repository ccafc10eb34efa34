"""The authorize endpoint: django-oauth-toolkit's consent view, kept to staff and audited.

The work front wraps it with its ``staff_required`` rule (sign in, staff only, second factor
first where the roles call for one; see ``kuaiji.config.urls``); the view checks the staff
rule again itself, so it is never open to citizens however it is mounted.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

from django.db import transaction
from django.http import HttpRequest, HttpResponseBase
from django.utils.translation import gettext_lazy as _
from oauth2_provider.exceptions import OAuthToolkitError
from oauth2_provider.views import AuthorizationView as BaseAuthorizationView
from oauthlib.oauth2 import InvalidRequestError

from kuaiji.platform.core.errors import Forbidden
from kuaiji.platform.identity.oidc.services import record_authorisation
from kuaiji.platform.identity.oidc.validator import may_use_single_sign_on

NOT_STAFF = _(
    "Only government staff can sign in to integrated applications with their account; "
    "single sign-on for citizens and enterprises is not available yet."
)


def _granted(uri: str | None) -> bool:
    """Whether an authorization response carries a code (rather than an error)."""
    if not uri:
        return False
    query = parse_qs(urlsplit(uri).query)
    return "code" in query and "error" not in query


class AuthorizationView(BaseAuthorizationView):  # type: ignore[misc]
    """Ask a signed-in staff member to let an application sign them in; record each grant."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated and not may_use_single_sign_on(request.user):
            raise Forbidden(NOT_STAFF)
        response: HttpResponseBase = super().dispatch(request, *args, **kwargs)
        return response

    def validate_authorization_request(
        self, request: HttpRequest
    ) -> tuple[list[str], dict[str, Any]]:
        """django-oauth-toolkit's checks, and PKCE with S256 before the consent page (it would
        otherwise refuse "plain" only after the person approved)."""
        checked: tuple[list[str], dict[str, Any]] = super().validate_authorization_request(request)
        credentials = checked[1]
        if credentials.get("code_challenge_method") != "S256":
            error = InvalidRequestError(
                description='PKCE with code_challenge_method "S256" is required.',
                state=credentials.get("state"),
            )
            raise OAuthToolkitError(error=error, redirect_uri=credentials.get("redirect_uri"))
        return checked

    def create_authorization_response(
        self, request: HttpRequest, scopes: str, credentials: dict[str, Any], allow: bool
    ) -> tuple[str, dict[str, str], str, int]:
        """Issue the code and record the authorisation in one transaction."""
        with transaction.atomic():
            result: tuple[str, dict[str, str], str, int] = super().create_authorization_response(
                request, scopes, credentials, allow
            )
            if allow and _granted(result[0]):
                record_authorisation(
                    actor=request.user, client_id=str(credentials["client_id"]), scopes=scopes
                )
        return result
