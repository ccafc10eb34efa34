"""The reform organisation of the demo city: the leading group for digital reform, its office,
three topic groups and two task forces (专班), led by the city's leaders and department heads."""

from __future__ import annotations

from kuaiji.platform.directory.demo_city.departments import (
    centre_code,
    employee_no,
    government_code,
    line_code,
)
from kuaiji.platform.directory.demo_city.reference import CITY_CODE, counties
from kuaiji.platform.directory.models import ReformBodyKind
from kuaiji.platform.directory.records import ReformBodyRecord, ReformSeatRecord

PREFIX = f"{CITY_CODE}-DR"
GROUP, OFFICE = f"{PREFIX}-LG", f"{PREFIX}-OFFICE"


def _leader(position: int) -> str:
    """The city government's post holder: 1 the mayor, 2 the executive vice mayor, 3-5 vice."""
    return employee_no(government_code(CITY_CODE), position)


def _head_of(key: str, position: int = 1) -> str:
    """The holder of a post in a city line department (1: its head)."""
    return employee_no(line_code(CITY_CODE, key), position)


def _body(
    code: str,
    name: str,
    name_en: str,
    kind: ReformBodyKind,
    parent: str,
    head: tuple[str, str],
    members: list[tuple[str, str]],
    units: list[str],
) -> ReformBodyRecord:
    """A body of the city; `head` and `members` are (employee number, seat) pairs, `units`
    department codes."""
    return ReformBodyRecord(
        code=code,
        name=name,
        name_en=name_en,
        kind=kind,
        region_code=CITY_CODE,
        parent_code=parent,
        head_employee_no=head[0],
        members=tuple(ReformSeatRecord(employee_no=n, role=role) for n, role in [head, *members]),
        unit_codes=tuple(units),
    )


def _members(*keys: str) -> list[tuple[str, str]]:
    """The heads of city line departments, as ordinary members."""
    return [(_head_of(key), "成员") for key in keys]


def _units(*keys: str) -> list[str]:
    """The codes of city line departments."""
    return [line_code(CITY_CODE, key) for key in keys]


def _departments(*keys: str) -> tuple[list[tuple[str, str]], list[str]]:
    """City line departments coordinated by a body, their heads its members."""
    return _members(*keys), _units(*keys)


def build_reform_bodies() -> list[ReformBodyRecord]:
    """The bodies, parents first."""
    core = ("FGW", "JXJ", "DSJ", "CZJ", "SCJ")
    centres = [centre_code(county.code) for county in counties()]
    return [
        _body(GROUP, "绍兴市数字化改革领导小组", "Shaoxing Leading Group for Digital Reform",
              ReformBodyKind.LEADING_GROUP, "", (_leader(1), "组长"),
              [(_leader(2), "常务副组长"), (_leader(3), "副组长"), *_members(*core)],
              _units(*core)),
        _body(OFFICE, "绍兴市数字化改革领导小组办公室",
              "Office of the Shaoxing Leading Group for Digital Reform",
              ReformBodyKind.OFFICE, GROUP, (_head_of("DSJ"), "主任"),
              [(_head_of("DSJ", 2), "副主任"), (_head_of("FGW", 2), "副主任"),
               (_head_of("DSJ", 3), "成员")],
              _units("DSJ")),
        _body(f"{PREFIX}-TG-GOV", "数字政府专题组", "Digital Government Topic Group",
              ReformBodyKind.TOPIC_GROUP, GROUP, (_leader(2), "组长"),
              *_departments("DSJ", "SCJ", "RSJ", "GGZY")),
        _body(f"{PREFIX}-TG-ECON", "数字经济专题组", "Digital Economy Topic Group",
              ReformBodyKind.TOPIC_GROUP, GROUP, (_leader(3), "组长"),
              *_departments("JXJ", "FGW", "SWJ")),
        _body(f"{PREFIX}-TG-SOC", "数字社会专题组", "Digital Society Topic Group",
              ReformBodyKind.TOPIC_GROUP, GROUP, (_leader(4), "组长"),
              *_departments("MZJ", "WJW", "JYJ", "YBJ")),
        _body(f"{PREFIX}-TF-GRID", "基层智治专班", "Grassroots Governance Task Force",
              ReformBodyKind.TASK_FORCE, OFFICE, (_leader(5), "专班负责人"),
              [*_members("SFJ", "GAJ", "ZHZF"),
               *((employee_no(centre, 1), "成员") for centre in centres)],
              [*_units("SFJ", "GAJ", "ZHZF"), *centres]),
        _body(f"{PREFIX}-TF-DATA", "公共数据平台专班", "Public Data Platform Task Force",
              ReformBodyKind.TASK_FORCE, OFFICE, (_head_of("DSJ", 2), "专班负责人"),
              [(_head_of("DSJ", 3), "成员"), (_head_of("DSJ", 7), "成员"),
               (_head_of("JXJ", 2), "成员")],
              _units("DSJ")),
    ]  # fmt: skip
