"""Who calls the CKAN Action API.

CKAN clients send their key bare, in ``Authorization: kj_…`` or ``X-CKAN-API-Key: kj_…`` (the
`ckanapi` library sends both); ``Authorization: Bearer kj_…`` and ``X-API-Key`` work as on the
rest of the API. A valid key is checked like any other (revoked, expired, its own rate) and
logged as a use of the key; callers without one are anonymous.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from kuaiji.platform.access.services import has_permission
from kuaiji.platform.apikeys import tokens
from kuaiji.platform.apikeys.auth import authenticate_key, key_in_headers

CKAN_KEY_HEADER = "X-CKAN-API-Key"


@dataclass(frozen=True)
class Caller:
    """The caller of an action: anonymous (`actor` None) or the owner of a key, seen through
    it; `catalog` says whether it may read every resource's description."""

    actor: Any = None
    catalog: bool = False

    @property
    def user(self) -> Any:
        """The person to record as the caller (None for anonymous callers)."""
        return getattr(self.actor, "user", None)


ANONYMOUS = Caller()


def presented_key(request: HttpRequest) -> str | None:
    """The key a CKAN client presents, if any (see the module's doc)."""
    found = key_in_headers(request)
    if found:
        return found
    for header in (CKAN_KEY_HEADER, "Authorization"):
        value = request.headers.get(header, "").strip()
        if value.startswith(tokens.SCHEME):
            return value
    return None


def caller_of(request: HttpRequest) -> Caller:
    """The caller; raises the typed error of `authenticate_key` for a key that is refused."""
    presented = presented_key(request)
    if presented is None:
        return ANONYMOUS
    actor = authenticate_key(request, presented)
    return Caller(actor=actor, catalog=has_permission(actor, "data.resource.view"))
