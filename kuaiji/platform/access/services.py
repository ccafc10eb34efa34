"""The one authorisation check, and writes to roles and grants."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models, transaction

from kuaiji.platform.access.models import Role, RoleGrant
from kuaiji.platform.access.registry import permissions, unknown_codes
from kuaiji.platform.access.scoping import (
    ScopedQuerySet,
    forget_grants,
    grants_with,
    is_unrestricted,
)
from kuaiji.platform.core.errors import Forbidden, InvalidInput, NotFound

if TYPE_CHECKING:
    from kuaiji.platform.directory.models import Department, Grid, Region


def has_permission(actor: Any, code: str) -> bool:
    """Whether the actor holds `code` in any scope."""
    return is_unrestricted(actor) or bool(grants_with(actor, code))


def authorize(actor: Any, code: str, obj: models.Model | None = None) -> None:
    """Raise unless `actor` may do `code` (to `obj`, when given).

    Without an object, a missing permission is `Forbidden` (403). With an object, an object
    outside the actor's scope raises `NotFound`, exactly as a missing object would (404).
    """
    if code not in permissions():
        raise ValueError(f"undeclared permission code {code!r}")
    if obj is None:
        if not has_permission(actor, code):
            raise Forbidden()
        return
    queryset = type(obj)._default_manager.all()
    if not isinstance(queryset, ScopedQuerySet):
        raise TypeError(f"{type(obj).__name__} has no data scope")
    if not queryset.visible_to(actor, code).filter(pk=obj.pk).exists():
        raise NotFound()


@transaction.atomic
def save_role(
    *,
    actor: Any,
    code: str,
    name: str,
    name_en: str = "",
    permissions: list[str],
    description: str = "",
) -> Role:
    """Create or update a role; every code must be declared."""
    authorize(actor, "access.role.manage")
    unknown = unknown_codes(permissions)
    if unknown:
        raise InvalidInput(fields={"permissions": ", ".join(unknown)})
    role, _created = Role.objects.update_or_create(
        code=code,
        defaults={
            "name": name,
            "name_en": name_en,
            "permissions": sorted(set(permissions)),
            "description": description,
        },
    )
    return role


@transaction.atomic
def grant_role(
    *,
    actor: Any,
    user: Any,
    role: Role,
    region: Region | None = None,
    department: Department | None = None,
    grid: Grid | None = None,
) -> RoleGrant:
    """Give `role` to `user` within exactly one scope (idempotent)."""
    authorize(actor, "access.role.manage")
    if sum(scope is not None for scope in (region, department, grid)) != 1:
        raise InvalidInput(fields={"scope": "exactly one of region, department, grid"})
    authorize(actor, "access.role.manage", region or department or grid)
    grant, _created = RoleGrant.objects.get_or_create(
        user=user, role=role, region=region, department=department, grid=grid
    )
    forget_grants(user)
    return grant


@transaction.atomic
def grant_roles(*, actor: Any, grants: list[RoleGrant]) -> int:
    """Add many unsaved grants at once (the ones that already exist are skipped); returns how
    many were added. Used by imports and the demo loader."""
    authorize(actor, "access.role.manage")
    for grant in grants:
        if sum(x is not None for x in (grant.region_id, grant.department_id, grant.grid_id)) != 1:
            raise InvalidInput(fields={"scope": "exactly one of region, department, grid"})
        authorize(actor, "access.role.manage", grant.region or grant.department or grant.grid)
    existing = set(
        RoleGrant.objects.filter(user_id__in={g.user_id for g in grants}).values_list(
            "user_id", "role_id", "region_id", "department_id", "grid_id"
        )
    )
    new = {}
    for grant in grants:
        key = (grant.user_id, grant.role_id, grant.region_id, grant.department_id, grant.grid_id)
        if key not in existing:
            new[key] = grant
    RoleGrant.objects.bulk_create(list(new.values()), batch_size=500)
    for grant in new.values():
        forget_grants(grant.user)
    return len(new)
