"""A tiny, hand-made city for directory and access tests.

Two counties of a square city, each split into townships, villages and square grids:

    330600 city  lon 120.0–121.0, lat 30.0–30.5
      330602 county (west half)     330602001 township, 330602002 township
      330603 county (east half)     330603001 township
    every township has villages of equal strips, every village two grids side by side.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.hashers import make_password

from kuaiji.platform.access.models import Role, RoleGrant
from kuaiji.platform.access.services import grant_roles
from kuaiji.platform.access.standard_roles import load_standard_roles
from kuaiji.platform.core.actors import SYSTEM
from kuaiji.platform.directory import services
from kuaiji.platform.directory.models import Department, Grid, Region, Staff
from kuaiji.platform.directory.records import (
    DepartmentRecord,
    GridMemberRecord,
    GridRecord,
    RegionRecord,
    StaffRecord,
)
from kuaiji.platform.identity.models import User

PASSWORD = "A-long-test-password-1"

# township code -> (county code, west longitude, east longitude, number of villages)
TOWNSHIPS = {
    "330602001": ("330602", 120.0, 120.25, 2),
    "330602002": ("330602", 120.25, 120.5, 1),
    "330603001": ("330603", 120.5, 121.0, 1),
}
SOUTH, NORTH = 30.0, 30.5


def box(west: float, south: float, east: float, north: float) -> dict[str, Any]:
    """A rectangle as a GeoJSON Polygon."""
    return {
        "type": "Polygon",
        "coordinates": [
            [[west, south], [east, south], [east, north], [west, north], [west, south]]
        ],
    }


def region_records() -> list[RegionRecord]:
    records = [
        RegionRecord(
            code="330600", name="测试市", level="city", boundary=box(120, SOUTH, 121, NORTH)
        ),
        RegionRecord(
            code="330602",
            name="西区",
            level="county",
            parent_code="330600",
            boundary=box(120, SOUTH, 120.5, NORTH),
        ),
        RegionRecord(
            code="330603",
            name="东区",
            level="county",
            parent_code="330600",
            boundary=box(120.5, SOUTH, 121, NORTH),
        ),
    ]
    for code, (county, west, east, villages) in TOWNSHIPS.items():
        records.append(
            RegionRecord(
                code=code,
                name=f"{code[-3:]}街道",
                level="township",
                parent_code=county,
                boundary=box(west, SOUTH, east, NORTH),
            )
        )
        step = (NORTH - SOUTH) / villages
        for n in range(villages):
            records.append(
                RegionRecord(
                    code=f"{code}{n + 1:03d}",
                    name=f"{code[-3:]}-{n + 1}社区",
                    level="village",
                    parent_code=code,
                    boundary=box(west, SOUTH + n * step, east, SOUTH + (n + 1) * step),
                    is_real=False,
                )
            )
    return records


def grid_records() -> list[GridRecord]:
    grids = []
    for village in (r for r in region_records() if r.level == "village"):
        (west, south), (east, _s), (_e, north) = village.boundary["coordinates"][0][:3]  # type: ignore[index]
        middle = (west + east) / 2
        for n, (left, right) in enumerate([(west, middle), (middle, east)], start=1):
            grids.append(
                GridRecord(
                    code=f"{village.code}{n:03d}",
                    name=f"{village.name}第{n}网格",
                    region_code=village.code,
                    boundary=box(left, south, right, north),
                    households=100 * n,
                    population=260 * n,
                )
            )
    return grids


@dataclass
class TinyCity:
    """The tiny city's users, one per standard role, by role code."""

    users: dict[str, User]

    def grid(self, code: str) -> Grid:
        return Grid.objects.get(code=code)


def build_tiny_city() -> TinyCity:
    """Store the tiny city, staff with phones, and one user per standard role with its scope."""
    services.upsert_regions(actor=SYSTEM, records=region_records())
    departments = [
        DepartmentRecord(
            code="330600-DSJ",
            name="市大数据局",
            level="city",
            kind="functional",
            region_code="330600",
        ),
        DepartmentRecord(
            code="330602-SCJ",
            name="西区市场监管局",
            level="county",
            kind="functional",
            region_code="330602",
        ),
        DepartmentRecord(
            code="330603-SCJ",
            name="东区市场监管局",
            level="county",
            kind="functional",
            region_code="330603",
        ),
    ]
    for township in TOWNSHIPS:
        departments.append(
            DepartmentRecord(
                code=f"{township}-OFFICE",
                name=f"{township}办事处",
                level="township",
                kind="township_office",
                region_code=township,
            )
        )
        departments.append(
            DepartmentRecord(
                code=f"{township}-P-SAFETY",
                name="平安法治平台",
                level="township",
                kind="platform",
                platform="safety_law",
                region_code=township,
                parent_code=f"{township}-OFFICE",
            )
        )
    services.upsert_departments(actor=SYSTEM, records=departments)
    services.upsert_grids(actor=SYSTEM, records=grid_records())
    staff = [
        StaffRecord(
            employee_no=f"E{n:03d}",
            name=f"员工{n}",
            department_code=department.code,
            title="科员",
            phone=f"1380000{n:04d}",
        )
        for n, department in enumerate(departments, start=1)
    ]
    services.upsert_staff(actor=SYSTEM, records=staff)
    services.upsert_grid_members(
        actor=SYSTEM,
        records=[
            GridMemberRecord(grid_code="330602001001001", employee_no="E004", role="full_time"),
            GridMemberRecord(grid_code="330603001001001", employee_no="E008", role="full_time"),
        ],
    )
    roles = load_standard_roles(actor=SYSTEM)
    scopes: dict[str, dict[str, Any]] = {
        "platform_admin": {"region": Region.objects.get(code="330600")},
        "directory_admin": {"region": Region.objects.get(code="330600")},
        "city_leader": {"region": Region.objects.get(code="330600")},
        "county_officer": {"region": Region.objects.get(code="330602")},
        "township_officer": {"region": Region.objects.get(code="330602001")},
        "department_officer": {"department": Department.objects.get(code="330602-SCJ")},
        "grid_head": {"region": Region.objects.get(code="330602001001")},
        "grid_worker": {"grid": Grid.objects.get(code="330602001001001")},
    }
    password = make_password(PASSWORD)
    users = {
        code: User.objects.create(username=f"u_{code}", password=password, is_staff=True)
        for code in scopes
    }
    grant_roles(
        actor=SYSTEM,
        grants=[
            RoleGrant(user=users[code], role=roles[code], **scope) for code, scope in scopes.items()
        ],
    )
    Staff.objects.filter(employee_no="E004").update(user=users["grid_worker"])
    return TinyCity(users=users)


def role(code: str) -> Role:
    return Role.objects.get(code=code)
