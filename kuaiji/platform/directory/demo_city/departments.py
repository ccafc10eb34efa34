"""The department catalogue of the demo city: the city and county governments with their line
departments (条), each county's social governance centre, and each township's office with its
four platforms (块) — each unit with its posts."""

from __future__ import annotations

from dataclasses import dataclass

from kuaiji.platform.directory.demo_city.reference import township_kind
from kuaiji.platform.directory.demo_city.territory import Territory
from kuaiji.platform.directory.models import (
    DepartmentKind,
    DepartmentLevel,
    RegionLevel,
    TownshipPlatform,
)
from kuaiji.platform.directory.records import DepartmentRecord, RegionRecord


@dataclass(frozen=True)
class Post:
    """A position in a unit; `role` is the standard role its holder is granted ("" for none,
    and only holders of a role get a sign-in account)."""

    title: str
    role: str = ""


@dataclass(frozen=True)
class Unit:
    """A department and its posts, the head first."""

    record: DepartmentRecord
    posts: tuple[Post, ...]


@dataclass(frozen=True)
class LineDepartment:
    """A line department found at both the city and the county level."""

    key: str  # the code suffix: "330602-SCJ"
    name: str
    name_en: str
    head: str  # the head's title: 局长, 主任
    kind: DepartmentKind = DepartmentKind.FUNCTIONAL


LINE_DEPARTMENTS = (
    LineDepartment("FGW", "发展和改革委员会", "Development and Reform Commission", "主任"),
    LineDepartment("JXJ", "经济和信息化局", "Economy and Information Technology Bureau", "局长"),
    LineDepartment("JYJ", "教育局", "Education Bureau", "局长"),
    LineDepartment("GAJ", "公安局", "Public Security Bureau", "局长"),
    LineDepartment("MZJ", "民政局", "Civil Affairs Bureau", "局长"),
    LineDepartment("SFJ", "司法局", "Justice Bureau", "局长"),
    LineDepartment("CZJ", "财政局", "Finance Bureau", "局长"),
    LineDepartment("RSJ", "人力资源和社会保障局", "Human Resources and Social Security Bureau",
                   "局长"),
    LineDepartment("ZRZY", "自然资源和规划局", "Natural Resources and Planning Bureau", "局长"),
    LineDepartment("STHJ", "生态环境局", "Ecology and Environment Bureau", "局长"),
    LineDepartment("ZJJ", "住房和城乡建设局", "Housing and Urban-Rural Development Bureau", "局长"),
    LineDepartment("JTJ", "交通运输局", "Transport Bureau", "局长"),
    LineDepartment("SLJ", "水利局", "Water Resources Bureau", "局长"),
    LineDepartment("NYNC", "农业农村局", "Agriculture and Rural Affairs Bureau", "局长"),
    LineDepartment("SWJ", "商务局", "Commerce Bureau", "局长"),
    LineDepartment("WGL", "文化广电旅游局", "Culture, Radio, Television and Tourism Bureau",
                   "局长"),
    LineDepartment("WJW", "卫生健康委员会", "Health Commission", "主任"),
    LineDepartment("TYJR", "退役军人事务局", "Veterans Affairs Bureau", "局长"),
    LineDepartment("YJJ", "应急管理局", "Emergency Management Bureau", "局长"),
    LineDepartment("SJJ", "审计局", "Audit Bureau", "局长"),
    LineDepartment("SCJ", "市场监督管理局", "Administration for Market Regulation", "局长"),
    LineDepartment("TJJ", "统计局", "Statistics Bureau", "局长"),
    LineDepartment("YBJ", "医疗保障局", "Healthcare Security Administration", "局长"),
    LineDepartment("ZHZF", "综合行政执法局", "Comprehensive Administrative Law Enforcement Bureau",
                   "局长"),
    LineDepartment("XFJ", "信访局", "Letters and Calls Bureau", "局长"),
    LineDepartment("DSJ", "大数据发展管理局", "Big Data Development Administration", "局长"),
    LineDepartment("GGZY", "公共资源交易中心", "Public Resource Trading Centre", "主任",
                   DepartmentKind.CENTRE),
)  # fmt: skip

# The four platforms of every township: code suffix, name, English name.
PLATFORMS = (
    (TownshipPlatform.PARTY_BUILDING, "PARTY", "党建统领平台", "Party building platform"),
    (TownshipPlatform.ECONOMY_ECOLOGY, "ECONOMY", "经济生态平台", "Economy and ecology platform"),
    (TownshipPlatform.SAFETY_LAW, "SAFETY", "平安法治平台", "Safety and rule of law platform"),
    (TownshipPlatform.PUBLIC_SERVICE, "SERVICE", "公共服务平台", "Public service platform"),
)

CITY_GOVERNMENT_POSTS = (
    *(Post(title, "city_leader") for title in ("市长", "常务副市长", "副市长", "副市长", "副市长")),
    Post("秘书长"),
)
# The city's big data bureau also keeps the directory and runs the platform.
CITY_DATA_BUREAU_POSTS = (
    Post("数据资源处处长", "directory_admin"),
    Post("平台运维科科长", "platform_admin"),
    Post("安全审计科科长", "auditor"),
)
CENTRE_POSTS = (Post("主任", "county_officer"), Post("副主任"), Post("工作人员"), Post("工作人员"))
PLATFORM_POSTS = (Post("平台主任", "township_officer"), Post("平台专职人员"))
# Township office posts by the kind of township: secretary, head, deputy head.
OFFICE_TITLES = {
    "街道": ("党工委书记", "办事处主任", "办事处副主任"),
    "镇": ("党委书记", "镇长", "副镇长"),
    "乡": ("党委书记", "乡长", "副乡长"),
}


def government_code(region_code: str) -> str:
    """The code of a city or county government."""
    return f"{region_code}-GOV"


def line_code(region_code: str, key: str) -> str:
    """The code of a line department ("330602-SCJ")."""
    return f"{region_code}-{key}"


def centre_code(county_code: str) -> str:
    """The code of a county's social governance centre."""
    return f"{county_code}-SHZL"


def office_code(township_code: str) -> str:
    """The code of a township's office."""
    return f"{township_code}-OFFICE"


def employee_no(department_code: str, position: int) -> str:
    """The employee number of the holder of a unit's post (the head's position is 1)."""
    return f"{department_code}-{position:02d}"


def build_units(territory: Territory) -> list[Unit]:
    """Every unit of the city, parents before children."""
    city = territory.at_level(RegionLevel.CITY)[0]
    units = [_government(city, ""), *_line_departments(city)]
    for county in territory.at_level(RegionLevel.COUNTY):
        units += [
            _government(county, government_code(city.code)),
            *_line_departments(county),
            _centre(county),
        ]
    for township in territory.at_level(RegionLevel.TOWNSHIP):
        units += _township_units(township)
    return units


def _government(region: RegionRecord, parent_code: str) -> Unit:
    """The people's government of the city or a county."""
    level = DepartmentLevel.CITY if region.level is RegionLevel.CITY else DepartmentLevel.COUNTY
    record = DepartmentRecord(
        code=government_code(region.code),
        name=f"{region.name}人民政府",
        name_en=f"{region.name_en} People's Government",
        level=level,
        kind=DepartmentKind.GOVERNMENT,
        region_code=region.code,
        parent_code=parent_code,
    )
    if level is DepartmentLevel.CITY:
        return Unit(record, CITY_GOVERNMENT_POSTS)
    head = region.name[-1] + "长"  # 区长, 县长, 市长
    return Unit(
        record,
        (Post(head, "county_officer"), Post(f"常务副{head}", "county_officer"), Post(f"副{head}")),
    )


def _line_departments(region: RegionRecord) -> list[Unit]:
    """The line departments of the city or a county, under its government."""
    city = region.level is RegionLevel.CITY
    units = []
    for department in LINE_DEPARTMENTS:
        posts = [Post(department.head, "department_officer"), Post(f"副{department.head}")]
        posts += [Post("科长"), Post("科员"), Post("科员")] if city else [Post("科员")]
        if city and department.key == "DSJ":
            posts += CITY_DATA_BUREAU_POSTS
        record = DepartmentRecord(
            code=line_code(region.code, department.key),
            name=region.name + department.name,
            name_en=f"{region.name_en} {department.name_en}",
            level=DepartmentLevel.CITY if city else DepartmentLevel.COUNTY,
            kind=department.kind,
            region_code=region.code,
            parent_code=government_code(region.code),
        )
        units.append(Unit(record, tuple(posts)))
    return units


def _centre(county: RegionRecord) -> Unit:
    """The county's social governance centre (县级社会治理中心)."""
    record = DepartmentRecord(
        code=centre_code(county.code),
        name=f"{county.name}社会治理中心",
        name_en=f"{county.name_en} Social Governance Centre",
        level=DepartmentLevel.COUNTY,
        kind=DepartmentKind.CENTRE,
        region_code=county.code,
        parent_code=government_code(county.code),
    )
    return Unit(record, CENTRE_POSTS)


def _township_units(township: RegionRecord) -> list[Unit]:
    """The township's office (under the county government) and its four platforms."""
    kind = township_kind(township.name)
    office = DepartmentRecord(
        code=office_code(township.code),
        name=township.name + ("办事处" if kind == "街道" else "人民政府"),
        name_en="Street office" if kind == "街道" else "Township government",
        level=DepartmentLevel.TOWNSHIP,
        kind=DepartmentKind.TOWNSHIP_OFFICE,
        region_code=township.code,
        parent_code=government_code(township.parent_code),
    )
    secretary, head, deputy = OFFICE_TITLES[kind]
    units = [
        Unit(
            office,
            (Post(secretary, "township_officer"), Post(head, "township_officer"), Post(deputy)),
        )
    ]
    for platform, suffix, name, name_en in PLATFORMS:
        record = DepartmentRecord(
            code=f"{township.code}-P-{suffix}",
            name=township.name + name,
            name_en=name_en,
            level=DepartmentLevel.TOWNSHIP,
            kind=DepartmentKind.PLATFORM,
            platform=platform,
            region_code=township.code,
            parent_code=office.code,
        )
        units.append(Unit(record, PLATFORM_POSTS))
    return units
