"""Directory writes: validated records, idempotent upserts, paths, scopes."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from kuaiji.platform.core.actors import SYSTEM
from kuaiji.platform.core.errors import InvalidInput, NotFound
from kuaiji.platform.directory import services
from kuaiji.platform.directory.models import Department, Grid, Region
from kuaiji.platform.directory.records import (
    CitizenRecord,
    DepartmentRecord,
    EnterpriseRecord,
    GridRecord,
    RegionRecord,
    StaffRecord,
)
from tests.directory.city import TinyCity, box, grid_records, region_records

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ({"code": "33060", "level": "county", "parent_code": "330600"}, "pattern"),
        ({"code": "330602001", "level": "county", "parent_code": "330600"}, "6 digits"),
        ({"code": "330603001", "level": "township", "parent_code": "330602"}, "does not start"),
        ({"code": "330602", "level": "county"}, "parent_code is required"),
        ({"code": "330600", "level": "city", "parent_code": "330000"}, "no parent"),
        ({"code": "330602", "level": "province", "parent_code": "330600"}, "level"),
    ],
)
def test_region_records_check_codes_and_levels(fields: dict[str, str], problem: str) -> None:
    with pytest.raises(ValidationError, match=problem):
        RegionRecord(name="某地", **fields)


def test_geometry_must_be_a_valid_polygon() -> None:
    bowtie = {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}
    with pytest.raises(ValidationError, match="invalid geometry"):
        GridRecord(code="G0001", name="x", region_code="330602001001", boundary=bowtie)
    with pytest.raises(ValidationError, match="Polygon"):
        GridRecord(
            code="G0001",
            name="x",
            region_code="330602001001",
            boundary={"type": "Point", "coordinates": [120, 30]},
        )
    with pytest.raises(ValidationError, match="longitude, latitude"):
        GridRecord(code="G0001", name="x", region_code="330602001001", boundary=box(300, 0, 301, 1))


def test_identifiers_are_checked() -> None:
    with pytest.raises(ValidationError, match="identity number"):
        CitizenRecord(name="张三", id_number="330602199001011230")
    assert (
        CitizenRecord(name="张三", id_number="330602199001011231 ").id_number
        == "330602199001011231"
    )
    with pytest.raises(ValidationError, match="credit code"):
        EnterpriseRecord(
            credit_code="91330602MA2BCDEF1A",
            name="x",
            legal_representative="y",
            industry_code="C17",
            region_code="330602",
            scale="small",
        )
    with pytest.raises(ValidationError, match="mobile"):
        StaffRecord(employee_no="E1", name="x", department_code="D", phone="12345")
    with pytest.raises(ValidationError, match="platform"):
        DepartmentRecord(
            code="X", name="x", level="township", kind="platform", region_code="330602001"
        )


def test_paths_and_tree_queries_take_one_query(
    city: TinyCity, django_assert_num_queries: object
) -> None:
    village = Region.objects.get(code="330602001002")
    assert village.path == "330600/330602/330602001/330602001002/"
    with django_assert_num_queries(1):  # type: ignore[operator]
        assert [r.code for r in village.ancestors()] == ["330600", "330602", "330602001"]
    county = Region.objects.get(code="330602")
    with django_assert_num_queries(1):  # type: ignore[operator]
        assert {r.code for r in county.descendants()} == {
            "330602001",
            "330602001001",
            "330602001002",
            "330602002",
            "330602002001",
        }
    platform = Department.objects.get(code="330602001-P-SAFETY")
    assert platform.path == "330602001-OFFICE/330602001-P-SAFETY/"


def test_upserts_are_idempotent(city: TinyCity) -> None:
    again = services.upsert_regions(actor=SYSTEM, records=region_records())
    assert (again.created, again.updated) == (0, 0)
    grids = services.upsert_grids(actor=SYSTEM, records=grid_records())
    assert (grids.created, grids.updated, grids.unchanged) == (0, 0, len(grid_records()))


def test_changes_are_applied_and_counted(city: TinyCity) -> None:
    records = grid_records()
    renamed = records[0].model_copy(update={"name": "新名称", "households": 999})
    report = services.upsert_grids(actor=SYSTEM, records=[renamed, *records[1:]])
    assert (report.created, report.updated) == (0, 1)
    assert Grid.objects.get(code=renamed.code).households == 999


def test_moving_a_department_moves_its_subtree(city: TinyCity) -> None:
    services.upsert_departments(
        actor=SYSTEM,
        records=[
            DepartmentRecord(
                code="330602001-OFFICE",
                name="办事处",
                level="township",
                kind="township_office",
                region_code="330602001",
                parent_code="330602-SCJ",
            ),
        ],
    )
    assert Department.objects.get(code="330602001-P-SAFETY").path == (
        "330602-SCJ/330602001-OFFICE/330602001-P-SAFETY/"
    )


def test_a_missing_reference_names_the_record_and_writes_nothing(city: TinyCity) -> None:
    before = Grid.objects.count()
    records = [
        *grid_records(),
        GridRecord(
            code="G-NEW-1",
            name="新网格",
            region_code="339999999001",
            boundary=box(120, 30, 120.1, 30.1),
        ),
    ]
    with pytest.raises(InvalidInput) as caught:
        services.upsert_grids(actor=SYSTEM, records=records)
    assert (
        f"Record {len(records)}" in caught.value.message or f"{len(records)}" in caught.value.fields
    )
    assert Grid.objects.count() == before


def test_a_region_cannot_hang_under_the_wrong_level(city: TinyCity) -> None:
    with pytest.raises(InvalidInput):
        services.upsert_regions(
            actor=SYSTEM,
            records=[
                RegionRecord(code="330699", name="新区", level="county", parent_code="330602")
            ],
        )


def test_writes_stay_within_the_actors_scope(city: TinyCity) -> None:
    officer = city.users["directory_admin"]
    services.upsert_grids(actor=officer, records=grid_records()[:1])
    county = city.users["county_officer"]
    with pytest.raises(Exception) as caught:
        services.upsert_grids(actor=county, records=grid_records()[:1])
    assert caught.type.__name__ == "Forbidden", "county officers may not edit grids at all"


def test_a_scoped_manager_cannot_touch_another_county(city: TinyCity) -> None:
    from kuaiji.platform.access.models import RoleGrant
    from kuaiji.platform.access.services import grant_roles

    manager = city.users["county_officer"]
    grant_roles(
        actor=SYSTEM,
        grants=[
            RoleGrant(
                user=manager,
                role_id=city_role("directory_admin"),
                region=Region.objects.get(code="330602"),
            )
        ],
    )
    east = [g for g in grid_records() if g.region_code.startswith("330603")]
    west = [g for g in grid_records() if g.region_code.startswith("330602")]
    services.upsert_grids(actor=manager, records=west)
    with pytest.raises(NotFound):
        services.upsert_grids(actor=manager, records=east)


def city_role(code: str) -> int:
    from kuaiji.platform.access.models import Role

    return Role.objects.get(code=code).pk
