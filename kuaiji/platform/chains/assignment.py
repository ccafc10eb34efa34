"""Lanes to people: a lane's `role@scope` becomes a candidate group in one unit.

The unit is found from the instance when the task is created: its grid, the region at a level
above its region (village, township, county, city), or a department (the task's `department`
data, as in a multi-instance task over departments, else the instance's responsible one). The
candidate group is written as a key, ``<role>@<kind>:<id>``, the same key a role grant of that
role on that unit gives its holder, so "my tasks" is one indexed lookup.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from kuaiji.platform.access.models import RoleGrant
from kuaiji.platform.access.scoping import actor_grants
from kuaiji.platform.access.services import has_permission
from kuaiji.platform.chains.definitions import STARTER, Assignment
from kuaiji.platform.chains.models import ChainInstance, WorkTask
from kuaiji.platform.core.errors import InvalidInput
from kuaiji.platform.directory.models import Department, Region


@dataclass(frozen=True)
class Unit:
    """A unit a candidate group lives in, with the paths that scope its tasks."""

    kind: str  # "region", "department" or "grid"
    pk: int
    label: str
    region_path: str
    department_path: str = ""


@dataclass(frozen=True)
class Resolved:
    """Who a new task goes to: a person, or a role within a unit."""

    unit: Unit
    role: str = ""
    assignee_id: int | None = None

    @property
    def candidate_key(self) -> str:
        return candidate_key(self.role, self.unit.kind, self.unit.pk) if self.role else ""


class Unresolvable(InvalidInput):
    """A lane's rule finds no unit for this instance (no grid, no department...)."""

    code = "lane_unresolvable"


def candidate_key(role: str, kind: str, pk: int) -> str:
    return f"{role}@{kind}:{pk}"


def grant_key(grant: RoleGrant) -> str:
    """The candidate key a grant answers to."""
    if grant.region_id is not None:
        return candidate_key(grant.role.code, "region", grant.region_id)
    if grant.department_id is not None:
        return candidate_key(grant.role.code, "department", grant.department_id)
    return candidate_key(grant.role.code, "grid", grant.grid_id or 0)


def keys_of(actor: Any) -> list[str]:
    """Every candidate key the actor answers to, from their role grants."""
    if not getattr(actor, "is_authenticated", False) or actor.pk is None:
        return []
    return sorted({grant_key(grant) for grant in actor_grants(actor)})


def answers_for(actor: Any, task: WorkTask) -> bool:
    """Whether a task is the actor's to act on: one assigned to someone is theirs alone (a
    citizen rating their own report too); an unclaimed one is for the handlers holding its
    candidate group."""
    if task.assignee_id is not None:
        return bool(task.assignee_id == getattr(actor, "pk", None))
    return task.candidate_key in keys_of(actor) and has_permission(actor, "chains.task.handle")


def resolve(instance: ChainInstance, assignment: Assignment, data: dict[str, Any]) -> Resolved:
    """The person or the candidate group a lane's task goes to, for this instance."""
    anchor = _region_unit(instance.region)
    if assignment.scope == STARTER:
        return Resolved(unit=anchor, assignee_id=instance.starter_id)
    unit = _unit(instance, assignment.scope, data)
    return Resolved(unit=unit, role=assignment.role)


def _unit(instance: ChainInstance, scope: str, data: dict[str, Any]) -> Unit:
    if scope == "grid":
        if instance.grid is None:
            raise Unresolvable(_("This chain needs a grid, and the instance has none."))
        grid = instance.grid
        return Unit("grid", grid.pk, grid.name, grid.region.path)
    if scope == "department":
        return _department_unit(instance, data)
    region = _ancestor(instance.region, scope)
    return _region_unit(region)


def _region_unit(region: Region) -> Unit:
    return Unit("region", region.pk, region.name, region.path)


def _ancestor(region: Region, level: str) -> Region:
    if region.level == level:
        return region
    found = region.ancestors().filter(level=level).first()
    if found is None:
        raise Unresolvable(
            _("%(region)s lies in no region of level %(level)s.")
            % {"region": region.name, "level": level}
        )
    return found


def _department_unit(instance: ChainInstance, data: dict[str, Any]) -> Unit:
    code = data.get("department")
    if isinstance(code, str) and code:
        department = Department.objects.select_related("region").filter(code=code).first()
        if department is None:
            raise Unresolvable(_("No department has the code %(code)s.") % {"code": code})
    elif instance.department is not None:
        department = instance.department
    else:
        raise Unresolvable(_("This chain needs a responsible department, and none is set."))
    return Unit(
        "department", department.pk, department.name, department.region.path, department.path
    )


def holders(keys: Iterable[str]) -> QuerySet[Any]:
    """The active people who answer to any of the candidate keys."""
    condition = Q(pk__in=[])
    for key in set(keys):
        role, _sep, target = key.partition("@")
        kind, _colon, pk = target.partition(":")
        if kind in ("region", "department", "grid") and pk.isdigit():
            condition |= Q(role__code=role, **{f"{kind}_id": int(pk)})
    users = RoleGrant.objects.filter(condition).values("user_id")
    return get_user_model().objects.filter(pk__in=users, is_active=True)
