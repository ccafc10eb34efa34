"""Writes to accounts."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import F

from kuaiji.platform.access.services import authorize
from kuaiji.platform.audit.services import record
from kuaiji.platform.core.errors import NotFound
from kuaiji.platform.identity.models import User


@transaction.atomic
def provision_account(
    *,
    actor: Any,
    username: str,
    display_name: str,
    password: str,
    is_staff: bool = False,
    is_superuser: bool = False,
) -> tuple[User, bool]:
    """Create the account if it does not exist yet; return it and whether it was created.

    An existing account is left as it is (its password included), so provisioning is
    idempotent. Granting accounts is role management: the actor needs access.role.manage
    (the platform itself, `SYSTEM`, does in set-up and the demo).
    """
    authorize(actor, "access.role.manage")
    user, created = User.objects.select_for_update().get_or_create(
        username=username,
        defaults={
            "display_name": display_name,
            "is_staff": is_staff or is_superuser,
            "is_superuser": is_superuser,
        },
    )
    if created:
        user.set_password(password)
        user.save(update_fields=["password"])
        changes: dict[str, list[Any]] = {
            "username": [None, username],
            "is_staff": [None, user.is_staff],
            "is_superuser": [None, user.is_superuser],
        }
        record(actor=actor, action="identity.user.create", obj=user, changes=changes)
    return user, created


@transaction.atomic
def sign_out_everywhere(*, actor: User, user: User) -> None:
    """End every session of `user` (their own, or by an administrator)."""
    if actor.pk != user.pk and not actor.is_superuser:
        raise NotFound()
    User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
    user.refresh_from_db(fields=["session_generation"])
    record(actor=actor, action="identity.user.sign_out_everywhere", obj=user, changes={})
