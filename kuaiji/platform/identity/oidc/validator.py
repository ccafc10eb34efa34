"""The django-oauth-toolkit validator: Kuaiji's claims, and tokens only for active staff."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from oauth2_provider.oauth2_validators import OAuth2Validator
from oauthlib.common import Request

from kuaiji.platform.identity.oidc import claims


def may_use_single_sign_on(user: Any) -> bool:
    """Whether the account may sign in to integrated applications (active staff only, for now;
    citizens' single sign-on comes later)."""
    return bool(user is not None and user.is_active and user.is_staff)


class KuaijiValidator(OAuth2Validator):  # type: ignore[misc]
    """Adds the profile and ``kuaiji`` claims, each only for the scope that releases it, and
    refuses codes and refresh tokens of accounts that are no longer active staff."""

    oidc_claim_scope = {**OAuth2Validator.oidc_claim_scope, **claims.CLAIM_SCOPES}

    def get_additional_claims(self) -> dict[str, Callable[[Request], Any]]:
        """Claims computed from the request's user (listed in the discovery document)."""
        return {
            "sub": lambda request: claims.subject(request.user),
            "name": lambda request: claims.display_name(request.user),
            "preferred_username": lambda request: str(request.user.username),
            "department": lambda request: claims.department(request.user),
            "roles": lambda request: claims.roles(request.user),
            "region_scope": lambda request: claims.region_scope(request.user),
        }

    def get_oidc_claims(self, token: Any, token_handler: Any, request: Request) -> dict[str, Any]:
        """The granted claims, leaving out those without a value (no department)."""
        granted = super().get_oidc_claims(token, token_handler, request)
        return {name: value for name, value in granted.items() if value is not None}

    def validate_code(
        self, client_id: str, code: str, client: Any, request: Request, *args: Any, **kwargs: Any
    ) -> bool:
        """A valid, unexpired code of a user who may still use single sign-on."""
        valid = super().validate_code(client_id, code, client, request, *args, **kwargs)
        return bool(valid and may_use_single_sign_on(request.user))

    def validate_refresh_token(
        self, refresh_token: str, client: Any, request: Request, *args: Any, **kwargs: Any
    ) -> bool:
        """A valid refresh token of a user who may still use single sign-on."""
        valid = super().validate_refresh_token(refresh_token, client, request, *args, **kwargs)
        return bool(valid and may_use_single_sign_on(request.user))
