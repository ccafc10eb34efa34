"""Every write to API keys: creating (the plaintext is returned once), revoking, logging a use.

Who may create a key — one rule:

- the actor must hold ``apikeys.key.manage`` (platform administrators; the CLI acts as the
  system), whoever the owner is; and
- every code the key lists must be held by the owner (else the key could never use it) AND by
  the actor (nobody hands out a power they do not hold). Superusers and the system hold all.

A key may be revoked by its owner (revoking only takes power away) or by a holder of
``apikeys.key.manage``. Creation and revocation are written to the audit log; uses are not
(they go to `ApiKeyUse`, one insert per request — see `record_use`).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from kuaiji.platform.access.registry import unknown_codes
from kuaiji.platform.access.services import authorize, has_permission
from kuaiji.platform.apikeys import tokens
from kuaiji.platform.apikeys.models import MAX_RATE, ApiKey, ApiKeyUse
from kuaiji.platform.audit.services import record
from kuaiji.platform.core.context import source_ip
from kuaiji.platform.core.errors import Conflict, InvalidInput

logger = logging.getLogger(__name__)

MANAGE = "apikeys.key.manage"
# `last_used_at` is refreshed at most this often, so most uses cost one insert only.
LAST_USED_RESOLUTION = timedelta(minutes=1)
MAX_NAME = 100


def _code_problem(*, actor: Any, owner: Any, codes: list[str]) -> str:
    """What is wrong with the codes a new key lists, or "" (see the module's doc)."""
    if not codes:
        return _("List at least one permission code.")
    unknown = unknown_codes(codes)
    if unknown:
        return _("Unknown permission codes: %(codes)s") % {"codes": ", ".join(unknown)}
    if owner is not None:
        lacking = [code for code in codes if not has_permission(owner, code)]
        if lacking:
            return _("The owner does not hold: %(codes)s") % {"codes": ", ".join(lacking)}
    lacking = [code for code in codes if not has_permission(actor, code)]
    if lacking:
        return _("You do not hold: %(codes)s") % {"codes": ", ".join(lacking)}
    return ""


def validate_new_key(
    *,
    actor: Any,
    owner: Any,
    name: str,
    permissions: list[str],
    rate_per_minute: int,
    expires_at: datetime | None = None,
) -> list[str]:
    """The codes the new key will list (sorted, without repeats); InvalidInput naming every
    field that breaks a rule. Used by `create_key` and by the admin's form."""
    problems = {}
    if not name.strip():
        problems["name"] = _("Give the key a name.")
    elif len(name.strip()) > MAX_NAME:
        problems["name"] = _("The name is too long.")
    if getattr(owner, "pk", None) is None or not owner.is_active:
        problems["owner"] = _("The owner must be an active user.")
        owner = None
    codes = sorted(set(permissions))
    code_problem = _code_problem(actor=actor, owner=owner, codes=codes)
    if code_problem:
        problems["permissions"] = code_problem
    if not 1 <= rate_per_minute <= MAX_RATE:
        problems["rate_per_minute"] = _("Between 1 and %(max)d requests per minute.") % {
            "max": MAX_RATE
        }
    if expires_at is not None and expires_at <= timezone.now():
        problems["expires_at"] = _("The expiry date must lie in the future.")
    if problems:
        raise InvalidInput(fields=problems)
    return codes


def _unused_prefix() -> tuple[str, str]:
    for _attempt in range(5):
        prefix, plaintext = tokens.generate()
        if not ApiKey.objects.filter(prefix=prefix).exists():
            return prefix, plaintext
    raise Conflict()  # pragma: no cover  (five collisions of 47-bit prefixes)


@transaction.atomic
def create_key(
    *,
    actor: Any,
    owner: Any,
    name: str,
    permissions: list[str],
    rate_per_minute: int,
    expires_at: datetime | None = None,
) -> tuple[ApiKey, str]:
    """Create a key acting for `owner`; returns it with its plaintext, which is shown to the
    caller once and stored nowhere (see the module's doc for who may)."""
    authorize(actor, MANAGE)
    codes = validate_new_key(
        actor=actor,
        owner=owner,
        name=name,
        permissions=permissions,
        rate_per_minute=rate_per_minute,
        expires_at=expires_at,
    )
    prefix, plaintext = _unused_prefix()
    key = ApiKey.objects.create(
        name=name.strip(),
        owner=owner,
        prefix=prefix,
        secret_hash=tokens.digest(plaintext),
        permissions=codes,
        rate_per_minute=rate_per_minute,
        expires_at=expires_at,
    )
    record(
        actor=actor,
        action="apikeys.key.create",
        obj=key,
        changes={
            "name": [None, key.name],
            "owner": [None, owner.pk],
            "prefix": [None, prefix],
            "permissions": [None, codes],
            "rate_per_minute": [None, rate_per_minute],
            "expires_at": [None, expires_at.isoformat() if expires_at else None],
        },
    )
    return key, plaintext


@transaction.atomic
def revoke_key(*, actor: Any, key: ApiKey) -> ApiKey:
    """Revoke a key at once (Conflict if it already is); its owner or a holder of
    ``apikeys.key.manage`` may."""
    is_owner = getattr(actor, "is_authenticated", False) and actor.pk == key.owner_id
    if not is_owner:
        authorize(actor, MANAGE)
    locked = ApiKey.objects.select_for_update().get(pk=key.pk)
    if locked.revoked_at is not None:
        raise Conflict(_("This API key is already revoked."))
    locked.revoked_at = timezone.now()
    locked.save(update_fields=["revoked_at"])
    record(
        actor=actor,
        action="apikeys.key.revoke",
        obj=locked,
        changes={"revoked_at": [None, locked.revoked_at.isoformat()]},
    )
    key.revoked_at = locked.revoked_at
    return key


def _address(request: HttpRequest) -> str | None:
    """The client's address as the use log stores it (None when unusable)."""
    try:
        value = ApiKeyUse._meta.get_field("source_ip").get_prep_value(source_ip(request))
    except ValidationError:
        return None
    return value if isinstance(value, str) and len(value) <= 39 else None


def record_use(*, key: ApiKey, request: HttpRequest, status: int) -> None:
    """Log one request made with `key`: one insert, plus a refresh of `last_used_at` at most
    once a minute. A failure to write is logged with every field and never breaks the answer."""
    now = timezone.now()
    use = ApiKeyUse(
        key_id=key.pk,
        at=now,
        method=(request.method or "")[:10],
        path=request.path[:300],
        status=status,
        source_ip=_address(request),
        request_id=str(getattr(request, "request_id", ""))[:64],
    )
    try:
        use.save(force_insert=True)
        if key.last_used_at is None or now - key.last_used_at >= LAST_USED_RESOLUTION:
            ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
            key.last_used_at = now
    except DatabaseError:
        logger.exception(
            "API key use not stored: key=%s at=%s %s %s status=%s ip=%s request=%s",
            key.label,
            now.isoformat(),
            use.method,
            use.path,
            status,
            use.source_ip,
            use.request_id,
        )
