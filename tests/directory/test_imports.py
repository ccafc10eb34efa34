"""Directory imports: CSV (UTF-8, BOM, GB18030), XLSX and GeoJSON read; every bad row reported
with its line and reason; all-or-nothing imports; re-imports that change nothing; the CLI and
the work-front screens."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from django.test import Client
from django.test.utils import override_settings
from django.utils import translation
from openpyxl import Workbook

from kuaiji.cli import main
from kuaiji.platform.access.models import RoleGrant
from kuaiji.platform.access.standard_roles import load_standard_roles
from kuaiji.platform.core.actors import SYSTEM
from kuaiji.platform.core.errors import Forbidden
from kuaiji.platform.directory import services
from kuaiji.platform.directory.imports import (
    ImportFile,
    ImportRejected,
    ImportReport,
    UnreadableFile,
    apply,
    dry_run,
    stash,
)
from kuaiji.platform.directory.models import Department, Grid, GridMember, Region, Staff
from kuaiji.platform.directory.records import RegionRecord
from kuaiji.platform.identity.models import User

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures"
DEPARTMENT_ROWS: list[list[Any]] = [
    ["代码", "名称", "英文名称", "级别", "类型", "平台", "区划代码", "上级代码"],
    # a child before its parent: the order of rows does not matter
    [
        "330602001-P-SAFETY",
        "府山街道平安法治平台",
        "",
        "乡镇级",
        "平台",
        "平安法治",
        "330602001",
        "330602001-OFFICE",
    ],
    [
        "330602001-OFFICE",
        "府山街道办事处",
        "Fushan Office",
        "乡镇级",
        "乡镇（街道）",
        "",
        330602001,
        "",
    ],
    ["330602-SCJ", "越城区市场监管局", "", "区县级", "职能部门", "", 330602, ""],
]


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def media(tmp_path: Path) -> Iterator[Path]:
    with override_settings(MEDIA_ROOT=tmp_path / "media"):
        yield tmp_path / "media"


def fixture(name: str) -> ImportFile:
    return ImportFile.from_path(FIXTURES / name)


def xlsx(rows: list[list[Any]], name: str = "departments.xlsx") -> ImportFile:
    """A workbook with `rows` on its first sheet (and a second sheet that is ignored)."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    workbook.create_sheet("说明").append(["这张表不会被读取"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return ImportFile(name, buffer.getvalue())


def problems(report: ImportReport) -> list[tuple[int, str, str]]:
    return [(p.line, p.column, p.reason) for p in report.sorted_problems()]


def has_problem(report: ImportReport, line: int, column: str, words: str) -> bool:
    return any(p.line == line and p.column == column and words in p.reason for p in report.problems)


def load_regions() -> None:
    apply("regions", fixture("regions.csv"), actor=SYSTEM)


def load_city() -> None:
    """Regions, departments, grids and staff from the sample files."""
    load_regions()
    apply("departments", xlsx(DEPARTMENT_ROWS), actor=SYSTEM)
    apply("grids", fixture("grids.geojson"), actor=SYSTEM)
    apply("staff", fixture("staff.csv"), actor=SYSTEM)


# Reading files ------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_regions_csv_in_every_encoding_excel_saves(encoding: str) -> None:
    text = (FIXTURES / "regions.csv").read_text(encoding="utf-8")
    file = ImportFile("regions.csv", text.encode(encoding))
    report = dry_run("regions", file, actor=SYSTEM)
    assert problems(report) == []
    assert (report.rows, report.created, report.updated, report.unchanged) == (5, 5, 0, 0)
    assert Region.objects.count() == 0, "a dry run writes nothing"
    applied = apply("regions", file, actor=SYSTEM)
    assert applied.applied and applied.created == 5
    village = Region.objects.get(code="330602001002")
    assert (village.name, village.level, village.parent.code) == (
        "仓桥社区",
        "village",
        "330602001",
    )
    assert village.path == "330600/330602/330602001/330602001002/"


def test_semicolon_separated_csv_with_english_headers_and_blank_lines() -> None:
    file = ImportFile(
        "regions.csv",
        b"Code;Name;Level;Parent code\r\n\r\n"
        b"330600;Shaoxing;City;\r\n330602;Yuecheng;county;330600\r\n",
    )
    report = dry_run("regions", file, actor=SYSTEM)
    assert problems(report) == [] and report.created == 2


def test_departments_from_xlsx_with_chinese_headers_and_labels() -> None:
    load_regions()
    report = apply("departments", xlsx(DEPARTMENT_ROWS), actor=SYSTEM)
    assert (report.created, report.updated, report.unchanged) == (3, 0, 0)
    platform = Department.objects.get(code="330602001-P-SAFETY")
    assert (platform.kind, platform.platform, platform.level) == (
        "platform",
        "safety_law",
        "township",
    )
    assert platform.parent is not None and platform.parent.code == "330602001-OFFICE"
    assert platform.region.code == "330602001", "a number cell reads as the code typed"
    again = dry_run("departments", xlsx(DEPARTMENT_ROWS), actor=SYSTEM)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)


def test_grids_from_geojson_and_reimport_changes_nothing() -> None:
    load_regions()
    report = apply("grids", fixture("grids.geojson"), actor=SYSTEM)
    assert (report.created, report.problems) == (2, [])
    dedicated = Grid.objects.get(code="330602001002001")
    assert (dedicated.kind, dedicated.dedicated_to, dedicated.households) == (
        "dedicated",
        "历史街区",
        45,
    )
    assert dedicated.boundary["type"] == "MultiPolygon"
    stamps = dict(Grid.objects.values_list("code", "updated_at"))
    again = apply("grids", fixture("grids.geojson"), actor=SYSTEM)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert dict(Grid.objects.values_list("code", "updated_at")) == stamps


def test_staff_grid_members_and_grants_from_csv() -> None:
    load_city()
    load_standard_roles(actor=SYSTEM)
    wang = Staff.objects.get(employee_no="E0001")
    assert (wang.phone, wang.user.username if wang.user else None) == ("13800000001", "wangfang")
    assert Staff.objects.get(employee_no="E0002").user is None
    members = apply("grid_members", fixture("grid_members.csv"), actor=SYSTEM)
    assert members.created == 3
    assert GridMember.objects.filter(grid__code="330602001001001", role="head").count() == 1
    grants = apply("grants", fixture("grants.csv"), actor=SYSTEM)
    assert grants.created == 2
    assert RoleGrant.objects.filter(
        user__username="liuyang", department__code="330602-SCJ"
    ).exists()
    for kind, name in [
        ("staff", "staff.csv"),
        ("grid_members", "grid_members.csv"),
        ("grants", "grants.csv"),
    ]:
        again = apply(kind, fixture(name), actor=SYSTEM)
        assert (again.created, again.updated, again.problems) == (0, 0, []), kind
        assert again.unchanged == again.rows


def test_changed_rows_are_counted_as_updates() -> None:
    load_regions()
    text = (
        (FIXTURES / "regions.csv").read_text(encoding="utf-8").replace("仓桥社区", "仓桥直街社区")
    )
    report = apply("regions", ImportFile("regions.csv", text.encode()), actor=SYSTEM)
    assert (report.created, report.updated, report.unchanged) == (0, 1, 4)
    assert Region.objects.get(code="330602001002").name == "仓桥直街社区"


def test_columns_left_out_keep_their_stored_values() -> None:
    services.upsert_regions(
        actor=SYSTEM,
        records=[
            RegionRecord(
                code="330600",
                name="绍兴市",
                name_en="Shaoxing",
                level="city",
                boundary={
                    "type": "Polygon",
                    "coordinates": [[[120, 30], [121, 30], [121, 31], [120, 30]]],
                },
            )
        ],
    )
    file = ImportFile("regions.csv", "代码,名称,级别\n330600,绍兴市,城市\n".encode())
    report = apply("regions", file, actor=SYSTEM)
    assert (report.updated, report.unchanged) == (0, 1)
    city = Region.objects.get(code="330600")
    assert city.name_en == "Shaoxing" and city.boundary is not None


# Every bad row, with its line and reason -----------------------------------------------------


def test_every_bad_region_row_is_reported_with_line_and_reason() -> None:
    report = dry_run("regions", fixture("regions_bad.csv"), actor=SYSTEM)
    assert has_problem(report, 3, "code", "“33060” is not valid: 6 digits for a city")
    assert has_problem(report, 4, "", "a county code has 6 digits")
    assert has_problem(report, 5, "level", "“province” is not one of: city, county")
    assert has_problem(report, 6, "parent_code", "region 339900 is neither in the file nor stored")
    assert has_problem(report, 7, "code", "330600 is already on line 2")
    assert report.sorted_problems()[0].line == 3
    assert str(report.sorted_problems()[0]).startswith("line 3, column code: ")
    assert {p.line for p in report.problems} == {3, 4, 5, 6, 7}
    assert report.created == 1, "the good row is counted"


def test_header_problems_are_reported_on_line_one() -> None:
    file = ImportFile("regions.csv", "代码,名字,级别,备注\n330600,绍兴市,城市,x\n".encode())
    report = dry_run("regions", file, actor=SYSTEM)
    assert has_problem(report, 1, "名字", "unknown column")
    assert has_problem(report, 1, "备注", "unknown column")
    assert has_problem(report, 1, "", "required column name is missing")


def test_parent_of_the_wrong_level_and_a_stored_parent() -> None:
    load_regions()
    file = ImportFile(
        "regions.csv",
        "code,name,level,parent_code\n"
        "330602002,塔山街道,township,330602\n"
        "330602002001,某社区,village,330602002\n"
        "330603,上虞区,county,330602\n".encode(),
    )
    report = dry_run("regions", file, actor=SYSTEM)
    assert problems(report) == [(4, "parent_code", "a county cannot be placed under a county")]
    assert report.created == 2


def test_bad_staff_rows_do_not_repeat_phone_numbers() -> None:
    load_regions()
    apply("departments", xlsx(DEPARTMENT_ROWS), actor=SYSTEM)
    report = dry_run("staff", fixture("staff_bad.csv"), actor=SYSTEM)
    assert has_problem(report, 2, "phone", "not a mainland mobile number")
    assert not any("12345" in p.reason for p in report.problems)
    assert has_problem(report, 3, "department_code", "department 330699-NOWHERE is not stored")
    assert has_problem(report, 4, "employee_no", "E0001 is already on line 2")
    assert has_problem(report, 5, "employee_no", "“E 4” is not valid")
    assert has_problem(report, 5, "name", "a value is required")
    assert has_problem(report, 5, "username", "“bad name!” is not valid")


def test_bad_grid_features_are_reported_by_feature_number() -> None:
    load_regions()
    report = dry_run("grids", fixture("grids_bad.geojson"), actor=SYSTEM)
    assert has_problem(report, 2, "geometry", "invalid geometry: Self-intersection")
    assert has_problem(report, 3, "geometry", "a GeoJSON geometry is expected")
    assert has_problem(report, 4, "households", "must not be below 0")
    assert has_problem(report, 5, "geometry", "Polygon or MultiPolygon is expected")
    assert {p.line for p in report.problems} == {2, 3, 4, 5}
    report = dry_run(
        "grids",
        ImportFile(
            "g.geojson",
            (FIXTURES / "grids_bad.geojson")
            .read_bytes()
            .replace(b'"households": -3', b'"households": 3'),
        ),
        actor=SYSTEM,
    )
    assert has_problem(report, 4, "region_code", "region 330602009009 is not stored")


def test_grids_lie_in_villages_or_townships() -> None:
    load_regions()
    feature = json.loads((FIXTURES / "grids.geojson").read_text())["features"][0]
    feature["properties"]["区划代码"] = "330602"
    data = json.dumps({"type": "FeatureCollection", "features": [feature]}).encode()
    report = dry_run("grids", ImportFile("g.geojson", data), actor=SYSTEM)
    assert has_problem(report, 1, "区划代码", "a grid belongs to a village or a township")


def test_departments_in_a_cycle_are_refused() -> None:
    load_regions()
    rows = [
        ["code", "name", "level", "kind", "region_code", "parent_code"],
        ["A-1", "甲", "county", "functional", "330602", "A-2"],
        ["A-2", "乙", "county", "functional", "330602", "A-1"],
        ["A-3", "丙", "county", "functional", "330602", "A-9"],
    ]
    report = dry_run("departments", xlsx(rows), actor=SYSTEM)
    assert has_problem(report, 2, "parent_code", "cycle")
    assert has_problem(report, 3, "parent_code", "cycle")
    assert has_problem(report, 4, "parent_code", "department A-9 is neither in the file nor stored")


def test_references_to_missing_grids_staff_users_and_roles() -> None:
    load_city()
    load_standard_roles(actor=SYSTEM)
    members = ImportFile(
        "m.csv", b"grid_code,employee_no,role\nG-404,E404,boss\nG-404,E0001,head\n"
    )
    report = dry_run("grid-members", members, actor=SYSTEM)
    assert has_problem(report, 2, "role", "“boss” is not one of: head, full_time")
    assert has_problem(report, 3, "grid_code", "grid G-404 is not stored")
    grants = ImportFile(
        "g.csv", "用户名,角色代码,范围类型,范围代码\nnobody,no_role,区域,999999\n".encode()
    )
    report = dry_run("grants", grants, actor=SYSTEM)
    assert has_problem(report, 2, "用户名", "there is no account nobody")
    assert has_problem(report, 2, "角色代码", "there is no role no_role")
    assert has_problem(report, 2, "范围代码", "region 999999 is not stored")


# All or nothing --------------------------------------------------------------------------------


def test_a_file_with_one_bad_row_writes_nothing() -> None:
    with pytest.raises(ImportRejected) as caught:
        apply("regions", fixture("regions_bad.csv"), actor=SYSTEM)
    assert Region.objects.count() == 0
    assert caught.value.report.problems and not caught.value.report.applied
    assert "3:code" in caught.value.fields
    load_regions()
    before = list(Staff.objects.values_list("employee_no", flat=True))
    apply("departments", xlsx(DEPARTMENT_ROWS), actor=SYSTEM)
    with pytest.raises(ImportRejected):
        apply("staff", fixture("staff_bad.csv"), actor=SYSTEM)
    assert list(Staff.objects.values_list("employee_no", flat=True)) == before
    assert not User.objects.filter(username="wangfang").exists()


def test_importing_needs_the_import_permission() -> None:
    load_regions()
    roles = load_standard_roles(actor=SYSTEM)
    city = Region.objects.get(code="330600")
    leader = User.objects.create_user("leader", is_staff=True)
    RoleGrant.objects.create(user=leader, role=roles["city_leader"], region=city)
    with pytest.raises(Forbidden):
        dry_run("regions", fixture("regions.csv"), actor=leader)
    admin = User.objects.create_user("diradmin", is_staff=True)
    RoleGrant.objects.create(user=admin, role=roles["directory_admin"], region=city)
    assert dry_run("regions", fixture("regions.csv"), actor=admin).unchanged == 5
    with pytest.raises(Forbidden):
        dry_run("grants", fixture("grants.csv"), actor=admin)  # needs access.role.manage


def test_rows_outside_the_actors_area_are_refused() -> None:
    load_regions()
    roles = load_standard_roles(actor=SYSTEM)
    township_admin = User.objects.create_user("township", is_staff=True)
    RoleGrant.objects.create(
        user=township_admin,
        role=roles["directory_admin"],
        region=Region.objects.get(code="330602001"),
    )
    report = dry_run("regions", fixture("regions.csv"), actor=township_admin)
    assert problems(report) == [
        (2, "代码", "330600 is used by a record you may not change"),
        (3, "代码", "330602 is used by a record you may not change"),
    ]
    own = ImportFile(
        "r.csv",
        "代码,名称,级别,上级代码\n330602001003,新社区,村社区,330602001\n"
        "330602002,塔山街道,乡镇,330602\n".encode(),
    )
    report = dry_run("regions", own, actor=township_admin)
    assert problems(report) == [
        (3, "上级代码", "region 330602 is neither in the file nor stored"),
    ]


# Refused files ---------------------------------------------------------------------------------


def test_too_large_files_are_refused_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.csv"
    big.write_bytes(b"code,name\n" + b"x" * 3000)
    with (
        override_settings(KUAIJI_IMPORT_MAX_BYTES=2000),
        pytest.raises(UnreadableFile, match=r"at most 0\.0 MB"),
    ):
        ImportFile.from_path(big)


def zip_bomb() -> bytes:
    """A real workbook with a 300 MB sheet of blanks, packed to a few hundred kilobytes."""
    workbook = xlsx([["code", "name"], ["330600", "绍兴市"]]).data
    source = zipfile.ZipFile(io.BytesIO(workbook))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bomb:
        for member in source.infolist():
            if member.filename == "xl/worksheets/sheet1.xml":
                with bomb.open(member.filename, "w", force_zip64=True) as sheet:
                    chunk = b" " * (1024 * 1024)
                    for _ in range(300):
                        sheet.write(chunk)
            else:
                bomb.writestr(member, source.read(member.filename))
    return buffer.getvalue()


def test_a_zip_bomb_workbook_is_refused_unopened() -> None:
    bomb = zip_bomb()
    assert len(bomb) < 2 * 1024 * 1024
    with pytest.raises(UnreadableFile, match="zip bomb"):
        dry_run("regions", ImportFile("bomb.xlsx", bomb), actor=SYSTEM)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("broken.xlsx", b"PK\x03\x04 not really a zip", "cannot be read"),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, ".xls workbooks"),
        ("fake.xlsx", b"code,name\n", "not a workbook"),
        ("binary.csv", b"\xff\xfe\x00\x00\x81\x30\x81", "neither UTF-8 nor GB18030"),
        ("empty.csv", b"\n\n", "empty"),
        ("grids.csv", b"code,name\n", "GeoJSON"),
    ],
)
def test_malformed_files_get_a_clear_message(name: str, data: bytes, message: str) -> None:
    kind = "grids" if name == "grids.csv" else "regions"
    with pytest.raises(UnreadableFile, match=message):
        dry_run(kind, ImportFile(name, data), actor=SYSTEM)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"{not json", "not valid JSON"),
        (b'{"type": "Feature"}', "FeatureCollection is expected"),
        (b'{"features": ' + b"[" * 100000 + b"]" * 100000 + b"}", "not valid JSON"),
    ],
)
def test_malformed_geojson_gets_a_clear_message(data: bytes, message: str) -> None:
    with pytest.raises(UnreadableFile, match=message):
        dry_run("grids", ImportFile("grids.geojson", data), actor=SYSTEM)


def test_an_empty_feature_collection_is_no_problem() -> None:
    empty = ImportFile("grids.geojson", b'{"type": "FeatureCollection", "features": []}')
    report = apply("grids", empty, actor=SYSTEM)
    assert (report.rows, report.problems, report.applied) == (0, [], True)


# The command -----------------------------------------------------------------------------------


def test_command_dry_run_lists_every_bad_row_and_exits_1() -> None:
    result = CliRunner().invoke(
        main, ["import-directory", "regions", str(FIXTURES / "regions_bad.csv")]
    )
    assert result.exit_code == 1
    assert "line 3, column code: “33060” is not valid" in result.output
    assert "line 7, column code: 330600 is already on line 2" in result.output
    assert "nothing was imported" in result.output
    assert Region.objects.count() == 0


def test_command_checks_then_applies() -> None:
    path = str(FIXTURES / "regions.csv")
    checked = CliRunner().invoke(main, ["import-directory", "regions", path])
    assert checked.exit_code == 0, checked.output
    assert "5 created, 0 updated, 0 unchanged" in checked.output
    assert Region.objects.count() == 0
    applied = CliRunner().invoke(main, ["import-directory", "regions", path, "--apply"])
    assert applied.exit_code == 0, applied.output
    assert "Imported 5 row(s): 5 created" in applied.output
    assert Region.objects.count() == 5
    again = CliRunner().invoke(main, ["import-directory", "regions", path, "--apply"])
    assert "0 created, 0 updated, 5 unchanged" in again.output


def test_command_refuses_unreadable_files(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.xlsx"
    bomb.write_bytes(zip_bomb())
    result = CliRunner().invoke(main, ["import-directory", "grid-members", str(bomb)])
    assert result.exit_code == 1
    assert "zip bomb" in result.output


# The work-front screens ------------------------------------------------------------------------

UPLOAD = "/work/directory/import/"
APPLY = "/work/directory/import/apply/"


@pytest.fixture
def directory_admin(db: None) -> User:
    load_regions()
    roles = load_standard_roles(actor=SYSTEM)
    user = User.objects.create_user("diradmin", is_staff=True)
    RoleGrant.objects.create(
        user=user, role=roles["directory_admin"], region=Region.objects.get(code="330600")
    )
    return user


def upload(client: Client, kind: str, name: str, data: bytes) -> Any:
    file = io.BytesIO(data)
    file.name = name
    client.cookies["kuaiji_language"] = "en"
    return client.post(UPLOAD, {"kind": kind, "file": file})


def test_upload_report_confirm(client: Client, directory_admin: User, media: Path) -> None:
    client.force_login(directory_admin)
    client.cookies["kuaiji_language"] = "en"
    page = client.get(UPLOAD)
    assert page.status_code == 200
    assert "上级代码" in page.content.decode(), "the column reference lists Chinese headers"
    checked = upload(client, "grids", "grids.geojson", (FIXTURES / "grids.geojson").read_bytes())
    html = checked.content.decode()
    assert checked.status_code == 200 and 'data-testid="import-confirm"' in html
    token = checked.context["token"]
    assert checked.context["report"].created == 2
    assert Grid.objects.count() == 0
    done = client.post(APPLY, {"token": token}, follow=True)
    assert done.status_code == 200
    assert Grid.objects.count() == 2
    assert "grids.geojson imported: 2 rows, 2 created, 0 updated, 0 unchanged" in (
        done.content.decode()
    )
    assert not list((media / "imports").iterdir()), "the kept upload is deleted"
    twice = client.post(APPLY, {"token": token}, follow=True)
    assert "expired or was imported already" in twice.content.decode()


def test_upload_with_problems_shows_the_table_and_no_confirmation(
    client: Client, directory_admin: User
) -> None:
    client.force_login(directory_admin)
    client.cookies["kuaiji_language"] = "en"
    checked = upload(client, "regions", "r.csv", (FIXTURES / "regions_bad.csv").read_bytes())
    html = checked.content.decode()
    assert 'data-testid="import-problems"' in html
    assert 'data-testid="import-confirm"' not in html
    assert (
        "<td>6</td><td>parent_code</td><td>region 339900 is neither in the file nor stored" in html
    )


def test_confirmation_checks_the_kept_file_again(client: Client, directory_admin: User) -> None:
    client.force_login(directory_admin)
    client.cookies["kuaiji_language"] = "en"
    checked = upload(client, "staff", "staff.csv", (FIXTURES / "staff.csv").read_bytes())
    assert checked.context["report"].problems, "no departments yet"
    assert not checked.context["token"]
    apply("departments", xlsx(DEPARTMENT_ROWS), actor=SYSTEM)
    checked = upload(client, "staff", "staff.csv", (FIXTURES / "staff.csv").read_bytes())
    token = checked.context["token"]
    assert token and checked.context["report"].created == 3
    # meanwhile someone links the account the file names to another staff member
    Staff.objects.create(
        employee_no="E9",
        name="别人",
        department=Department.objects.get(code="330602-SCJ"),
        user=User.objects.create_user("liuyang"),
    )
    rejected = client.post(APPLY, {"token": token})
    assert rejected.status_code == 200
    assert "account liuyang already belongs to staff member E9" in rejected.content.decode()
    assert not Staff.objects.filter(employee_no__startswith="E000").exists()


def test_people_without_the_permission_get_403(client: Client, directory_admin: User) -> None:
    officer = User.objects.create_user("officer", is_staff=True)
    client.force_login(officer)
    assert client.get(UPLOAD).status_code == 403
    response = upload(client, "regions", "regions.csv", (FIXTURES / "regions.csv").read_bytes())
    assert response.status_code == 403
    client.force_login(directory_admin)
    forbidden_kind = upload(client, "grants", "grants.csv", (FIXTURES / "grants.csv").read_bytes())
    assert forbidden_kind.status_code == 403


def test_someone_elses_token_finds_nothing(client: Client, directory_admin: User) -> None:
    token = stash.keep(fixture("regions.csv"), kind="regions", owner=-1)
    client.force_login(directory_admin)
    client.cookies["kuaiji_language"] = "en"
    response = client.post(APPLY, {"token": token}, follow=True)
    assert "expired or was imported already" in response.content.decode()
    assert client.post(APPLY, {"token": "../../etc/passwd"}).status_code == 400


def test_too_large_upload_and_zip_bomb_get_a_clear_message(
    client: Client, directory_admin: User
) -> None:
    client.force_login(directory_admin)
    with override_settings(KUAIJI_IMPORT_MAX_BYTES=100):
        big = upload(client, "regions", "regions.csv", (FIXTURES / "regions.csv").read_bytes())
    assert big.status_code == 400
    assert "at most 0.0 MB can be imported at once" in big.content.decode()
    missing = client.post(UPLOAD, {"kind": "regions"})
    assert missing.status_code == 400 and 'data-testid="file-errors"' in missing.content.decode()
    bomb = upload(client, "regions", "bomb.xlsx", zip_bomb())
    assert bomb.status_code == 400
    assert "looks like a zip bomb" in bomb.content.decode()
