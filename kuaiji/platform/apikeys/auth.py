"""API-key authentication for the django-ninja API.

`api_key_auth` reads ``Authorization: Bearer kj_…`` or ``X-API-Key: kj_…``. With neither
header it steps aside (returns None), so a router declared with
``auth=[api_key_auth, verified_session]`` still serves browsers by their session. With a key,
it decides alone:

- unknown, malformed, revoked or expired keys, and keys of deactivated owners: 401;
- more requests this minute than the key's rate: 429 with ``Retry-After``;
- otherwise the caller is a `KeyActor` — the owner narrowed to the key's codes — set both as
  ``request.auth`` and ``request.user``, so endpoints need no change.

Every request that names an existing key, refused or not, is logged by
`kuaiji.platform.apikeys.middleware.ApiKeyUseMiddleware` once its status is known.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja.security import APIKeyHeader

from kuaiji.platform.apikeys import tokens
from kuaiji.platform.apikeys.actor import KeyActor
from kuaiji.platform.apikeys.models import ApiKey
from kuaiji.platform.core import ratelimit
from kuaiji.platform.core.errors import KuaijiError, NotAuthenticated

logger = logging.getLogger(__name__)

_PENDING_ATTRIBUTE = "_kuaiji_api_key_use"


class RateLimited(KuaijiError):
    """The key has made as many requests this minute as its rate allows."""

    status = 429
    code = "rate_limited"
    default_message = _("Too many requests with this API key; retry after the time given.")


@dataclass
class PendingUse:
    """A use of a key waiting for the answer's status to be logged."""

    key: ApiKey
    retry_after: int = 0


def pending_use(request: HttpRequest) -> PendingUse | None:
    """The use of a key this request made, if any."""
    found: PendingUse | None = getattr(request, _PENDING_ATTRIBUTE, None)
    return found


def find_key(presented: str) -> ApiKey | None:
    """The key `presented` is, with its owner (None for an unknown or malformed key)."""
    if not tokens.is_well_formed(presented):
        return None
    key = ApiKey.objects.select_related("owner").filter(prefix=tokens.prefix_of(presented)).first()
    if key is None or not tokens.matches(presented, key.secret_hash):
        return None
    return key


def authenticate_key(request: HttpRequest, presented: str) -> KeyActor:
    """The actor for a presented key, or the typed error that refuses it."""
    key = find_key(presented)
    if key is None:
        logger.warning("unknown API key %s presented", tokens.label(tokens.prefix_of(presented)))
        raise NotAuthenticated(_("The API key is not valid."))
    use = PendingUse(key=key)
    setattr(request, _PENDING_ATTRIBUTE, use)
    if key.revoked_at is not None:
        raise NotAuthenticated(_("This API key has been revoked."))
    if key.is_expired(timezone.now()):
        raise NotAuthenticated(_("This API key has expired."))
    if not key.owner.is_active:
        raise NotAuthenticated(_("The owner of this API key is no longer active."))
    verdict = ratelimit.hit(key.prefix, key.rate_per_minute)
    if not verdict.allowed:
        use.retry_after = verdict.retry_after
        raise RateLimited()
    actor = KeyActor(key.owner, key)
    request.user = actor  # type: ignore[assignment]
    return actor


def key_in_headers(request: HttpRequest) -> str | None:
    """The key a request presents in ``X-API-Key`` or ``Authorization: Bearer``."""
    header = request.headers.get(ApiKeyAuth.param_name, "").strip()
    if header:
        return header
    scheme, _space, token = request.headers.get("Authorization", "").partition(" ")
    token = token.strip()
    if scheme.lower() == "bearer" and token.startswith(tokens.SCHEME):
        return token
    return None


def names_live_key(presented: str | None) -> bool:
    """Whether `presented` is shaped like a key and names one that is not revoked (a cheap
    check, not an authentication: the key's own rate limit applies once it is verified)."""
    if not presented or not tokens.is_well_formed(presented):
        return False
    prefix = tokens.prefix_of(presented)
    return ApiKey.objects.filter(prefix=prefix, revoked_at__isnull=True).exists()


class ApiKeyAuth(APIKeyHeader):
    """``X-API-Key: kj_…`` or ``Authorization: Bearer kj_…`` (see the module's doc)."""

    param_name = "X-API-Key"

    def _get_key(self, request: HttpRequest) -> str | None:
        return key_in_headers(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if not key:
            return None
        return authenticate_key(request, key)


api_key_auth = ApiKeyAuth()
