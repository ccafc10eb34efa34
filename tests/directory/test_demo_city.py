"""The demo city generator (small size): real codes, tiling, valid identifiers, a worker in
every grid, every standard role granted, idempotent steps and a deterministic city."""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Iterable

import pytest
import shapely
from django.db.models import Count, Q
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from kuaiji.platform.access.models import RoleGrant
from kuaiji.platform.access.standard_roles import STANDARD_ROLES
from kuaiji.platform.core.actors import SYSTEM
from kuaiji.platform.core.errors import Forbidden, InvalidInput
from kuaiji.platform.directory.demo import ACCOUNTS, STEPS
from kuaiji.platform.directory.demo_city.reference import TOWNSHIPS_FILE
from kuaiji.platform.directory.demo_city.reform import build_reform_bodies
from kuaiji.platform.directory.demo_city.sizes import SIZES
from kuaiji.platform.directory.demo_city.territory import build_territory
from kuaiji.platform.directory.identifiers import clean_credit_code, clean_id_number
from kuaiji.platform.directory.models import (
    Citizen,
    Department,
    DepartmentKind,
    Enterprise,
    Grid,
    GridKind,
    GridMember,
    GridRole,
    ReformBody,
    ReformBodyKind,
    ReformMembership,
    Region,
    RegionLevel,
    Staff,
)
from kuaiji.platform.directory.reform_services import upsert_reform_bodies
from kuaiji.platform.identity.models import User

COUNTIES = {
    "330602": "越城区", "330603": "柯桥区", "330604": "上虞区",
    "330624": "新昌县", "330681": "诸暨市", "330683": "嵊州市",
}  # fmt: skip
MODELS = (
    Region,
    Department,
    Grid,
    Staff,
    GridMember,
    ReformBody,
    Citizen,
    Enterprise,
    User,
    RoleGrant,
)


@pytest.fixture
def summaries(db: None) -> list[str]:
    """Load the small demo city; the steps' one-line summaries."""
    return [step.run("small") for step in STEPS]


def _assert_tiled(whole: BaseGeometry, pieces: Iterable[BaseGeometry]) -> None:
    """The pieces cover the whole (to 0.1 %) and do not overlap."""
    pieces = list(pieces)
    union = shapely.union_all(pieces)
    assert union.symmetric_difference(whole).area <= 0.001 * whole.area
    assert sum(piece.area for piece in pieces) == pytest.approx(union.area, rel=1e-6)


def test_counties_and_townships_are_the_real_ones(summaries: list[str]) -> None:
    counties = Region.objects.filter(level=RegionLevel.COUNTY)
    assert dict(counties.values_list("code", "name")) == COUNTIES
    assert set(counties.values_list("name_en", flat=True)) == {
        "Yuecheng District",
        "Keqiao District",
        "Shangyu District",
        "Xinchang County",
        "Zhuji City",
        "Shengzhou City",
    }
    with TOWNSHIPS_FILE.open(encoding="utf-8", newline="") as rows:
        reference = list(csv.DictReader(rows))
    used = {
        (row["code"], row["name"])
        for county in COUNTIES
        for row in [row for row in reference if row["county_code"] == county][:3]
    }
    townships = Region.objects.filter(level=RegionLevel.TOWNSHIP)
    assert set(townships.values_list("code", "name")) == used
    assert Region.objects.get(level=RegionLevel.CITY).code == "330600"
    assert set(
        Region.objects.exclude(level=RegionLevel.VILLAGE).values_list("is_real", flat=True)
    ) == {True}
    villages = Region.objects.filter(level=RegionLevel.VILLAGE)
    assert villages.exists() and not villages.filter(is_real=True).exists()
    assert all(len(code) == 12 for code in villages.values_list("code", flat=True))


def test_townships_tile_their_county_and_grids_their_village(summaries: list[str]) -> None:
    boundaries = dict(Region.objects.values_list("code", "boundary"))
    for county in COUNTIES:
        townships = [
            b for code, b in boundaries.items() if len(code) == 9 and code.startswith(county)
        ]
        _assert_tiled(shape(boundaries[county]), map(shape, townships))
    grids: dict[str, list[BaseGeometry]] = {}
    for region_code, boundary in Grid.objects.values_list("region__code", "boundary"):
        grids.setdefault(region_code, []).append(shape(boundary))
    assert set(grids) == set(
        Region.objects.filter(level=RegionLevel.VILLAGE).values_list("code", flat=True)
    )
    for village, pieces in grids.items():
        _assert_tiled(shape(boundaries[village]), pieces)
    assert 250 <= sum(map(len, grids.values())) <= 350
    dedicated = Grid.objects.filter(kind=GridKind.DEDICATED)
    assert dedicated.exists() and not dedicated.filter(dedicated_to="").exists()


def test_identifiers_pass_their_checks(summaries: list[str]) -> None:
    for number in Citizen.objects.values_list("id_number", flat=True):
        assert clean_id_number(number) == number
    for code in Enterprise.objects.values_list("credit_code", flat=True):
        assert clean_credit_code(code) == code
    assert Citizen.objects.count() == 1_000
    assert Enterprise.objects.count() == 200


def test_units_workers_and_roles(summaries: list[str]) -> None:
    for township in Region.objects.filter(level=RegionLevel.TOWNSHIP):
        office = Department.objects.get(region=township, kind=DepartmentKind.TOWNSHIP_OFFICE)
        platforms = office.children.filter(kind=DepartmentKind.PLATFORM)
        assert len(set(platforms.values_list("platform", flat=True))) == 4
    centres = Department.objects.filter(kind=DepartmentKind.CENTRE, name__endswith="社会治理中心")
    assert set(centres.values_list("region__code", flat=True)) == set(COUNTIES)
    workers = Count("members", filter=Q(members__role=GridRole.FULL_TIME))
    assert not Grid.objects.annotate(workers=workers).filter(workers=0).exists()
    granted = set(RoleGrant.objects.values_list("role__code", flat=True))
    assert granted == {role.code for role in STANDARD_ROLES}
    assert {body.kind for body in ReformBody.objects.all()} == set(ReformBodyKind)
    assert not ReformBody.objects.filter(head__isnull=True).exists()


def test_key_accounts_sign_in_with_their_role(summaries: list[str]) -> None:
    roles = {
        "leader": ("city_leader", "330600"), "county": ("county_officer", "330602"),
        "township": ("township_officer", "330602001"),
        "gridworker": ("grid_worker", "330602001001"),
        "department": ("department_officer", "330602"),
        "diradmin": ("directory_admin", "330600"), "auditor": ("auditor", "330600"),
    }  # fmt: skip
    assert {account.username for account in ACCOUNTS} == set(roles)
    for username, (role, region) in roles.items():
        grant = RoleGrant.objects.get(user__username=username)
        assert grant.role.code == role
        scope = grant.region or (grant.department or grant.grid).region
        assert scope.path.startswith(Region.objects.get(code=region).path)
    assert User.objects.get(username="gridworker").check_password(ACCOUNTS[0].password)


def test_running_again_changes_nothing(summaries: list[str]) -> None:
    assert all(summary.endswith(" unchanged") for summary in summaries)
    counts = {model: model.objects.count() for model in MODELS}
    again = [step.run("small") for step in STEPS]
    assert all(summary.startswith("0 created, 0 updated, ") for summary in again), again
    assert {model: model.objects.count() for model in MODELS} == counts


def test_a_reform_body_record_states_its_members(summaries: list[str], staff_user: User) -> None:
    group = build_reform_bodies()[0]
    fewer = group.model_copy(update={"members": group.members[:2]})
    report = upsert_reform_bodies(actor=SYSTEM, records=[fewer])
    assert (report.created, report.updated, report.changed_keys) == (0, 1, [group.code])
    assert ReformMembership.objects.filter(body__code=group.code).count() == 2
    stranger = fewer.model_copy(update={"head_employee_no": "NOBODY"})
    with pytest.raises(InvalidInput, match="NOBODY"):
        upsert_reform_bodies(actor=SYSTEM, records=[stranger])
    with pytest.raises(Forbidden):
        upsert_reform_bodies(actor=staff_user, records=[group])


def test_the_same_seed_gives_the_same_city() -> None:
    def digest() -> str:
        territory = build_territory(SIZES["small"])
        grids = [(grid.code, grid.boundary) for grid in territory.grids]
        return hashlib.sha256(json.dumps(grids).encode()).hexdigest()

    assert digest() == digest()
