"""Data scope: which rows of a model an actor may see, as one query filter.

A model opts in by giving its manager a `ScopedQuerySet` subclass with a `Scope` that says how
its rows reach a region path, and optionally a department path and a grid. A grant's scope then
becomes a filter: a region grant sees rows under that region, a department grant rows under that
department (or, for models without departments, under the department's region), a grid grant
the rows of that grid (or, without a grid link, under the grid's village or township).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Self, TypeVar

from django.db import models
from django.db.models import Q

if TYPE_CHECKING:
    from kuaiji.platform.access.models import RoleGrant

M = TypeVar("M", bound=models.Model)

NOTHING = Q(pk__in=[])
_CACHE_ATTRIBUTE = "_kuaiji_access_grants"


@dataclass(frozen=True)
class Scope:
    """Lookups from a model's rows to the paths and grid that scopes are matched against."""

    region_path: str
    department_path: str | None = None
    grid: str | None = None
    # A second, many-valued way to a region (e.g. staff through the grids they serve in):
    # region grants also reach rows linked to a region under them this way.
    linked_region_path: str | None = None


def actor_grants(actor: Any) -> list[RoleGrant]:
    """The actor's grants with their roles and scopes, loaded once per actor object."""
    from kuaiji.platform.access.models import RoleGrant

    cached: list[RoleGrant] | None = getattr(actor, _CACHE_ATTRIBUTE, None)
    if cached is None:
        cached = list(
            RoleGrant.objects.filter(user_id=actor.pk).select_related(
                "role", "region", "department__region", "grid__region"
            )
        )
        setattr(actor, _CACHE_ATTRIBUTE, cached)
    return cached


def forget_grants(actor: Any) -> None:
    """Drop the actor's cached grants (after they change)."""
    if hasattr(actor, _CACHE_ATTRIBUTE):
        delattr(actor, _CACHE_ATTRIBUTE)


def grants_with(actor: Any, code: str) -> list[RoleGrant]:
    """The actor's grants whose role includes `code`."""
    if not getattr(actor, "is_authenticated", False):
        return []
    return [grant for grant in actor_grants(actor) if code in grant.role.permissions]


def is_unrestricted(actor: Any) -> bool:
    """Platform superusers see everything."""
    return bool(getattr(actor, "is_authenticated", False) and actor.is_superuser)


def scope_filter(model: type[models.Model], scope: Scope, actor: Any, code: str) -> Q:
    """The filter selecting the rows of `model` that `actor` may see with permission `code`."""
    if is_unrestricted(actor):
        return Q()
    combined = NOTHING
    for grant in grants_with(actor, code):
        combined |= _grant_filter(model, scope, grant)
    return combined


def _under(model: type[models.Model], scope: Scope, path: str) -> Q:
    """Rows whose region lies under `path`, directly or through the linked region."""
    found = Q(**{f"{scope.region_path}__startswith": path})
    if scope.linked_region_path:
        linked = model._default_manager.filter(**{f"{scope.linked_region_path}__startswith": path})
        found |= Q(pk__in=linked.values("pk"))
    return found


def _grant_filter(model: type[models.Model], scope: Scope, grant: RoleGrant) -> Q:
    if grant.region is not None:
        return _under(model, scope, grant.region.path)
    if grant.department is not None:
        if scope.department_path:
            return Q(**{f"{scope.department_path}__startswith": grant.department.path})
        return _under(model, scope, grant.department.region.path)
    if grant.grid is not None:
        if scope.grid:
            rows = model._default_manager.filter(**{scope.grid: grant.grid.pk}).values("pk")
            return Q(pk__in=rows)
        return _under(model, scope, grant.grid.region.path)
    return NOTHING


class ScopedQuerySet(models.QuerySet[M]):
    """A queryset that can restrict itself to what an actor may see."""

    scope: ClassVar[Scope]
    view_permission: ClassVar[str]

    def visible_to(self, actor: Any, code: str | None = None) -> Self:
        """Rows the actor may see with `code` (by default the model's view permission)."""
        return self.filter(
            scope_filter(self.model, self.scope, actor, code or self.view_permission)
        )
