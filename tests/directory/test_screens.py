"""The directory screens of the work front and the directory in the admin console.

Each screen shows only what the signed-in person's data scope allows, masks phones unless
their role shows them whole, and answers 404 for a region or grid outside the scope.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib import admin
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kuaiji.platform.access.models import Role, RoleGrant
from kuaiji.platform.access.services import grant_roles
from kuaiji.platform.access.standard_roles import load_standard_roles
from kuaiji.platform.core.actors import SYSTEM
from kuaiji.platform.directory import services
from kuaiji.platform.directory.models import (
    Citizen,
    Department,
    Enterprise,
    Grid,
    ReformBody,
    ReformMembership,
    Region,
    Staff,
)
from kuaiji.platform.directory.records import (
    DepartmentRecord,
    GridMemberRecord,
    GridRecord,
    RegionRecord,
    StaffRecord,
)
from kuaiji.platform.identity.models import User

pytestmark = pytest.mark.django_db

TREE = "/work/directory/"
MAP = "/work/directory/grids/map/"
GEOJSON = "/work/directory/grids/map/geojson/"
STAFF = "/work/directory/staff/"
PLATFORMS = {
    "party_building": "党建统领",
    "economy_ecology": "经济生态",
    "safety_law": "平安法治",
    "public_service": "公共服务",
}
TOWNSHIPS = {"330602001": "塔山街道", "330602002": "府山街道"}

# grid code -> (village code, west longitude, households, population)
GRIDS = {
    "TS-01": ("330602001001", 120.50, 320, 860),
    "TS-02": ("330602001001", 120.51, 280, 700),
    "CQ-01": ("330602001002", 120.52, 150, 410),
    "FS-01": ("330602002001", 120.53, 200, 520),
}
# employee number -> (name, department code, phone, grid code, grid role)
STAFF_MEMBERS = {
    "S001": ("王芳", "330602001-OFFICE", "13812345678", "TS-01", "head"),
    "S002": ("陈刚", "330602001-P-SAFETY_LAW", "13912345678", "TS-01", "full_time"),
    "S003": ("赵敏", "330602002-OFFICE", "13612345678", "FS-01", "full_time"),
    "S004": ("孙丽", "330602001-OFFICE", "13712345678", "TS-02", "part_time"),
}


def square(west: float, south: float = 30.0, side: float = 0.01) -> dict[str, Any]:
    """A small square as a GeoJSON Polygon."""
    east, north = west + side, south + side
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {"type": "Polygon", "coordinates": [ring]}


@dataclass
class Directory:
    """The tiny directory's users by role code."""

    users: dict[str, User]


def build_directory(password: str | None = None) -> Directory:
    """Store a tiny city through the services, and one user per role used by the screens."""
    services.upsert_regions(
        actor=SYSTEM,
        records=[
            RegionRecord(code="330600", name="绍兴市", level="city"),
            RegionRecord(code="330602", name="越城区", level="county", parent_code="330600"),
            RegionRecord(
                code="330602001",
                name="塔山街道",
                level="township",
                parent_code="330602",
                boundary=square(120.495, 29.995, 0.04),
            ),
            RegionRecord(code="330602002", name="府山街道", level="township", parent_code="330602"),
            RegionRecord(
                code="330602001001", name="塔山社区", level="village", parent_code="330602001"
            ),
            RegionRecord(
                code="330602001002", name="仓桥社区", level="village", parent_code="330602001"
            ),
            RegionRecord(
                code="330602002001", name="府山社区", level="village", parent_code="330602002"
            ),
        ],
    )
    departments = [
        DepartmentRecord(
            code="330602-GOV",
            name="越城区政府办",
            level="county",
            kind="functional",
            region_code="330602",
        )
    ]
    for township, township_name in TOWNSHIPS.items():
        office = f"{township}-OFFICE"
        departments.append(
            DepartmentRecord(
                code=office,
                name=f"{township_name}办事处",
                level="township",
                kind="township_office",
                region_code=township,
            )
        )
        departments.extend(
            DepartmentRecord(
                code=f"{township}-P-{platform.upper()}",
                name=f"{township_name}{label}平台",
                level="township",
                kind="platform",
                platform=platform,
                region_code=township,
                parent_code=office,
            )
            for platform, label in PLATFORMS.items()
        )
    services.upsert_departments(actor=SYSTEM, records=departments)
    services.upsert_grids(
        actor=SYSTEM,
        records=[
            GridRecord(
                code=code,
                name=f"{code}网格",
                region_code=village,
                boundary=square(west),
                households=households,
                population=population,
            )
            for code, (village, west, households, population) in GRIDS.items()
        ],
    )
    services.upsert_staff(
        actor=SYSTEM,
        records=[
            StaffRecord(
                employee_no=number,
                name=name,
                department_code=department,
                title="网格员",
                phone=phone,
            )
            for number, (name, department, phone, _grid, _role) in STAFF_MEMBERS.items()
        ],
    )
    services.upsert_grid_members(
        actor=SYSTEM,
        records=[
            GridMemberRecord(grid_code=grid, employee_no=number, role=role)
            for number, (_name, _department, _phone, grid, role) in STAFF_MEMBERS.items()
        ],
    )
    _reform_bodies()
    roles = load_standard_roles(actor=SYSTEM)
    scopes: dict[str, tuple[str, dict[str, Any]]] = {
        "county": ("county_officer", {"region": Region.objects.get(code="330602")}),
        "township": ("township_officer", {"region": Region.objects.get(code="330602001")}),
        "department": (
            "department_officer",
            {"department": Department.objects.get(code="330602001-OFFICE")},
        ),
        "grid": ("grid_worker", {"grid": Grid.objects.get(code="TS-01")}),
    }
    users = {
        name: User.objects.create_user(
            f"{name}_officer", password=password, is_staff=True, display_name=name
        )
        for name in scopes
    }
    grant_roles(
        actor=SYSTEM,
        grants=[
            RoleGrant(user=users[name], role=roles[role], **scope)
            for name, (role, scope) in scopes.items()
        ],
    )
    return Directory(users=users)


def _reform_bodies() -> None:
    """A city leading group and a township task force (there is no reform service yet)."""
    city = Region.objects.get(code="330600")
    township = Region.objects.get(code="330602001")
    group = ReformBody.objects.create(
        code="SX-LG", name="绍兴市改革领导小组", kind="leading_group", region=city
    )
    force = ReformBody.objects.create(
        code="TS-TF",
        name="塔山街道网格攻坚专班",
        kind="task_force",
        region=township,
        parent=group,
        head=Staff.objects.get(employee_no="S001"),
    )
    ReformMembership.objects.create(
        body=force, staff=Staff.objects.get(employee_no="S001"), role="组长"
    )
    ReformMembership.objects.create(
        body=force, staff=Staff.objects.get(employee_no="S002"), role="成员"
    )


@pytest.fixture
def directory(db: None) -> Directory:
    return build_directory()


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies["kuaiji_language"] = "en"
    return client


def _features(client: Client, region: str) -> dict[str, dict[str, Any]]:
    response = client.get(GEOJSON, {"region": region})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    collection = json.loads(response.content)
    assert collection["type"] == "FeatureCollection"
    return {
        feature["properties"]["code"]: feature
        for feature in collection["features"]
        if feature["properties"]["role"] == "grid"
    }


# Access to the screens ---------------------------------------------------------------------


def test_menu_lists_the_directory_screens(directory: Directory) -> None:
    page = _client(directory.users["grid"]).get("/work/").content.decode()
    nav = page[page.index('data-testid="front-nav"') :]
    for path, label in ((TREE, "Organisation"), (MAP, "Grid map"), (STAFF, "Staff lookup")):
        assert f'href="{path}"' in nav
        assert label in nav


@pytest.mark.parametrize(
    "path", [TREE, MAP, f"{GEOJSON}?region=330602001", "/work/directory/grids/TS-01/", STAFF]
)
def test_screens_need_a_staff_account(
    client: Client, citizen_user: User, directory: Directory, path: str
) -> None:
    assert client.get(path).status_code == 302
    client.force_login(citizen_user)
    assert client.get(path).status_code == 403


# Organisation tree -------------------------------------------------------------------------


def test_township_officer_sees_only_their_township_in_the_tree(directory: Directory) -> None:
    client = _client(directory.users["township"])
    page = client.get(TREE).content.decode()
    for visible in (
        "塔山街道",
        "塔山社区",
        "仓桥社区",
        "塔山街道办事处",
        "塔山街道平安法治平台",
    ):
        assert visible in page
    for hidden in ("府山街道", "府山社区", "府山街道办事处", "越城区", "绍兴市改革领导小组"):
        assert hidden not in page
    assert "3 grids" in page and "3 staff" in page, "counts of the township's subtree"
    assert "public services" in page, "the platforms are named"
    assert "塔山街道网格攻坚专班" in page and "王芳" in page and "陈刚" in page, "task force"
    assert client.get(f"{TREE}regions/330602002/children/").status_code == 404
    assert client.get(f"{TREE}regions/330602/children/").status_code == 404


def test_deeper_levels_load_when_opened(admin_user: User, directory: Directory) -> None:
    client = _client(admin_user)
    page = client.get(TREE).content.decode()
    tree = page[page.index('data-testid="org-tree"') : page.index('id="reform-bodies"')]
    assert "绍兴市" in tree and "越城区" in tree
    assert "塔山街道" not in tree, "townships load when their county is opened"
    assert 'hx-get="/work/directory/regions/330602/children/"' in page
    assert "绍兴市改革领导小组" in page and "塔山街道网格攻坚专班" in page
    townships = client.get(f"{TREE}regions/330602/children/").content.decode()
    assert "塔山街道" in townships and "府山街道" in townships
    assert "<html" not in townships
    assert "4 grids" in page, "the city counts every grid"


def _queries(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_tree_reads_a_fixed_number_of_queries(admin_user: User, directory: Directory) -> None:
    client = _client(admin_user)
    screens = (TREE, f"{TREE}regions/330602/children/", f"{TREE}regions/330602001/children/")
    before = [_queries(client, path) for path in screens]
    services.upsert_regions(
        actor=SYSTEM,
        records=[
            RegionRecord(
                code=f"330602001{n:03d}", name=f"新村{n}", level="village", parent_code="330602001"
            )
            for n in range(3, 9)
        ],
    )
    services.upsert_grids(
        actor=SYSTEM,
        records=[
            GridRecord(
                code=f"NEW-{n}",
                name=f"新村{n}网格",
                region_code=f"330602001{n:03d}",
                boundary=square(120.6 + n / 100),
            )
            for n in range(3, 9)
        ],
    )
    assert [_queries(client, path) for path in screens] == before
    assert before[0] <= 20  # the tree itself, plus session, second-factor and menu checks


# Grid map ----------------------------------------------------------------------------------


def test_map_geojson_has_only_the_officers_grids(directory: Directory) -> None:
    client = _client(directory.users["township"])
    page = client.get(MAP).content.decode()
    assert f'data-geojson="{GEOJSON}?region=330602001"' in page, "first visible township"
    assert "府山街道" not in page
    features = _features(client, "330602001")
    assert set(features) == {"TS-01", "TS-02", "CQ-01"}
    assert features["TS-01"]["geometry"]["type"] == "Polygon"
    assert features["TS-01"]["properties"]["url"] == "/work/directory/grids/TS-01/"
    outline = json.loads(client.get(GEOJSON, {"region": "330602001"}).content)["features"][0]
    assert outline["properties"] == {
        "role": "outline",
        "code": "330602001",
        "name": "塔山街道",
        "name_en": "",
        "level": "township",
    }
    assert set(_features(client, "330602001002")) == {"CQ-01"}, "one village"
    assert client.get(GEOJSON, {"region": "330602002"}).status_code == 404
    assert client.get(GEOJSON, {"region": "330602"}).status_code == 404
    assert client.get(MAP, {"region": "330602002"}).status_code == 404


@pytest.mark.parametrize(
    ("query", "status"),
    [({}, 400), ({"region": "33x"}, 400), ({"region": "330602"}, 400), ({"region": "330699"}, 404)],
)
def test_map_geojson_refuses_bad_areas(
    admin_user: User, directory: Directory, query: dict[str, str], status: int
) -> None:
    assert _client(admin_user).get(GEOJSON, query).status_code == status


def test_grid_detail_shows_figures_and_members(admin_user: User, directory: Directory) -> None:
    client = _client(admin_user)
    panel = client.get("/work/directory/grids/TS-01/", headers={"HX-Request": "true"})
    html = panel.content.decode()
    assert "<html" not in html
    for text in ("TS-01", "TS-01网格", "塔山社区", "塔山街道", "320", "860", "comprehensive grid"):
        assert text in html
    assert "王芳" in html and "grid head" in html and "陈刚" in html
    assert "13812345678" in html, "an unrestricted administrator sees whole phones"
    page = client.get("/work/directory/grids/TS-01/").content.decode()
    assert "<html" in page and f"{MAP}?region=330602001001" in page


def test_grid_detail_outside_the_scope_is_not_found(directory: Directory) -> None:
    client = _client(directory.users["township"])
    assert client.get("/work/directory/grids/TS-01/").status_code == 200
    assert client.get("/work/directory/grids/FS-01/").status_code == 404
    assert client.get("/work/directory/grids/NOPE-1/").status_code == 404


def test_grid_worker_sees_only_their_grid(directory: Directory) -> None:
    client = _client(directory.users["grid"])
    tree = client.get(TREE).content.decode()
    assert "塔山社区" in tree and "1 grid" in tree
    assert "仓桥社区" not in tree and "塔山街道" not in tree
    page = client.get(MAP).content.decode()
    assert f'data-geojson="{GEOJSON}?region=330602001001"' in page, "their village"
    assert set(_features(client, "330602001001")) == {"TS-01"}
    assert client.get(GEOJSON, {"region": "330602001"}).status_code == 404
    assert client.get("/work/directory/grids/TS-02/").status_code == 404
    panel = client.get("/work/directory/grids/TS-01/").content.decode()
    assert "王芳" in panel and "138****5678" in panel and "139****5678" in panel
    assert "13812345678" not in panel and "13912345678" not in panel


# Staff lookup ------------------------------------------------------------------------------


def test_staff_search_masks_phones(directory: Directory) -> None:
    client = _client(directory.users["department"])
    page = client.get(STAFF).content.decode()
    assert "王芳" in page and "138****5678" in page and "孙丽" in page
    assert "赵敏" not in page, "another township's office"
    for _name, _department, phone, _grid, _role in STAFF_MEMBERS.values():
        assert phone not in page
    results = client.get(STAFF, {"q": "王"}, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in results
    assert "王芳" in results and "孙丽" not in results and "138****5678" in results
    assert "13812345678" not in results


def test_staff_search_by_department_within_the_scope(directory: Directory) -> None:
    client = _client(directory.users["township"])
    page = client.get(STAFF, {"department": "330602001-P-SAFETY_LAW"}).content.decode()
    assert "陈刚" in page and "王芳" not in page
    assert "赵敏" not in client.get(STAFF, {"q": "赵"}).content.decode()
    assert "赵敏" not in client.get(STAFF, {"department": "330602002-OFFICE"}).content.decode()
    assert client.get(STAFF, {"q": "x" * 51}).status_code == 400
    assert client.get(STAFF, {"department": "no such/code"}).status_code == 400


# Admin console -----------------------------------------------------------------------------

MODELS = (Region, Department, Grid, Staff, ReformBody, Citizen, Enterprise, Role, RoleGrant)


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_admin_pages_open(admin_user: User, directory: Directory, model: type[Any]) -> None:
    assert model in admin.site._registry
    client = _client(admin_user)
    info = (model._meta.app_label, model._meta.model_name)
    assert client.get(reverse("admin:{}_{}_changelist".format(*info))).status_code == 200
    assert client.get(reverse("admin:{}_{}_add".format(*info))).status_code == 200
    first = model._default_manager.first()
    if first is not None:
        change = reverse("admin:{}_{}_change".format(*info), args=[first.pk])
        assert client.get(change).status_code == 200


def test_admin_lists_citizens_masked(admin_user: User, directory: Directory) -> None:
    Citizen.objects.create(
        name="李雷", id_number="11010519491231002X", phone="13512345678", address="越城区塔山路1号"
    )
    page = _client(admin_user).get(reverse("admin:directory_citizen_changelist")).content.decode()
    assert "110***********002X" in page and "135****5678" in page and "越城区塔山路****" in page
    assert "11010519491231002X" not in page and "13512345678" not in page


def _region_form(region: Region, **changes: str) -> dict[str, str]:
    data = {
        "name": region.name,
        "name_en": region.name_en,
        "level": region.level,
        "parent": str(region.parent_id or ""),
        "boundary": json.dumps(region.boundary) if region.boundary else "",
        "is_real": "on" if region.is_real else "",
    }
    return {**data, **changes}


def test_admin_moves_a_region_with_its_subtree(admin_user: User, directory: Directory) -> None:
    services.upsert_regions(
        actor=SYSTEM, records=[RegionRecord(code="330700", name="金华市", level="city")]
    )
    county = Region.objects.get(code="330602")
    other_city = Region.objects.get(code="330700")
    client = _client(admin_user)
    url = reverse("admin:directory_region_change", args=[county.pk])
    response = client.post(url, _region_form(county, parent=str(other_city.pk)))
    assert response.status_code == 302, response.content.decode()[:2000]
    village = Region.objects.get(code="330602001001")
    assert village.path == "330700/330602/330602001/330602001001/"
    assert Region.objects.get(code="330602").path == "330700/330602/"


def test_admin_region_form_reports_service_errors(admin_user: User, directory: Directory) -> None:
    client = _client(admin_user)
    city = Region.objects.get(code="330600")
    data = {"code": "330600001", "name": "新街道", "level": "township", "parent": str(city.pk)}
    response = client.post(reverse("admin:directory_region_add"), data)
    assert response.status_code == 200
    assert "cannot be placed under" in response.content.decode()
    assert not Region.objects.filter(code="330600001").exists()
    data = {"code": "330603", "name": "新区", "level": "county", "parent": str(city.pk)}
    assert client.post(reverse("admin:directory_region_add"), data).status_code == 302
    assert Region.objects.get(code="330603").path == "330600/330603/"


def test_admin_department_keeps_paths(admin_user: User, directory: Directory) -> None:
    office = Department.objects.get(code="330602001-OFFICE")
    data = {
        "code": "330602001-CENTRE",
        "name": "综合信息指挥室",
        "level": "township",
        "kind": "centre",
        "platform": "",
        "region": str(office.region_id),
        "parent": str(office.pk),
    }
    response = _client(admin_user).post(reverse("admin:directory_department_add"), data)
    assert response.status_code == 302
    assert Department.objects.get(code="330602001-CENTRE").path == f"{office.path}330602001-CENTRE/"


def test_admin_role_permissions_are_checked(admin_user: User, directory: Directory) -> None:
    client = _client(admin_user)
    page = client.get(reverse("admin:access_role_add")).content.decode()
    assert 'type="checkbox" name="permissions" value="directory.grid.view"' in page
    data = {"code": "viewer", "name": "查看员", "permissions": ["directory.grid.view", "nope.x"]}
    response = client.post(reverse("admin:access_role_add"), data)
    assert response.status_code == 200 and not Role.objects.filter(code="viewer").exists()
    data["permissions"] = ["directory.staff.view", "directory.grid.view"]
    assert client.post(reverse("admin:access_role_add"), data).status_code == 302
    assert Role.objects.get(code="viewer").permissions == [
        "directory.grid.view",
        "directory.staff.view",
    ]


def test_admin_grant_needs_exactly_one_scope(admin_user: User, directory: Directory) -> None:
    client = _client(admin_user)
    user = directory.users["grid"]
    role = Role.objects.get(code="grid_head")
    region = Region.objects.get(code="330602001001")
    grid = Grid.objects.get(code="TS-02")
    data = {"user": user.pk, "role": role.pk, "region": region.pk, "grid": grid.pk}
    response = client.post(reverse("admin:access_rolegrant_add"), data)
    assert response.status_code == 200
    assert "exactly one scope" in response.content.decode()
    del data["region"]
    assert client.post(reverse("admin:access_rolegrant_add"), data).status_code == 302
    assert RoleGrant.objects.filter(user=user, role=role, grid=grid).exists()
