"""Reads of the directory, already restricted to what the actor may see."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from kuaiji.platform.audit.services import record
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
    return queryset.select_related("parent").defer("parent__boundary")


def region(actor: Any, code: str) -> Region:
    """One region the actor may see (NotFound otherwise)."""
    found = Region.objects.visible_to(actor).filter(code=code).first()
    if found is None:
        raise NotFound()
    return found


def departments(actor: Any, *, region_code: str = "", kind: str = "") -> QuerySet[Department]:
    """Departments the actor may see, by region subtree and kind."""
    queryset = (
        Department.objects.visible_to(actor)
        .select_related("region", "parent")
        .defer("region__boundary")
    )
    if region_code:
        queryset = queryset.filter(region__path__startswith=_path_of(Region, region_code))
    if kind:
        queryset = queryset.filter(kind=kind)
    return queryset


def grids(actor: Any, *, region_code: str = "", with_boundary: bool = True) -> QuerySet[Grid]:
    """Grids the actor may see, within one region subtree if given."""
    queryset = Grid.objects.visible_to(actor).select_related("region").defer("region__boundary")
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
    """Of these staff, the ones whose personal data the actor may see whole.

    Every reveal is itself audited: the caller shows these people's data unmasked.
    """
    revealed = set(
        Staff.objects.visible_to(actor, PERSONAL_DATA)
        .filter(pk__in=staff_ids)
        .values_list("pk", flat=True)
    )
    if revealed:
        record(
            actor=actor,
            action="directory.personal_data.view",
            object_type="directory.staff",
            object_id=",".join(str(pk) for pk in sorted(revealed))[:100],
            object_label=f"{len(revealed)}",
            changes={"staff": [None, sorted(revealed)]},
        )
    return revealed


def shown_phone(staff: Staff, unmasked: set[int]) -> str:
    """A staff member's phone as an actor sees it: whole if revealed to them, else masked."""
    return staff.phone if staff.pk in unmasked else mask(PersonalKind.PHONE, staff.phone)


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


def staff(
    actor: Any, *, query: str = "", department_code: str = "", limit: int = 50
) -> list[StaffEntry]:
    """Search staff the actor may see by name, employee number or position."""
    queryset = Staff.objects.visible_to(actor).select_related("department").filter(is_active=True)
    if query:
        queryset = queryset.filter(
            Q(name__contains=query) | Q(employee_no__iexact=query) | Q(title__contains=query)
        )
    if department_code:
        queryset = queryset.filter(
            department__path__startswith=_path_of(Department, department_code)
        )
    rows = list(queryset.distinct()[:limit])
    unmasked = unmasked_staff_ids(actor, [row.pk for row in rows])
    return [
        StaffEntry(
            employee_no=row.employee_no,
            name=row.name,
            title=row.title,
            department_code=row.department.code,
            department_name=row.department.name,
            phone=shown_phone(row, unmasked),
            phone_masked=row.pk not in unmasked,
        )
        for row in rows
    ]


# The organisation tree -------------------------------------------------------------------


@dataclass(frozen=True)
class DepartmentNode:
    """A department in the organisation tree, with the units below it in the same region."""

    code: str
    name: str
    kind: str
    kind_label: str
    platform_label: str
    children: tuple[DepartmentNode, ...] = ()


@dataclass(frozen=True)
class RegionNode:
    """A region in the organisation tree, with its departments and what lies below it.

    `grid_count` and `staff_count` cover the region's whole subtree as far as the actor may
    see it. `children` is None while not loaded (deeper levels are loaded on demand).
    """

    code: str
    name: str
    level: str
    level_label: str
    parent_code: str
    grid_count: int
    staff_count: int
    child_count: int
    departments: tuple[DepartmentNode, ...]
    children: tuple[RegionNode, ...] | None = None


def organisation_tree(actor: Any) -> list[RegionNode]:
    """The topmost regions the actor may see, each with the level below it loaded.

    A fixed number of queries whatever the size of the city; deeper levels come from
    `region_children`.
    """
    visible = Region.objects.visible_to(actor)
    roots = _region_nodes(actor, visible.filter(Q(parent__isnull=True) | ~Q(parent__in=visible)))
    below = _region_nodes(actor, visible.filter(parent__code__in=[root.code for root in roots]))
    by_parent: dict[str, list[RegionNode]] = defaultdict(list)
    for node in below:
        by_parent[node.parent_code].append(node)
    return [replace(root, children=tuple(by_parent[root.code])) for root in roots]


def region_children(actor: Any, code: str) -> list[RegionNode]:
    """The regions right below one the actor may see (NotFound when it may not see it)."""
    parent = region(actor, code)
    return _region_nodes(actor, Region.objects.visible_to(actor).filter(parent=parent))


def _region_nodes(actor: Any, queryset: QuerySet[Region]) -> list[RegionNode]:
    """Tree nodes for regions that do not contain one another (siblings, or the roots)."""
    rows = list(queryset.only("code", "name", "level", "path").order_by("code"))
    if not rows:
        return []
    by_path = {row.path: row for row in rows}
    prefix = _shared_path(list(by_path))
    grids = _count_by_node(
        by_path,
        Grid.objects.visible_to(actor).filter(region__path__startswith=prefix),
        "region__path",
    )
    staff = _count_by_node(
        by_path,
        Staff.objects.visible_to(actor).filter(
            is_active=True, department__region__path__startswith=prefix
        ),
        "department__region__path",
    )
    children = dict(
        Region.objects.visible_to(actor)
        .filter(parent__in=rows)
        .order_by()
        .values_list("parent_id")
        .annotate(count=Count("pk"))
    )
    departments = _department_forest(Department.objects.visible_to(actor).filter(region__in=rows))
    return [
        RegionNode(
            code=row.code,
            name=row.name,
            level=row.level,
            level_label=str(RegionLevel(row.level).label),
            parent_code=row.path.rstrip("/").rpartition("/")[0].rpartition("/")[2],
            grid_count=grids[row.path],
            staff_count=staff[row.path],
            child_count=children.get(row.pk, 0),
            departments=departments.get(row.pk, ()),
        )
        for row in rows
    ]


def _shared_path(paths: list[str]) -> str:
    """The longest path that every one of `paths` lies under ("" when there is none)."""
    shared: list[str] = []
    for codes in zip(*(path.strip("/").split("/") for path in paths), strict=False):
        if len(set(codes)) != 1:
            break
        shared.append(codes[0])
    return "".join(f"{code}/" for code in shared)


def _count_by_node(
    nodes: Iterable[str], queryset: QuerySet[Any], path_field: str
) -> dict[str, int]:
    """Count the rows of `queryset` under each node path (rows under no node are ignored)."""
    wanted = set(nodes)
    counts: dict[str, int] = defaultdict(int)
    grouped = queryset.order_by().values_list(path_field).annotate(count=Count("pk", distinct=True))
    for path, count in grouped:
        end = path.find("/")
        while end != -1:
            if path[: end + 1] in wanted:
                counts[path[: end + 1]] += count
                break
            end = path.find("/", end + 1)
    return counts


def _department_forest(queryset: QuerySet[Department]) -> dict[int, tuple[DepartmentNode, ...]]:
    """Departments by region id, each nested under its parent when both are in one region."""
    rows = list(queryset.only("code", "name", "kind", "platform", "region", "parent", "path"))
    region_of = {row.pk: row.region_id for row in rows}
    platforms = {value: order for order, value in enumerate(TownshipPlatform.values)}
    below: dict[int | None, list[Department]] = defaultdict(list)
    # Units in code order, then the four platforms in their usual order.
    for row in sorted(rows, key=lambda row: (platforms.get(row.platform, -1), row.code)):
        nested = row.parent_id is not None and region_of.get(row.parent_id) == row.region_id
        below[row.parent_id if nested else None].append(row)

    def build(row: Department) -> DepartmentNode:
        return DepartmentNode(
            code=row.code,
            name=row.name,
            kind=row.kind,
            kind_label=str(DepartmentKind(row.kind).label),
            platform_label=str(TownshipPlatform(row.platform).label) if row.platform else "",
            children=tuple(build(child) for child in below[row.pk]),
        )

    forest: dict[int, list[DepartmentNode]] = defaultdict(list)
    for row in below[None]:
        forest[row.region_id].append(build(row))
    return {region_id: tuple(nodes) for region_id, nodes in forest.items()}


# Reform bodies ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ReformSeat:
    """A member of a reform body, as listed with the body (no personal data)."""

    name: str
    role: str
    department_name: str


@dataclass(frozen=True)
class ReformBodyEntry:
    """A reform body with its head and members; `depth` is its depth below the top body."""

    code: str
    name: str
    kind: str
    kind_label: str
    region_name: str
    head_name: str
    depth: int
    members: tuple[ReformSeat, ...]


def reform_bodies(actor: Any) -> list[ReformBodyEntry]:
    """The reform bodies the actor may see, each followed by the bodies under it (two queries)."""
    seats = ReformMembership.objects.select_related("staff__department").order_by("pk")
    rows = list(
        ReformBody.objects.visible_to(actor)
        .select_related("region", "head")
        .defer("region__boundary")
        .prefetch_related(Prefetch("reformmembership_set", queryset=seats))
    )
    kinds = list(ReformBodyKind.values)
    ids = {row.pk for row in rows}
    below: dict[int | None, list[ReformBody]] = defaultdict(list)
    for row in sorted(rows, key=lambda row: (kinds.index(row.kind), row.code)):
        below[row.parent_id if row.parent_id in ids else None].append(row)
    entries: list[ReformBodyEntry] = []

    def visit(row: ReformBody, depth: int) -> None:
        entries.append(
            ReformBodyEntry(
                code=row.code,
                name=row.name,
                kind=row.kind,
                kind_label=str(ReformBodyKind(row.kind).label),
                region_name=row.region.name,
                head_name=row.head.name if row.head else "",
                depth=depth,
                members=tuple(
                    ReformSeat(seat.staff.name, seat.role, seat.staff.department.name)
                    for seat in row.reformmembership_set.all()
                ),
            )
        )
        for child in below[row.pk]:
            visit(child, depth + 1)

    for row in below[None]:
        visit(row, 0)
    return entries


# Grids on the map ------------------------------------------------------------------------


def map_regions(actor: Any) -> list[Region]:
    """The regions whose grids the map offers: the visible townships, or the visible villages
    for someone who sees no whole township (a grid worker)."""
    for level in (RegionLevel.TOWNSHIP, RegionLevel.VILLAGE):
        found = list(regions(actor, level=level))
        if found:
            return found
    return []


@dataclass(frozen=True)
class GridMemberEntry:
    """A grid member as shown to an actor: the phone is masked unless the actor may see it."""

    employee_no: str
    name: str
    role: str
    role_label: str
    title: str
    department_name: str
    phone: str
    phone_masked: bool


@dataclass(frozen=True)
class GridCard:
    """A grid with the village and township it lies in and its members."""

    grid: Grid
    village: Region | None
    township: Region | None
    members: tuple[GridMemberEntry, ...]


def grid_card(actor: Any, code: str) -> GridCard:
    """One grid, where it lies and its members with masked phones (NotFound when missing or
    out of scope)."""
    found = grid(actor, code)
    places = {row.level: row for row in found.region.ancestors().defer("boundary")}
    places[found.region.level] = found.region
    memberships = list(found.members.all())
    unmasked = unmasked_staff_ids(actor, [member.staff_id for member in memberships])
    members = tuple(
        GridMemberEntry(
            employee_no=member.staff.employee_no,
            name=member.staff.name,
            role=member.role,
            role_label=str(GridRole(member.role).label),
            title=member.staff.title,
            department_name=member.staff.department.name,
            phone=shown_phone(member.staff, unmasked),
            phone_masked=member.staff_id not in unmasked,
        )
        for member in memberships
    )
    return GridCard(
        grid=found,
        village=places.get(RegionLevel.VILLAGE),
        township=places.get(RegionLevel.TOWNSHIP),
        members=members,
    )
