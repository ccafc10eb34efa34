"""Reads of the directory, already restricted to what the actor may see."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from os.path import commonprefix
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from kuaiji.platform.core.errors import NotFound
from kuaiji.platform.core.personal import PersonalKind, mask
from kuaiji.platform.directory.models import (
    Department,
    DepartmentKind,
    Grid,
    GridMember,
    GridRole,
    ReformBody,
    ReformBodyKind,
    ReformMembership,
    Region,
    RegionLevel,
    Staff,
    TownshipPlatform,
)

PERSONAL_DATA = "directory.personal_data.unmask"


def _path_of(model: type[Region] | type[Department], code: str) -> str:
    """The stored path of a region or department code; an unknown code matches nothing."""
    path = model.objects.filter(code=code).values_list("path", flat=True).first()
    return path or "\0"


def regions(actor: Any, *, parent_code: str = "", level: str = "") -> QuerySet[Region]:
    """Regions the actor may see, optionally the children of one region or of one level."""
    queryset = Region.objects.visible_to(actor).defer("boundary")
    if parent_code:
        queryset = queryset.filter(parent__code=parent_code)
    if level:
        queryset = queryset.filter(level=level)
    return queryset.select_related("parent")


def region(actor: Any, code: str) -> Region:
    """One region the actor may see (NotFound otherwise)."""
    found = Region.objects.visible_to(actor).filter(code=code).first()
    if found is None:
        raise NotFound()
    return found


def departments(actor: Any, *, region_code: str = "", kind: str = "") -> QuerySet[Department]:
    """Departments the actor may see, by region subtree and kind."""
    queryset = Department.objects.visible_to(actor).select_related("region", "parent")
    if region_code:
        queryset = queryset.filter(region__path__startswith=_path_of(Region, region_code))
    if kind:
        queryset = queryset.filter(kind=kind)
    return queryset


def grids(actor: Any, *, region_code: str = "", with_boundary: bool = True) -> QuerySet[Grid]:
    """Grids the actor may see, within one region subtree if given."""
    queryset = Grid.objects.visible_to(actor).select_related("region")
    if region_code:
        queryset = queryset.filter(region__path__startswith=_path_of(Region, region_code))
    if not with_boundary:
        queryset = queryset.defer("boundary")
    return queryset.annotate(member_count=Count("members"))


def grid(actor: Any, code: str) -> Grid:
    """One grid with its members (NotFound when missing or out of scope)."""
    members = GridMember.objects.select_related("staff__department").order_by("role", "staff__name")
    found = (
        Grid.objects.visible_to(actor)
        .select_related("region")
        .prefetch_related(Prefetch("members", queryset=members))
        .filter(code=code)
        .first()
    )
    if found is None:
        raise NotFound()
    return found


def unmasked_staff_ids(actor: Any, staff_ids: list[int]) -> set[int]:
    """Of these staff, the ones whose personal data the actor may see whole."""
    return set(
        Staff.objects.visible_to(actor, PERSONAL_DATA)
        .filter(pk__in=staff_ids)
        .values_list("pk", flat=True)
    )


@dataclass(frozen=True)
class StaffEntry:
    """A staff member as shown to an actor: the phone is masked unless the actor may see it."""

    employee_no: str
    name: str
    title: str
    department_code: str
    department_name: str
    phone: str
    phone_masked: bool


def staff(actor: Any, *, query: str = "", department_code: str = "", limit: int = 50) -> list[StaffEntry]:
    """Search staff the actor may see by name, employee number or position."""
    queryset = Staff.objects.visible_to(actor).select_related("department").filter(is_active=True)
    if query:
        queryset = queryset.filter(
            Q(name__contains=query) | Q(employee_no__iexact=query) | Q(title__contains=query)
        )
    if department_code:
        queryset = queryset.filter(department__path__startswith=_path_of(Department, department_code))
    rows = list(queryset.distinct()[:limit])
    unmasked = unmasked_staff_ids(actor, [row.pk for row in rows])
    return [
        StaffEntry(
            employee_no=row.employee_no,
            name=row.name,
            title=row.title,
            department_code=row.department.code,
            department_name=row.department.name,
            phone=row.phone if row.pk in unmasked else mask(PersonalKind.PHONE, row.phone),
            phone_masked=row.pk not in unmasked,
        )
        for row in rows
    ]
