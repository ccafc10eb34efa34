"""Who a directive reaches: the chosen departments, regions and roles resolved into people.

* a department reaches its own active staff who have an account;
* a region reaches the staff of its people's government or township office (grid staff, who
  are hired by the township office, are reached through their roles instead);
* a role reaches the holders of a grant of that role whose scope lies within the issuer's own
  scope — and within the chosen regions, when regions are chosen too.

Every department and region chosen must lie within the issuer's scope for issuing directives;
the issuer is never one of the targets.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from kuaiji.apps.command.directives.common import ISSUE
from kuaiji.platform.access.models import Role, RoleGrant
from kuaiji.platform.access.scoping import grants_with, is_unrestricted
from kuaiji.platform.core.errors import Forbidden, InvalidInput
from kuaiji.platform.directory.models import (
    Department,
    DepartmentKind,
    GridMember,
    Region,
    Staff,
)

OFFICE_KINDS = (DepartmentKind.GOVERNMENT, DepartmentKind.TOWNSHIP_OFFICE)


@dataclass(frozen=True)
class Recipient:
    """A person a directive reaches, the unit they answer for and its region."""

    user: Any
    department: Department | None
    region: Region | None


@dataclass(frozen=True)
class Reach:
    """Where an issuer may send directives: region subtrees and department subtrees (an
    unrestricted actor reaches everywhere)."""

    region_paths: tuple[str, ...]
    department_paths: tuple[str, ...]
    unrestricted: bool = False

    def covers(self, region_path: str, department_path: str = "") -> bool:
        if self.unrestricted:
            return True
        if any(region_path.startswith(path) for path in self.region_paths):
            return True
        return bool(department_path) and any(
            department_path.startswith(path) for path in self.department_paths
        )


def reach_of(actor: Any) -> Reach:
    """The issuer's reach, from their grants of `command.directive.issue`."""
    if is_unrestricted(actor):
        return Reach((), (), unrestricted=True)
    grants = grants_with(actor, ISSUE)
    if not grants:
        raise Forbidden()
    regions, departments = [], []
    for grant in grants:
        if grant.region is not None:
            regions.append(grant.region.path)
        elif grant.department is not None:
            departments.append(grant.department.path)
        elif grant.grid is not None:
            regions.append(grant.grid.region.path)
    return Reach(tuple(regions), tuple(departments))


def home_region(actor: Any) -> Region:
    """The widest region the issuer acts for (the city for an unrestricted actor)."""
    candidates: list[Region] = []
    for grant in grants_with(actor, ISSUE):
        if grant.region is not None:
            candidates.append(grant.region)
        elif grant.department is not None:
            candidates.append(grant.department.region)
        elif grant.grid is not None:
            candidates.append(grant.grid.region)
    if not candidates and is_unrestricted(actor):
        top = Region.objects.filter(parent__isnull=True).order_by("code").first()
        candidates = [top] if top is not None else []
    if not candidates:
        raise InvalidInput(fields={"region": _("You act for no region.")})
    return min(candidates, key=lambda region: (len(region.path), region.path))


def issuing_department(actor: Any) -> Department | None:
    """The unit the issuer works for (their staff record, else a department they act for)."""
    staff = Staff.objects.filter(user=actor, is_active=True).select_related("department").first()
    if staff is not None:
        return staff.department
    for grant in grants_with(actor, ISSUE):
        if grant.department is not None:
            return grant.department
    return None


def _outside(names: Iterable[str]) -> str:
    return _("Outside your scope: %(names)s.") % {"names": "、".join(sorted(names))}


def _refused(model: Any, actor: Any, chosen: Sequence[Any]) -> list[str]:
    """The names of the chosen rows outside the actor's scope for issuing."""
    allowed = set(
        model.objects.visible_to(actor, ISSUE)
        .filter(pk__in=[found.pk for found in chosen])
        .values_list("pk", flat=True)
    )
    return [found.name for found in chosen if found.pk not in allowed]


def check_scope(actor: Any, departments: Sequence[Department], regions: Sequence[Region]) -> None:
    """InvalidInput naming every chosen department and region outside the issuer's scope."""
    errors: dict[str, str] = {}
    for name, model, chosen in (
        ("departments", Department, departments),
        ("regions", Region, regions),
    ):
        refused = _refused(model, actor, chosen) if chosen else []
        if refused:
            errors[name] = _outside(refused)
    if errors:
        raise InvalidInput(fields=errors)


def _staff() -> Any:
    return Staff.objects.filter(
        is_active=True, user__isnull=False, user__is_active=True
    ).select_related("user", "department__region")


def _of_departments(departments: Sequence[Department]) -> list[Recipient]:
    if not departments:
        return []
    staff = _staff().filter(department__in=departments).order_by("department__path", "pk")
    return [Recipient(found.user, found.department, found.department.region) for found in staff]


def _of_regions(regions: Sequence[Region]) -> list[Recipient]:
    if not regions:
        return []
    in_grids = GridMember.objects.filter(staff=OuterRef("pk"))
    staff = (
        _staff()
        .filter(department__kind__in=OFFICE_KINDS, department__region__in=regions)
        .exclude(Exists(in_grids))
        .order_by("department__path", "pk")
    )
    return [Recipient(found.user, found.department, found.department.region) for found in staff]


def _grant_place(grant: RoleGrant) -> tuple[Region | None, str]:
    """The region of a grant's scope, and its department's path (if any)."""
    if grant.region is not None:
        return grant.region, ""
    if grant.department is not None:
        return grant.department.region, grant.department.path
    if grant.grid is not None:
        return grant.grid.region, ""
    return None, ""


def _of_roles(actor: Any, roles: Sequence[Role], regions: Sequence[Region]) -> list[Recipient]:
    if not roles:
        return []
    reach = reach_of(actor)
    chosen = [region.path for region in regions]
    grants = (
        RoleGrant.objects.filter(role__in=roles, user__is_active=True)
        .select_related("user", "region", "department__region", "grid__region")
        .order_by("pk")
    )
    found: list[tuple[RoleGrant, Region | None]] = []
    for grant in grants:
        region, department_path = _grant_place(grant)
        if region is None or not reach.covers(region.path, department_path):
            continue
        if chosen and not any(region.path.startswith(path) for path in chosen):
            continue
        found.append((grant, region))
    units = {
        staff.user_id: staff.department
        for staff in Staff.objects.filter(
            user_id__in={grant.user_id for grant, _region in found}, is_active=True
        ).select_related("department__region")
    }
    recipients = []
    for grant, region in found:
        unit = units.get(grant.user_id) or grant.department
        recipients.append(Recipient(grant.user, unit, unit.region if unit else region))
    return recipients


def resolve(
    actor: Any,
    *,
    departments: Sequence[Department],
    regions: Sequence[Region],
    roles: Sequence[Role],
) -> list[Recipient]:
    """Everyone the choice reaches, once each (by departments, then regions, then roles),
    without the issuer. Raises InvalidInput for a choice outside the issuer's scope."""
    check_scope(actor, departments, regions)
    people: dict[int, Recipient] = {}
    for recipient in (
        *_of_departments(departments),
        *_of_regions(regions),
        *_of_roles(actor, roles, regions),
    ):
        people.setdefault(recipient.user.pk, recipient)
    people.pop(getattr(actor, "pk", None), None)  # type: ignore[arg-type]
    return list(people.values())
