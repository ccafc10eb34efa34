"""The one authorisation check, and writes to roles and grants."""

from __future__ import annotations

from collections.abc import Iterable
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
from kuaiji.platform.audit.services import Change, record_changes
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
    if obj is None:
        _declared(code)
        if not has_permission(actor, code):
            raise Forbidden()
        return
    authorize_ids(actor, code, type(obj), {obj.pk})


def _declared(code: str) -> None:
    if code not in permissions():
        raise ValueError(f"undeclared permission code {code!r}")


def authorize_ids(actor: Any, code: str, model: type[models.Model], pks: set[Any]) -> None:
    """Bulk `authorize` for rows of one model: NotFound unless the actor may do `code` to every
    one of them (one query; none for unrestricted actors)."""
    _declared(code)
    if is_unrestricted(actor) or not pks:
        return
    queryset = model._default_manager.all()
    if not isinstance(queryset, ScopedQuerySet):
        raise TypeError(f"{model.__name__} has no data scope")
    if queryset.visible_to(actor, code).filter(pk__in=pks).count() != len(pks):
        raise NotFound()


def authorize_all(actor: Any, code: str, objects: Iterable[models.Model]) -> None:
    """Bulk `authorize` for objects of any scoped models: one query per model."""
    by_model: dict[type[models.Model], set[Any]] = {}
    for obj in objects:
        by_model.setdefault(type(obj), set()).add(obj.pk)
    for model, pks in by_model.items():
        authorize_ids(actor, code, model, pks)


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
    grant, created = RoleGrant.objects.get_or_create(
        user=user, role=role, region=region, department=department, grid=grid
    )
    if created:
        record_changes([_grant_change(actor, grant)])
    forget_grants(user)
    return grant


def _grant_change(actor: Any, grant: RoleGrant) -> Change:
    scope = {"region": grant.region_id, "department": grant.department_id, "grid": grant.grid_id}
    changes = {"user": [None, grant.user_id], "role": [None, grant.role_id]}
    changes |= {name: [None, pk] for name, pk in scope.items() if pk is not None}
    return Change(
        actor=actor,
        action="access.rolegrant.create",
        changes=changes,
        object_type="access.rolegrant",
        object_id=str(grant.pk),
    )


@transaction.atomic
def grant_roles(*, actor: Any, grants: list[RoleGrant]) -> int:
    """Add many unsaved grants at once (the ones that already exist are skipped); returns how
    many were added. Used by imports and the demo loader.

    Every scope must lie within the actor's own scope for ``access.role.manage``; the check is
    one query per kind of scope.
    """
    authorize(actor, "access.role.manage")
    scopes: dict[type[models.Model], set[int]] = {}
    for grant in grants:
        ids = {"region": grant.region_id, "department": grant.department_id, "grid": grant.grid_id}
        given = [(name, pk) for name, pk in ids.items() if pk is not None]
        if len(given) != 1:
            raise InvalidInput(fields={"scope": "exactly one of region, department, grid"})
        model = RoleGrant._meta.get_field(given[0][0]).related_model
        scopes.setdefault(model, set()).add(given[0][1])  # type: ignore[arg-type]
    for model, pks in scopes.items():
        authorize_ids(actor, "access.role.manage", model, pks)
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
    created = RoleGrant.objects.bulk_create(list(new.values()), batch_size=500)
    record_changes(_grant_change(actor, grant) for grant in created)
    user_field = RoleGrant._meta.get_field("user")
    for grant in new.values():
        if user_field.is_cached(grant):  # only a user object held in memory has cached grants
            forget_grants(grant.user)
    return len(new)
