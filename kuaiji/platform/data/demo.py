"""The demo catalog: thirty-two resources the city's departments keep, with their schemas; most
open, some shared on conditions (the household register and marriage registrations, which
one-stop services obtain as 免提交 materials, among them), one not shared."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from kuaiji.platform.core.actors import SYSTEM
from kuaiji.platform.core.demo_loader import DemoSize, DemoStep
from kuaiji.platform.data.models import DataResource
from kuaiji.platform.data.records import ResourceRecord
from kuaiji.platform.data.services import register_resource
from kuaiji.platform.data.synthetic import load_demo_rows
from kuaiji.platform.directory.models import Department

CITY = "330600"

# (code, title, English title, department key, frequency, theme, sharing, opening, fields)
# Fields: name, type, level (1 public … 4 sensitive), primary key?, standard.
F = tuple[str, str, int, bool, str]
RESOURCES: tuple[tuple[str, str, str, str, str, str, str, str, tuple[F, ...]], ...] = (
    (
        "population-by-grid",
        "网格人口统计",
        "Population by grid",
        "TJJ",
        "monthly",
        "人口",
        "unconditional",
        "open",
        (
            ("grid_code", "string", 1, True, ""),
            ("households", "integer", 1, False, ""),
            ("population", "integer", 1, False, ""),
            ("elderly", "integer", 2, False, ""),
        ),
    ),
    (
        "market-entities",
        "市场主体登记信息",
        "Registered market entities",
        "SCJ",
        "daily",
        "经济",
        "conditional",
        "conditional",
        (
            ("credit_code", "string", 1, True, "GB 32100-2015"),
            ("name", "string", 1, False, ""),
            ("legal_person", "string", 3, False, ""),
            ("legal_person_phone", "string", 4, False, ""),
            ("registered_capital", "number", 2, False, ""),
            ("industry", "string", 1, False, "GB/T 4754-2017"),
        ),
    ),
    (
        "air-quality-hourly",
        "空气质量小时监测",
        "Hourly air quality",
        "STHJ",
        "realtime",
        "环境",
        "unconditional",
        "open",
        (
            ("station", "string", 1, True, ""),
            ("observed_at", "datetime", 1, True, ""),
            ("aqi", "integer", 1, False, ""),
            ("pm25", "number", 1, False, ""),
            ("pm10", "number", 1, False, ""),
        ),
    ),
    (
        "water-quality-sections",
        "地表水断面水质",
        "Surface water quality by section",
        "STHJ",
        "monthly",
        "环境",
        "unconditional",
        "open",
        (
            ("section", "string", 1, True, ""),
            ("month", "date", 1, True, ""),
            ("grade", "string", 1, False, "GB 3838-2002"),
            ("cod", "number", 1, False, ""),
        ),
    ),
    (
        "schools",
        "中小学校名录",
        "Primary and secondary schools",
        "JYJ",
        "yearly",
        "教育",
        "unconditional",
        "open",
        (
            ("school_code", "string", 1, True, ""),
            ("name", "string", 1, False, ""),
            ("address", "string", 1, False, ""),
            ("pupils", "integer", 2, False, ""),
        ),
    ),
    (
        "hospitals",
        "医疗机构名录",
        "Hospitals and clinics",
        "WJW",
        "quarterly",
        "卫生健康",
        "unconditional",
        "open",
        (
            ("licence_no", "string", 1, True, ""),
            ("name", "string", 1, False, ""),
            ("grade", "string", 1, False, ""),
            ("beds", "integer", 1, False, ""),
        ),
    ),
    (
        "bus-stops",
        "公交站点",
        "Bus stops",
        "JTJ",
        "monthly",
        "交通",
        "unconditional",
        "open",
        (
            ("stop_id", "string", 1, True, ""),
            ("name", "string", 1, False, ""),
            ("longitude", "number", 1, False, ""),
            ("latitude", "number", 1, False, ""),
        ),
    ),
    (
        "public-toilets",
        "公共厕所",
        "Public toilets",
        "ZHZF",
        "quarterly",
        "城市管理",
        "unconditional",
        "open",
        (
            ("toilet_id", "string", 1, True, ""),
            ("address", "string", 1, False, ""),
            ("open_hours", "string", 1, False, ""),
            ("accessible", "boolean", 1, False, ""),
        ),
    ),
    (
        "parking-lots",
        "公共停车场",
        "Public car parks",
        "ZJJ",
        "realtime",
        "交通",
        "unconditional",
        "open",
        (
            ("lot_id", "string", 1, True, ""),
            ("name", "string", 1, False, ""),
            ("spaces", "integer", 1, False, ""),
            ("free_spaces", "integer", 1, False, ""),
        ),
    ),
    (
        "enterprise-energy",
        "重点企业能耗",
        "Energy use of key enterprises",
        "FGW",
        "monthly",
        "经济",
        "conditional",
        "not_open",
        (
            ("credit_code", "string", 1, True, "GB 32100-2015"),
            ("month", "date", 1, True, ""),
            ("electricity_kwh", "number", 3, False, ""),
            ("coal_tonnes", "number", 3, False, ""),
        ),
    ),
    (
        "social-insurance-payers",
        "社保参保单位",
        "Employers paying social insurance",
        "RSJ",
        "monthly",
        "社会保障",
        "conditional",
        "not_open",
        (
            ("credit_code", "string", 1, True, "GB 32100-2015"),
            ("insured", "integer", 2, False, ""),
            ("arrears", "boolean", 3, False, ""),
        ),
    ),
    (
        "minimum-living-allowance",
        "最低生活保障对象",
        "Minimum living allowance recipients",
        "MZJ",
        "monthly",
        "民政",
        "conditional",
        "not_open",
        (
            ("id_number", "string", 4, True, "GB 11643-1999"),
            ("name", "string", 3, False, ""),
            ("region_code", "string", 1, False, ""),
            ("amount", "number", 3, False, ""),
        ),
    ),
    (
        "food-inspections",
        "食品安全抽检结果",
        "Food safety sampling results",
        "SCJ",
        "weekly",
        "市场监管",
        "unconditional",
        "open",
        (
            ("sample_no", "string", 1, True, ""),
            ("product", "string", 1, False, ""),
            ("producer", "string", 1, False, ""),
            ("qualified", "boolean", 1, False, ""),
        ),
    ),
    (
        "building-permits",
        "建设工程规划许可",
        "Building permits",
        "ZRZY",
        "weekly",
        "城乡建设",
        "unconditional",
        "open",
        (
            ("permit_no", "string", 1, True, ""),
            ("project", "string", 1, False, ""),
            ("area_m2", "number", 1, False, ""),
            ("issued_on", "date", 1, False, ""),
        ),
    ),
    (
        "river-chiefs",
        "河长制河道名录",
        "Rivers under the river-chief system",
        "SLJ",
        "yearly",
        "水利",
        "unconditional",
        "open",
        (
            ("river_code", "string", 1, True, ""),
            ("name", "string", 1, False, ""),
            ("length_km", "number", 1, False, ""),
            ("chief_level", "string", 1, False, ""),
        ),
    ),
    (
        "farmland",
        "永久基本农田",
        "Permanent basic farmland",
        "NYNC",
        "yearly",
        "农业农村",
        "conditional",
        "not_open",
        (
            ("parcel_id", "string", 1, True, ""),
            ("village_code", "string", 1, False, ""),
            ("area_mu", "number", 2, False, ""),
        ),
    ),
    (
        "tourism-sites",
        "A级旅游景区",
        "Graded tourist sites",
        "WGL",
        "yearly",
        "文化旅游",
        "unconditional",
        "open",
        (
            ("site_id", "string", 1, True, ""),
            ("name", "string", 1, False, ""),
            ("grade", "string", 1, False, ""),
            ("visitors_last_year", "integer", 1, False, ""),
        ),
    ),
    (
        "veteran-services",
        "退役军人服务站",
        "Veteran service stations",
        "TYJR",
        "yearly",
        "社会保障",
        "unconditional",
        "open",
        (
            ("station_id", "string", 1, True, ""),
            ("name", "string", 1, False, ""),
            ("phone", "string", 1, False, ""),
        ),
    ),
    (
        "hazardous-chemicals",
        "危险化学品企业",
        "Hazardous chemicals enterprises",
        "YJJ",
        "quarterly",
        "安全生产",
        "conditional",
        "not_open",
        (
            ("credit_code", "string", 1, True, "GB 32100-2015"),
            ("chemicals", "string", 3, False, ""),
            ("risk_grade", "string", 3, False, ""),
        ),
    ),
    (
        "audit-findings",
        "审计发现问题整改",
        "Audit findings and their rectification",
        "SJJ",
        "quarterly",
        "政务",
        "conditional",
        "not_open",
        (
            ("finding_no", "string", 1, True, ""),
            ("unit", "string", 2, False, ""),
            ("rectified", "boolean", 2, False, ""),
        ),
    ),
    (
        "medical-insurance-points",
        "医保定点机构",
        "Medical insurance designated providers",
        "YBJ",
        "monthly",
        "卫生健康",
        "unconditional",
        "open",
        (
            ("provider_code", "string", 1, True, ""),
            ("name", "string", 1, False, ""),
            ("kind", "string", 1, False, ""),
        ),
    ),
    (
        "petitions-summary",
        "信访事项统计",
        "Petitions by subject",
        "XFJ",
        "monthly",
        "政务",
        "conditional",
        "not_open",
        (
            ("month", "date", 1, True, ""),
            ("subject", "string", 1, True, ""),
            ("count", "integer", 2, False, ""),
        ),
    ),
    (
        "legal-aid-centres",
        "法律援助站点",
        "Legal aid centres",
        "SFJ",
        "yearly",
        "法治",
        "unconditional",
        "open",
        (
            ("centre_id", "string", 1, True, ""),
            ("name", "string", 1, False, ""),
            ("address", "string", 1, False, ""),
        ),
    ),
    (
        "fiscal-revenue",
        "一般公共预算收入",
        "General public budget revenue",
        "CZJ",
        "monthly",
        "财政",
        "unconditional",
        "open",
        (
            ("month", "date", 1, True, ""),
            ("item", "string", 1, True, ""),
            ("amount_10k_yuan", "number", 1, False, ""),
        ),
    ),
    (
        "public-procurement",
        "政府采购项目",
        "Government procurement projects",
        "GGZY",
        "daily",
        "政务",
        "unconditional",
        "open",
        (
            ("project_no", "string", 1, True, ""),
            ("title", "string", 1, False, ""),
            ("budget_yuan", "number", 1, False, ""),
            ("winner", "string", 1, False, ""),
        ),
    ),
    (
        "industrial-output",
        "规上工业产值",
        "Output of industry above designated size",
        "JXJ",
        "monthly",
        "经济",
        "unconditional",
        "open",
        (
            ("month", "date", 1, True, ""),
            ("sector", "string", 1, True, "GB/T 4754-2017"),
            ("output_100m_yuan", "number", 1, False, ""),
        ),
    ),
    (
        "trade-volume",
        "进出口总额",
        "Imports and exports",
        "SWJ",
        "monthly",
        "经济",
        "unconditional",
        "open",
        (
            ("month", "date", 1, True, ""),
            ("exports_100m_yuan", "number", 1, False, ""),
            ("imports_100m_yuan", "number", 1, False, ""),
        ),
    ),
    (
        "household-registration",
        "户籍人口信息",
        "Registered residents",
        "GAJ",
        "daily",
        "人口",
        "not_shared",
        "not_open",
        (
            ("id_number", "string", 4, True, "GB 11643-1999"),
            ("name", "string", 3, False, ""),
            ("address", "string", 4, False, ""),
        ),
    ),
    (
        "household-register",
        "户籍信息（户口簿）",
        "Household register entries",
        "GAJ",
        "daily",
        "人口",
        "conditional",
        "not_open",
        (
            ("id_number", "string", 4, True, "GB 11643-1999"),
            ("name", "string", 3, False, ""),
            ("household_no", "string", 3, False, ""),
            ("relation", "string", 2, False, ""),
            ("region_code", "string", 1, False, ""),
        ),
    ),
    (
        "marriage-registration",
        "婚姻登记信息",
        "Marriage registrations",
        "MZJ",
        "daily",
        "民政",
        "conditional",
        "not_open",
        (
            ("id_number", "string", 4, True, "GB 11643-1999"),
            ("certificate_no", "string", 2, True, ""),
            ("name", "string", 3, False, ""),
            ("spouse_id_number", "string", 4, False, "GB 11643-1999"),
            ("spouse_name", "string", 3, False, ""),
            ("registered_on", "date", 2, False, ""),
        ),
    ),
    (
        "data-services",
        "数据共享服务目录",
        "Data sharing services",
        "DSJ",
        "weekly",
        "政务",
        "unconditional",
        "open",
        (
            ("service_id", "string", 1, True, ""),
            ("name", "string", 1, False, ""),
            ("provider", "string", 1, False, ""),
        ),
    ),
    (
        "grid-events-monthly",
        "网格事件月度统计",
        "Grid events by month",
        "DSJ",
        "monthly",
        "基层治理",
        "unconditional",
        "open",
        (
            ("month", "date", 1, True, ""),
            ("category", "string", 1, True, ""),
            ("events", "integer", 1, False, ""),
            ("on_time_rate", "number", 1, False, ""),
        ),
    ),
)


def _record(entry: tuple[Any, ...], region: str) -> ResourceRecord:
    code, title, title_en, key, frequency, theme, sharing, opening, fields = entry
    return ResourceRecord(
        code=code,
        title=title,
        title_en=title_en,
        department_code=f"{region}-{key}",
        frequency=frequency,
        themes=[theme],
        licence="CC-BY-4.0" if opening == "open" else "",
        sharing=sharing,
        sharing_basis="《中华人民共和国个人信息保护法》第十三条" if sharing == "not_shared" else "",
        opening=opening,
        fields=[
            {
                "name": name,
                "type": kind,
                "level": level,
                "primary_key": key_field,
                "standard": standard,
                "required": key_field,
            }
            for name, kind, level, key_field, standard in fields
        ],
    )


@transaction.atomic
def load_catalog(size: DemoSize) -> str:
    """Register the demo resources of the city's departments (once)."""
    known = set(DataResource.objects.values_list("code", flat=True))
    departments = set(
        Department.objects.filter(code__startswith=f"{CITY}-").values_list("code", flat=True)
    )
    created = 0
    for entry in RESOURCES:
        record = _record(entry, CITY)
        if record.code in known or record.department_code not in departments:
            continue
        register_resource(actor=SYSTEM, resource=record)
        created += 1
    return f"{created} created" if created else "0 created, catalog unchanged"


STEPS = [
    DemoStep("data resource catalog", load_catalog),
    DemoStep("data resource rows", load_demo_rows),
]
