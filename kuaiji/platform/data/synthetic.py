"""Synthetic rows for the demo resources: realistic, deterministic, and as CSV files.

Each demo resource of `kuaiji.platform.data.demo` has a generator drawing its rows from a seeded
random stream and from the demo city itself (`Places`): population by grid uses the city's own
grids and their figures, market entities its enterprises (whose credit codes come back in energy
use, social insurance and hazardous chemicals), allowance recipients and registered residents
its citizens, region code fields real village, township and grid codes (so flow-back can filter
them). Level-4 personal fields are plausible but fake: the demo city's people are invented.

Rows hold values as a load stores them (numbers as numbers, dates as ISO text, yes/no as
booleans), match the resource's schema and have unique primary keys; a field the generator does
not know (a schema changed since) is filled by its name and type. `as_csv` writes them as the
file a department would upload. Dates run up to `today`, so the same seed and day give the same
rows.

`load_demo_rows` is the demo step: it loads every demo resource's rows through ingestion as the
owning department's head (or the system), and one update file with two bad rows in quarantine.
"""

from __future__ import annotations

import csv
import io
import math
import random
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from functools import cached_property
from typing import Any, NamedTuple

from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry

from kuaiji.platform.core.demo_loader import DemoSize
from kuaiji.platform.data.models import DataResource, FieldType
from kuaiji.platform.directory.demo_city.city import DemoCity, demo_city
from kuaiji.platform.directory.demo_city.contacts import mobile_number
from kuaiji.platform.directory.demo_city.enterprises import INDUSTRIES, organisation_code
from kuaiji.platform.directory.demo_city.names import person_name, place_names, trade_name
from kuaiji.platform.directory.identifiers import credit_code_from
from kuaiji.platform.directory.models import EnterpriseScale, RegionLevel
from kuaiji.platform.directory.records import (
    CitizenRecord,
    EnterpriseRecord,
    GridRecord,
    RegionRecord,
)

SEED = "kuaiji-demo-data-1"
CHINA = timezone(timedelta(hours=8))
CITY = "330600"
AREA_CODE = "0575"  # Shaoxing's telephone area code

Row = dict[str, Any]


def stream(*keys: str, seed: str = SEED) -> random.Random:
    """A random generator of its own for one part of the rows (the same in every process)."""
    return random.Random(":".join((seed, *keys)))  # noqa: S311  (synthetic data, not secrets)


class Column(NamedTuple):
    """A field of a schema, as far as generating rows needs it."""

    name: str
    type: str
    primary_key: bool = False


def columns_of(resource: DataResource) -> list[Column]:
    """The resource's schema in field order."""
    return [
        Column(item.name, item.type, item.primary_key)
        for item in sorted(resource.fields.all(), key=lambda f: f.position)
    ]


# ---------------------------------------------------------------------------------------------
# The demo city's places, people and firms.


@dataclass(frozen=True)
class Places:
    """What the rows refer to: the demo city of a size (its regions, grids, firms, people)."""

    city: DemoCity

    @classmethod
    def of(cls, size: DemoSize) -> Places:
        return cls(demo_city(size))

    def _level(self, level: RegionLevel) -> list[RegionRecord]:
        return self.city.territory.at_level(level)

    @cached_property
    def counties(self) -> list[RegionRecord]:
        return self._level(RegionLevel.COUNTY)

    @cached_property
    def townships(self) -> list[RegionRecord]:
        return self._level(RegionLevel.TOWNSHIP)

    @cached_property
    def villages(self) -> list[RegionRecord]:
        """Villages and communities."""
        return self._level(RegionLevel.VILLAGE)

    @cached_property
    def rural_villages(self) -> list[RegionRecord]:
        """Villages only (村, numbered from 201), where farmland lies."""
        found = [village for village in self.villages if village.name.endswith("村")]
        return found or self.villages

    @property
    def grids(self) -> Sequence[GridRecord]:
        return self.city.territory.grids

    @property
    def citizens(self) -> Sequence[CitizenRecord]:
        return self.city.citizens

    def region(self, code: str) -> RegionRecord:
        return self.city.territory.region(code)

    def full_name(self, code: str) -> str:
        """越城区塔山街道东塘社区 for a village code."""
        return self.city.territory.full_name(code)

    def county_name(self, code: str) -> str:
        return self.region(code[:6]).name

    def short_county(self, code: str) -> str:
        """越城 for 越城区, 诸暨 for 诸暨市."""
        return self.county_name(code)[:-1]

    def short_township(self, code: str) -> str:
        """塔山 for 塔山街道, 平水 for 平水镇."""
        name = self.region(code[:9]).name
        for suffix in ("街道", "镇", "乡"):
            if name.endswith(suffix) and len(name) > len(suffix) + 1:
                return name[: -len(suffix)]
        return name

    def address(self, rng: random.Random, village: RegionRecord) -> str:
        """A street address in a village or community (…东塘社区解放路128号)."""
        road = rng.choice(ROADS)
        return f"{self.full_name(village.code)}{road}{rng.randint(1, 400)}号"

    def enterprises(self, count: int) -> list[EnterpriseRecord]:
        """The city's enterprises, then more of the same kind up to `count` (the first ones are
        the same whatever the count)."""
        found = list(self.city.enterprises[:count])
        codes = {enterprise.credit_code for enterprise in found}
        rng = stream("more-enterprises")
        while len(found) < count:
            village = rng.choice(self.villages)
            industry = rng.choice(INDUSTRIES)
            code = credit_code_from(village.code[:6], organisation_code(rng))
            if code in codes:
                continue
            codes.add(code)
            county = self.short_county(village.code)
            found.append(
                EnterpriseRecord(
                    credit_code=code,
                    name=f"{county}{trade_name(rng)}{rng.choice(industry.words)}有限公司",
                    legal_representative=person_name(rng),
                    industry_code=industry.code,
                    region_code=village.code,
                    scale=EnterpriseScale.MICRO if rng.random() < 0.6 else EnterpriseScale.SMALL,
                )
            )
        return found

    @cached_property
    def _shapes(self) -> dict[str, BaseGeometry]:
        return {}

    def point_in(self, rng: random.Random, grid: GridRecord) -> tuple[float, float]:
        """A point (longitude, latitude, 6 decimals) inside a grid."""
        area = self._shapes.get(grid.code)
        if area is None:
            area = self._shapes[grid.code] = shape(grid.boundary)
        west, south, east, north = area.bounds
        for _attempt in range(30):
            point = Point(rng.uniform(west, east), rng.uniform(south, north))
            if area.contains(point):
                return round(point.x, 6), round(point.y, 6)
        point = area.representative_point()
        return round(point.x, 6), round(point.y, 6)


ROADS = (
    "解放路", "中兴路", "人民路", "胜利路", "环城西路", "延安路", "凤林路", "越东路", "二环北路",
    "笛扬路", "群贤路", "鉴湖路", "会稽路", "镜湖大道", "兴越路", "湖西路", "新建路", "文化路",
    "东风路", "府山路", "城南大道", "曹娥江大道", "江东路", "望江路", "浣纱路", "艮塔路",
)  # fmt: skip


# ---------------------------------------------------------------------------------------------
# Values.


def number(value: float, digits: int = 2) -> float | int:
    """A number rounded as a file would show it, stored as a load stores it (whole numbers as
    integers)."""
    rounded = round(value, digits)
    return int(rounded) if float(rounded).is_integer() else rounded


def month_start(day: date, months_back: int) -> date:
    """The first day of the month `months_back` months before `day`'s."""
    index = day.year * 12 + day.month - 1 - months_back
    return date(index // 12, index % 12 + 1, 1)


def months(today: date, count: int) -> list[str]:
    """The first days of the last `count` complete months, oldest first, as ISO dates."""
    return [month_start(today, back).isoformat() for back in range(count, 0, -1)]


def _timestamp(moment: datetime) -> str:
    return moment.replace(tzinfo=CHINA).isoformat()


def _seasonal(month: int) -> float:
    """1 in January, -1 in July: winter highs, summer lows."""
    return math.cos((month - 1) / 12 * 2 * math.pi)


# ---------------------------------------------------------------------------------------------
# The generators, one a resource. Each yields rows (it may yield more than `count`; `generate`
# keeps the first `count` with different keys).

Generator = Callable[[Places, random.Random, int, date], Iterable[Row]]
GENERATORS: dict[str, Generator] = {}


def generator(code: str) -> Callable[[Generator], Generator]:
    def register(function: Generator) -> Generator:
        GENERATORS[code] = function
        return function

    return register


@generator("population-by-grid")
def population_by_grid(
    places: Places, rng: random.Random, count: int, today: date
) -> Iterator[Row]:
    """The grids' households and people as the directory has them, with the elderly (an
    ageing city: about a quarter over sixty)."""
    for grid in places.grids[:count]:
        yield {
            "grid_code": grid.code,
            "households": grid.households,
            "population": grid.population,
            "elderly": round(grid.population * rng.uniform(0.18, 0.32)),
        }


@generator("market-entities")
def market_entities(places: Places, rng: random.Random, count: int, today: date) -> Iterator[Row]:
    """The city's enterprises (and more like them): registered capital by size, in 10,000 yuan."""
    capital = {
        EnterpriseScale.LARGE: (20_000, 200_000),
        EnterpriseScale.MEDIUM: (2_000, 20_000),
        EnterpriseScale.SMALL: (200, 2_000),
        EnterpriseScale.MICRO: (3, 200),
    }
    for enterprise in places.enterprises(count):
        low, high = capital[enterprise.scale]
        yield {
            "credit_code": enterprise.credit_code,
            "name": enterprise.name,
            "legal_person": enterprise.legal_representative,
            "legal_person_phone": mobile_number(rng),
            "registered_capital": number(math.exp(rng.uniform(math.log(low), math.log(high))), 1),
            "industry": enterprise.industry_code,
        }


# National and provincial air monitoring stations, by county (名称 as published).
AIR_STATIONS = (
    "越城区城东", "越城区袍江", "越城区镜湖", "柯桥区柯桥", "柯桥区滨海", "上虞区城区",
    "上虞区杭州湾", "诸暨市城区", "诸暨市店口", "嵊州市城区", "嵊州市甘霖", "新昌县城区",
)  # fmt: skip
# HJ 633-2012 breakpoints: concentration (μg/m³) to the individual air quality index.
IAQI = (0, 50, 100, 150, 200, 300, 400, 500)
PM25_BREAKS = (0, 35, 75, 115, 150, 250, 350, 500)
PM10_BREAKS = (0, 50, 150, 250, 350, 420, 500, 600)


def individual_index(concentration: float, breaks: Sequence[float]) -> float:
    """The individual air quality index of a concentration (HJ 633-2012)."""
    for index in range(1, len(breaks)):
        if concentration <= breaks[index]:
            low, high = breaks[index - 1], breaks[index]
            share = (concentration - low) / (high - low)
            return IAQI[index - 1] + share * (IAQI[index] - IAQI[index - 1])
    return float(IAQI[-1])


def air_quality_index(pm25: float, pm10: float) -> int:
    """The AQI of PM2.5 and PM10 (the larger individual index, rounded up)."""
    return math.ceil(max(individual_index(pm25, PM25_BREAKS), individual_index(pm10, PM10_BREAKS)))


@generator("air-quality-hourly")
def air_quality_hourly(
    places: Places, rng: random.Random, count: int, today: date
) -> Iterator[Row]:
    """Hourly readings of each station up to midnight of `today`: winter haze, morning and
    evening peaks, persistence from hour to hour."""
    hours = max(1, math.ceil(count / len(AIR_STATIONS)))
    end = datetime.combine(today, datetime.min.time())
    for station_number, station in enumerate(AIR_STATIONS):
        bias = 0.85 + 0.05 * (station_number % 6)
        level = 1.0
        for back in range(hours, 0, -1):
            moment = end - timedelta(hours=back - 1)
            level = 0.85 * level + 0.15 * math.exp(rng.gauss(0, 0.45))
            daily = 1 + 0.25 * math.cos((moment.hour - 8) / 24 * 2 * math.pi) ** 2
            pm25 = max(3.0, 32 * (1 + 0.55 * _seasonal(moment.month)) * bias * daily * level)
            pm10 = pm25 * rng.uniform(1.35, 1.9)
            yield {
                "station": station,
                "observed_at": _timestamp(moment),
                "aqi": air_quality_index(pm25, pm10),
                "pm25": number(pm25, 1),
                "pm10": number(pm10, 1),
            }


RIVERS = ("曹娥江", "浦阳江", "鉴湖", "若耶溪", "环城河", "新昌江", "长乐江", "澄潭江",
          "枫桥江", "小舜江", "平水江", "南池江", "黄泽江", "开化江", "五泄江", "镜湖",
          "瓜渚湖", "浙东运河")  # fmt: skip
SECTION_PLACES = ("入境", "出境", "大桥", "闸口", "水厂取水口", "交接", "汇合口")
WATER_GRADES = (("Ⅰ类", 3, 10), ("Ⅱ类", 35, 13), ("Ⅲ类", 45, 17), ("Ⅳ类", 12, 26),
                ("Ⅴ类", 4, 35), ("劣Ⅴ类", 1, 48))  # fmt: skip


@generator("water-quality-sections")
def water_quality_sections(
    places: Places, rng: random.Random, count: int, today: date
) -> Iterator[Row]:
    """Monitored sections of the rivers and lakes, month by month for two years: grade III or
    better most of the time; COD in mg/L fitting the grade."""
    sections = [f"{river}{place}断面" for river in RIVERS for place in SECTION_PLACES]
    rng.shuffle(sections)
    sections = sorted(sections[: max(1, min(len(sections), math.ceil(count / 24)))])
    grades = [grade for grade, _weight, _cod in WATER_GRADES]
    weights = [weight for _grade, weight, _cod in WATER_GRADES]
    cods = {grade: cod for grade, _weight, cod in WATER_GRADES}
    for month in months(today, 24):
        for section in sections:
            grade = rng.choices(grades, weights)[0]
            yield {
                "section": section,
                "month": month,
                "grade": grade,
                "cod": number(cods[grade] * rng.uniform(0.6, 1.0), 1),
            }


SCHOOL_KINDS = (("小学", 55, (300, 2400)), ("初级中学", 25, (400, 1800)),
                ("九年一贯制学校", 8, (600, 2000)), ("高级中学", 12, (900, 3000)))  # fmt: skip


@generator("schools")
def schools(places: Places, rng: random.Random, count: int, today: date) -> Iterator[Row]:
    """Primary and secondary schools named after their townships and villages, with the
    Ministry of Education's ten-digit school code (2133… in Zhejiang)."""
    kinds = [kind for kind, _weight, _pupils in SCHOOL_KINDS]
    weights = [weight for _kind, weight, _pupils in SCHOOL_KINDS]
    pupils = {kind: size for kind, _weight, size in SCHOOL_KINDS}
    names: set[str] = set()
    for _n in range(count * 2):
        village = rng.choice(places.villages)
        kind = rng.choices(kinds, weights)[0]
        base = rng.choice((places.short_township(village.code), village.name[:-1]))
        county = places.county_name(village.code)
        prefix = f"绍兴市{county}" if county.endswith("区") else county
        name = f"{prefix}{base}{kind}"
        if name in names:
            name = f"{prefix}{base}{rng.choice(('第二', '第三', '实验'))}{kind}"
        if name in names:
            continue
        names.add(name)
        yield {
            "school_code": f"2133{rng.randrange(10**6):06d}",
            "name": name,
            "address": places.address(rng, village),
            "pupils": rng.randint(*pupils[kind]),
        }


@generator("hospitals")
def hospitals(places: Places, rng: random.Random, count: int, today: date) -> Iterator[Row]:
    """County hospitals, township health centres, community health service centres and clinics
    with their practising licence registration numbers."""
    sequence = 0

    def licence(code: str, kind: str) -> str:
        nonlocal sequence
        sequence += 1
        return f"PDY{rng.randrange(10**8):08d}{code[:6]}{kind}A{sequence:04d}"

    for county in places.counties:
        short = county.name[:-1]
        for name, grade, beds in (
            (f"{short}人民医院", "三级乙等", (600, 1200)),
            (f"{short}中医院", "二级甲等", (300, 700)),
            (f"{short}妇幼保健院", "二级甲等", (100, 300)),
        ):
            yield {
                "licence_no": licence(county.code, "12"),
                "name": name,
                "grade": grade,
                "beds": rng.randint(*beds),
            }
    for township in places.townships:
        yield {
            "licence_no": licence(township.code, "21"),
            "name": f"{places.county_name(township.code)}{township.name}社区卫生服务中心"
            if township.name.endswith("街道")
            else f"{places.county_name(township.code)}{township.name}卫生院",
            "grade": "一级甲等",
            "beds": rng.randint(20, 120),
        }
    for _n in range(count):
        village = rng.choice(places.villages)
        surname = person_name(rng)[0]
        kind = rng.choice(("诊所", "口腔诊所", "中医诊所", "卫生室"))
        yield {
            "licence_no": licence(village.code, "52"),
            "name": f"{places.short_county(village.code)}{village.name}{surname}{kind}"
            if kind != "卫生室"
            else f"{village.name}卫生室",
            "grade": "未定级",
            "beds": 0,
        }


@generator("bus-stops")
def bus_stops(places: Places, rng: random.Random, count: int, today: date) -> Iterator[Row]:
    """Stops at points inside the city's grids, named after places and roads."""
    for n in range(count):
        grid = rng.choice(places.grids)
        longitude, latitude = places.point_in(rng, grid)
        village = places.region(grid.region_code)
        name = rng.choice(
            (
                f"{village.name}站",
                f"{rng.choice(ROADS)}{village.name[:2]}路口",
                f"{places.short_township(village.code)}{rng.choice(('客运站', '中学', '医院'))}",
            )
        )
        yield {
            "stop_id": f"SX{grid.code[:6]}{n + 1:05d}",
            "name": name,
            "longitude": longitude,
            "latitude": latitude,
        }


@generator("public-toilets")
def public_toilets(places: Places, rng: random.Random, count: int, today: date) -> Iterator[Row]:
    """Public toilets, most open day and night, most accessible."""
    hours = ("全天开放", "全天开放", "05:30-22:30", "06:00-22:00", "07:00-21:00")
    for n in range(count):
        village = rng.choice(places.villages)
        yield {
            "toilet_id": f"GC{village.code[:6]}{n + 1:05d}",
            "address": places.address(rng, village),
            "open_hours": rng.choice(hours),
            "accessible": rng.random() < 0.72,
        }


@generator("parking-lots")
def parking_lots(places: Places, rng: random.Random, count: int, today: date) -> Iterator[Row]:
    """Public car parks with their spaces and the spaces free at the last reading."""
    kinds = ("公共停车场", "地下停车场", "立体停车库", "路内停车泊位", "临时停车场")
    for n in range(count):
        village = rng.choice(places.villages)
        spaces = rng.choice((rng.randint(20, 120), rng.randint(100, 600), rng.randint(400, 1500)))
        yield {
            "lot_id": f"P{village.code[:6]}{n + 1:05d}",
            "name": f"{village.name}{rng.choice(kinds)}",
            "spaces": spaces,
            "free_spaces": round(spaces * rng.betavariate(2, 3)),
        }


def _industrial(places: Places, count: int) -> list[EnterpriseRecord]:
    """Manufacturers among the market entities (the same credit codes)."""
    return [e for e in places.enterprises(max(count, 600)) if e.industry_code.startswith("C")]


@generator("enterprise-energy")
def enterprise_energy(places: Places, rng: random.Random, count: int, today: date) -> Iterator[Row]:
    """Monthly electricity and coal of key manufacturers over the last year."""
    firms = _industrial(places, count)[: max(1, math.ceil(count / 12))]
    for firm in firms:
        size = math.exp(rng.uniform(math.log(2e5), math.log(2e7)))
        coal = rng.random() < 0.35
        for month in months(today, 12):
            factor = 1 - 0.25 * (month[5:7] == "02") + rng.gauss(0, 0.06)
            yield {
                "credit_code": firm.credit_code,
                "month": month,
                "electricity_kwh": number(size * factor, 0),
                "coal_tonnes": number(size * factor / 9000, 1) if coal else 0,
            }


@generator("social-insurance-payers")
def social_insurance_payers(
    places: Places, rng: random.Random, count: int, today: date
) -> Iterator[Row]:
    """Employers with the people they insure; a few in arrears."""
    staff = {
        EnterpriseScale.LARGE: (1000, 8000),
        EnterpriseScale.MEDIUM: (100, 1000),
        EnterpriseScale.SMALL: (10, 100),
        EnterpriseScale.MICRO: (1, 10),
    }
    for firm in places.enterprises(count):
        yield {
            "credit_code": firm.credit_code,
            "insured": rng.randint(*staff[firm.scale]),
            "arrears": rng.random() < 0.04,
        }


ALLOWANCE_STANDARD = 1_245  # yuan a month, Shaoxing's minimum living standard (demo figure)


@generator("minimum-living-allowance")
def minimum_living_allowance(
    places: Places, rng: random.Random, count: int, today: date
) -> Iterator[Row]:
    """Recipients among the demo city's citizens (fake people), in their villages, with the
    monthly difference to the standard."""
    adults = [c for c in places.citizens if int(c.id_number[6:10]) <= today.year - 18]
    chosen = rng.sample(adults, min(count, len(adults)))
    for citizen in chosen:
        yield {
            "id_number": citizen.id_number,
            "name": citizen.name,
            "region_code": citizen.region_code,
            "amount": number(ALLOWANCE_STANDARD * rng.uniform(0.15, 1.0), 0),
        }


FOODS = ("黄酒", "霉干菜", "腐乳", "茶叶", "大米", "酱油", "豆腐干", "糕点", "香榧",
         "绍兴酱鸭", "鲜榨果汁", "饮用水", "乳制品", "食用油", "速冻水饺", "月饼", "臭豆腐",
         "茴香豆")  # fmt: skip


@generator("food-inspections")
def food_inspections(places: Places, rng: random.Random, count: int, today: date) -> Iterator[Row]:
    """Sampling results: Shaoxing's products, their producers, about 97 % qualified."""
    year = today.year % 100
    for n in range(count):
        county = rng.choice(places.counties)
        product = rng.choice(FOODS)
        producer = f"{county.name[:-1]}{trade_name(rng)}食品有限公司"
        if product == "黄酒":
            producer = f"{county.name[:-1]}{trade_name(rng)}酿酒有限公司"
        yield {
            "sample_no": f"DC{year:02d}{county.code}{n + 1:06d}",
            "product": product,
            "producer": producer,
            "qualified": rng.random() < 0.97,
        }


@generator("building-permits")
def building_permits(places: Places, rng: random.Random, count: int, today: date) -> Iterator[Row]:
    """Planning permits of the last two years: resettlement housing, plants, schools."""
    projects = ("安置房项目", "标准厂房项目", "中心小学扩建工程", "农贸市场改造工程",
                "未来社区项目", "商住综合体项目", "养老服务中心项目", "停车综合楼项目")  # fmt: skip
    for n in range(count):
        village = rng.choice(places.villages)
        issued = today - timedelta(days=rng.randrange(1, 730))
        yield {
            "permit_no": f"建字第{village.code[:6]}{issued.year}{n + 1:05d}号",
            "project": f"{places.short_township(village.code)}{village.name}{rng.choice(projects)}",
            "area_m2": number(math.exp(rng.uniform(math.log(800), math.log(250_000))), 2),
            "issued_on": issued.isoformat(),
        }


@generator("river-chiefs")
def river_chiefs(places: Places, rng: random.Random, count: int, today: date) -> Iterator[Row]:
    """Rivers with the level of their chief: the big rivers city-level, brooks the villages'."""
    for n, river in enumerate(RIVERS):
        yield {
            "river_code": f"HD{CITY}{n + 1:04d}",
            "name": river,
            "length_km": number(rng.uniform(20, 190), 1),
            "chief_level": "市级",
        }
    for n in range(count):
        village = rng.choice(places.villages)
        length = math.exp(rng.uniform(math.log(0.3), math.log(40)))
        level = "县级" if length > 15 else "乡级" if length > 4 else "村级"
        yield {
            "river_code": f"HD{village.code[:9]}{n + 1:04d}",
            "name": f"{village.name[:2]}{rng.choice(('河', '溪', '江', '港', '浦', '渠'))}",
            "length_km": number(length, 2),
            "chief_level": level,
        }


@generator("farmland")
def farmland(places: Places, rng: random.Random, count: int, today: date) -> Iterator[Row]:
    """Parcels of permanent basic farmland in the villages (not the communities)."""
    numbers: dict[str, int] = {}
    for _n in range(count):
        village = rng.choice(places.rural_villages)
        numbers[village.code] = numbers.get(village.code, 0) + 1
        yield {
            "parcel_id": f"{village.code}{numbers[village.code]:04d}",
            "village_code": village.code,
            "area_mu": number(math.exp(rng.uniform(math.log(3), math.log(400))), 2),
        }


TOURIST_SITES = (("鲁迅故里·沈园景区", "5A", "330602"), ("柯岩风景区", "4A", "330603"),
                 ("兰亭景区", "4A", "330602"), ("大禹陵景区", "4A", "330602"),
                 ("东湖景区", "4A", "330602"), ("安昌古镇", "4A", "330603"),
                 ("西施故里旅游区", "4A", "330681"), ("五泄风景区", "4A", "330681"),
                 ("大佛寺景区", "4A", "330624"), ("穿岩十九峰景区", "4A", "330624"),
                 ("越剧小镇", "4A", "330683"), ("曹娥景区", "4A", "330604"))  # fmt: skip


@generator("tourism-sites")
def tourism_sites(places: Places, rng: random.Random, count: int, today: date) -> Iterator[Row]:
    """The well-known graded sites, then A-grade scenic villages (景区村庄)."""
    for n, (name, grade, county) in enumerate(TOURIST_SITES):
        yield {
            "site_id": f"JQ{county}{n + 1:04d}",
            "name": name,
            "grade": grade,
            "visitors_last_year": rng.randint(800_000, 4_000_000)
            if grade == "5A"
            else rng.randint(150_000, 1_500_000),
        }
    for n in range(count):
        village = rng.choice(places.rural_villages)
        grade = rng.choices(("3A", "2A", "A"), (20, 35, 45))[0]
        yield {
            "site_id": f"JQ{village.code}{n + 1:04d}",
            "name": f"{places.short_township(village.code)}{village.name}景区村",
            "grade": grade,
            "visitors_last_year": rng.randint(5_000, 200_000),
        }


def _landline(rng: random.Random) -> str:
    return f"{AREA_CODE}-8{rng.randrange(10**7):07d}"


@generator("veteran-services")
def veteran_services(places: Places, rng: random.Random, count: int, today: date) -> Iterator[Row]:
    """Service centres of the counties, stations of the townships, then of villages."""
    for county in places.counties:
        yield {
            "station_id": f"TY{county.code}",
            "name": f"{county.name}退役军人服务中心",
            "phone": _landline(rng),
        }
    for region in (*places.townships, *rng.sample(places.villages, len(places.villages))):
        yield {
            "station_id": f"TY{region.code}",
            "name": f"{places.full_name(region.code)}退役军人服务站",
            "phone": _landline(rng),
        }


CHEMICALS = ("液氯", "甲醇", "硫酸", "盐酸", "液氨", "甲苯", "二甲苯", "丙酮", "乙酸乙酯",
             "氢氧化钠", "过氧化氢", "天然气", "环己酮", "二氯甲烷", "次氯酸钠")  # fmt: skip


@generator("hazardous-chemicals")
def hazardous_chemicals(
    places: Places, rng: random.Random, count: int, today: date
) -> Iterator[Row]:
    """Chemical, dyeing and fibre makers among the market entities, with what they keep."""
    chemical = [
        firm
        for firm in places.enterprises(max(600, count * 8))
        if firm.industry_code in {"C17", "C26", "C27", "C28", "C29"}
    ]
    for firm in chemical[:count]:
        yield {
            "credit_code": firm.credit_code,
            "chemicals": "、".join(rng.sample(CHEMICALS, rng.randint(1, 4))),
            "risk_grade": rng.choices(("重大风险", "较大风险", "一般风险", "低风险"),
                                      (3, 12, 45, 40))[0],
        }  # fmt: skip


UNITS = ("发展和改革委员会", "教育局", "民政局", "财政局", "人力资源和社会保障局",
         "自然资源和规划局", "住房和城乡建设局", "交通运输局", "水利局", "农业农村局",
         "卫生健康委员会", "市场监督管理局")  # fmt: skip


@generator("audit-findings")
def audit_findings(places: Places, rng: random.Random, count: int, today: date) -> Iterator[Row]:
    """Findings of the audit bureau in departments and township offices; most rectified."""
    for n in range(count):
        if rng.random() < 0.6:
            county = rng.choice(places.counties)
            unit = f"{county.name}{rng.choice(UNITS)}"
        else:
            township = rng.choice(places.townships)
            unit = f"{places.county_name(township.code)}{township.name}"
        year = today.year - rng.randint(0, 2)
        yield {
            "finding_no": f"SJ{year}-{n + 1:05d}",
            "unit": unit,
            "rectified": rng.random() < (0.95 if year < today.year else 0.6),
        }


@generator("medical-insurance-points")
def medical_insurance_points(
    places: Places, rng: random.Random, count: int, today: date
) -> Iterator[Row]:
    """Designated hospitals, clinics and pharmacies with their national provider codes (H… for
    medical institutions, P… for pharmacies)."""
    for n in range(count):
        village = rng.choice(places.villages)
        if rng.random() < 0.45:
            kind, letter = "定点医疗机构", "H"
            name = f"{places.short_township(village.code)}{village.name}卫生服务站"
        else:
            kind, letter = "定点零售药店", "P"
            name = f"{places.short_county(village.code)}{trade_name(rng)}大药房{village.name}店"
        yield {
            "provider_code": f"{letter}{village.code[:6]}{n + 1:05d}",
            "name": name,
            "kind": kind,
        }


PETITION_SUBJECTS = ("城乡建设", "劳动社保", "农村农业", "国土资源", "卫生健康", "教育文体",
                     "政法", "民政", "交通能源", "商贸旅游", "环境保护", "纪检监察")  # fmt: skip


@generator("petitions-summary")
def petitions_summary(places: Places, rng: random.Random, count: int, today: date) -> Iterator[Row]:
    """Petitions a month by subject over two years, slowly falling."""
    span = max(1, math.ceil(count / len(PETITION_SUBJECTS)))
    base = {subject: rng.randint(20, 400) for subject in PETITION_SUBJECTS}
    for back, month in enumerate(months(today, span)):
        trend = 1 + 0.01 * (span - back)
        for subject in PETITION_SUBJECTS:
            yield {
                "month": month,
                "subject": subject,
                "count": max(0, round(base[subject] * trend * rng.uniform(0.8, 1.2))),
            }


@generator("legal-aid-centres")
def legal_aid_centres(places: Places, rng: random.Random, count: int, today: date) -> Iterator[Row]:
    """The counties' legal aid centres and the townships' workstations."""
    for county in places.counties:
        village = rng.choice([v for v in places.villages if v.code.startswith(county.code)])
        yield {
            "centre_id": f"FY{county.code}",
            "name": f"{county.name}法律援助中心",
            "address": places.address(rng, village),
        }
    for township in places.townships:
        village = rng.choice([v for v in places.villages if v.code.startswith(township.code)])
        yield {
            "centre_id": f"FY{township.code}",
            "name": f"{places.county_name(township.code)}{township.name}法律援助工作站",
            "address": places.address(rng, village),
        }


FISCAL_ITEMS = (("一般公共预算收入", 1.0), ("税收收入", 0.82), ("增值税", 0.33),
                ("企业所得税", 0.14), ("个人所得税", 0.06), ("城市维护建设税", 0.04),
                ("房产税", 0.03), ("契税", 0.05), ("土地增值税", 0.04),
                ("非税收入", 0.18))  # fmt: skip


@generator("fiscal-revenue")
def fiscal_revenue(places: Places, rng: random.Random, count: int, today: date) -> Iterator[Row]:
    """Monthly budget revenue by item, in 10,000 yuan (about 70 billion yuan a year)."""
    span = max(1, math.ceil(count / len(FISCAL_ITEMS)))
    for month in months(today, span):
        total = 580_000 * (1.25 if month[5:7] in {"01", "05"} else 1.0) * rng.uniform(0.9, 1.1)
        for item, share in FISCAL_ITEMS:
            yield {
                "month": month,
                "item": item,
                "amount_10k_yuan": number(total * share * rng.uniform(0.95, 1.05), 2),
            }


PURCHASES = ("办公设备", "信息化系统运维服务", "物业管理服务", "校舍维修工程", "医疗设备",
             "垃圾分类收运服务", "道路养护工程", "公务用车", "课桌椅", "监测仪器")  # fmt: skip


@generator("public-procurement")
def public_procurement(
    places: Places, rng: random.Random, count: int, today: date
) -> Iterator[Row]:
    """Procurement projects of the departments and their winners (market entities)."""
    winners = places.enterprises(max(200, count // 4))
    for n in range(count):
        county = rng.choice(places.counties)
        thing = rng.choice(PURCHASES)
        yield {
            "project_no": f"SXCG{today.year - rng.randint(0, 1)}{county.code}{n + 1:05d}",
            "title": f"{county.name}{rng.choice(UNITS)}{thing}采购项目",
            "budget_yuan": number(math.exp(rng.uniform(math.log(5e4), math.log(5e7))), -2),
            "winner": rng.choice(winners).name,
        }


@generator("industrial-output")
def industrial_output(places: Places, rng: random.Random, count: int, today: date) -> Iterator[Row]:
    """Monthly output of industry above designated size by manufacturing division (GB/T 4754),
    in 100 million yuan: textiles first."""
    sectors = [industry for industry in INDUSTRIES if industry.code.startswith("C")]
    span = max(1, math.ceil(count / len(sectors)))
    for back, month in enumerate(months(today, span)):
        growth = 1.06 ** ((back - span) / 12)
        for industry in sectors:
            yield {
                "month": month,
                "sector": industry.code,
                "output_100m_yuan": number(
                    industry.weight * 9 * growth * rng.uniform(0.9, 1.1)
                    * (0.75 if month[5:7] == "02" else 1.0),
                    2,
                ),
            }  # fmt: skip


@generator("trade-volume")
def trade_volume(places: Places, rng: random.Random, count: int, today: date) -> Iterator[Row]:
    """Monthly exports and imports in 100 million yuan (exports far ahead)."""
    for month in months(today, count):
        exports = 250 * (0.7 if month[5:7] == "02" else 1.0) * rng.uniform(0.88, 1.12)
        yield {
            "month": month,
            "exports_100m_yuan": number(exports, 2),
            "imports_100m_yuan": number(exports * rng.uniform(0.12, 0.2), 2),
        }


@generator("household-registration")
def household_registration(
    places: Places, rng: random.Random, count: int, today: date
) -> Iterator[Row]:
    """The demo city's citizens (fake people) with their registered addresses."""
    for citizen in places.citizens[:count]:
        yield {"id_number": citizen.id_number, "name": citizen.name, "address": citizen.address}


def _born(id_number: str) -> date:
    return date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))


def couples(places: Places) -> list[tuple[CitizenRecord, CitizenRecord]]:
    """Married couples of the demo city: in each village, its adult men and women paired in
    the order the directory lists them (husband first)."""
    men: dict[str, list[CitizenRecord]] = {}
    women: dict[str, list[CitizenRecord]] = {}
    for citizen in places.citizens:
        age = (date(2025, 6, 30) - _born(citizen.id_number)).days // 365
        male = int(citizen.id_number[16]) % 2 == 1
        if (22 if male else 20) <= age <= 75:
            (men if male else women).setdefault(citizen.region_code, []).append(citizen)
    return [
        pair
        for village in sorted(men)
        for pair in zip(men[village], women.get(village, []), strict=False)
    ]


@generator("household-register")
def household_register(
    places: Places, rng: random.Random, count: int, today: date
) -> Iterator[Row]:
    """The demo city's citizens in their households: a married couple shares one (the husband
    heads it), everyone else heads their own."""
    households: dict[str, tuple[str, str]] = {}
    numbers: dict[str, int] = {}

    def household(region: str) -> str:
        numbers[region] = numbers.get(region, 0) + 1
        return f"{region}{numbers[region]:05d}"

    for husband, wife in couples(places):
        number = household(husband.region_code)
        households[husband.id_number] = (number, "户主")
        households[wife.id_number] = (number, "配偶")
    for citizen in places.citizens[:count]:
        number, relation = households.get(citizen.id_number) or (
            household(citizen.region_code),
            "户主",
        )
        yield {
            "id_number": citizen.id_number,
            "name": citizen.name,
            "household_no": number,
            "relation": relation,
            "region_code": citizen.region_code,
        }


@generator("marriage-registration")
def marriage_registration(
    places: Places, rng: random.Random, count: int, today: date
) -> Iterator[Row]:
    """The couples' marriage registrations, one row for each spouse, registered in their
    county after the younger turned 22."""
    for n, (husband, wife) in enumerate(couples(places), start=1):
        younger = max(_born(husband.id_number), _born(wife.id_number))
        earliest = date(max(younger.year + 22, 1980), 1, 1)
        latest = min(today, date(2025, 6, 30))
        span = max(1, (latest - earliest).days)
        registered = earliest + timedelta(days=rng.randrange(span))
        certificate = f"J{husband.region_code[:6]}-{registered.year}-{n:06d}"
        for person, spouse in ((husband, wife), (wife, husband)):
            yield {
                "id_number": person.id_number,
                "certificate_no": certificate,
                "name": person.name,
                "spouse_id_number": spouse.id_number,
                "spouse_name": spouse.name,
                "registered_on": registered.isoformat(),
            }


SERVICE_SUBJECTS = ("企业登记信息", "个体工商户信息", "社保缴纳记录", "不动产登记信息",
                    "婚姻登记信息", "低保救助对象", "学籍信息", "医保结算信息", "公积金缴存信息",
                    "车辆登记信息", "残疾人证信息", "出生医学证明")  # fmt: skip
SERVICE_DEPARTMENTS = ("市场监督管理局", "人力资源和社会保障局", "自然资源和规划局", "民政局",
                       "教育局", "医疗保障局", "公安局", "卫生健康委员会")  # fmt: skip


@generator("data-services")
def data_services(places: Places, rng: random.Random, count: int, today: date) -> Iterator[Row]:
    """Interfaces of the shared data catalogue: a subject, how it is served, who provides it."""
    ways = ("查询接口", "核验接口", "批量下载", "库表推送")
    for n in range(count):
        county = rng.choice((CITY, *(c.code for c in places.counties)))
        region = "绍兴市" if county == CITY else places.county_name(county)
        yield {
            "service_id": f"DS{county}{n + 1:05d}",
            "name": f"{rng.choice(SERVICE_SUBJECTS)}{rng.choice(ways)}",
            "provider": f"{region}{rng.choice(SERVICE_DEPARTMENTS)}",
        }


EVENT_CATEGORIES = (("城市管理", 30), ("生态环境", 10), ("安全隐患", 12), ("矛盾纠纷", 9),
                    ("社会治安", 6), ("公共服务", 8), ("民生保障", 7), ("市场监管", 5),
                    ("农业农村", 5), ("交通设施", 6), ("基层组织", 2))  # fmt: skip


@generator("grid-events-monthly")
def grid_events_monthly(
    places: Places, rng: random.Random, count: int, today: date
) -> Iterator[Row]:
    """Grid events a month by group of the event taxonomy, and the share handled in time."""
    span = max(1, math.ceil(count / len(EVENT_CATEGORIES)))
    scale = len(places.grids) * 1.5
    for month in months(today, span):
        for category, weight in EVENT_CATEGORIES:
            yield {
                "month": month,
                "category": category,
                "events": round(scale * weight / 100 * rng.uniform(0.8, 1.2)),
                "on_time_rate": number(rng.uniform(0.9, 0.995), 3),
            }


# ---------------------------------------------------------------------------------------------
# Any field the generator does not know: filled by its name, then its type.


def _fallback(column: Column, places: Places, rng: random.Random, index: int) -> Any:
    name = column.name
    if column.type == FieldType.STRING:
        if name == "grid_code":
            return rng.choice(places.grids).code
        if name in {"region_code", "village_code"}:
            return rng.choice(places.villages).code
        if name == "township_code":
            return rng.choice(places.townships).code
        if name == "county_code":
            return rng.choice(places.counties).code
        if name.endswith("phone"):
            return mobile_number(rng)
        if name.endswith("name"):
            return person_name(rng) if "person" in name else place_names(rng, 1)[0]
        return f"{name.upper()}-{index + 1:06d}"
    if column.type == FieldType.INTEGER:
        return index + 1 if column.primary_key else rng.randint(0, 1000)
    if column.type == FieldType.NUMBER:
        return number(rng.uniform(0, 1000), 2)
    if column.type == FieldType.DATE:
        return (date(2025, 1, 1) + timedelta(days=index)).isoformat()
    if column.type == FieldType.DATETIME:
        return _timestamp(datetime(2025, 1, 1) + timedelta(minutes=index))
    return rng.random() < 0.5


def _conform(
    row: Mapping[str, Any],
    columns: Sequence[Column],
    places: Places,
    rng: random.Random,
    index: int,
) -> Row:
    return {
        column.name: row[column.name]
        if column.name in row
        else _fallback(column, places, rng, index)
        for column in columns
    }


def _generic(places: Places, rng: random.Random, count: int, today: date) -> Iterator[Row]:
    """A resource without a generator: every field by its name and type."""
    for _n in range(count):
        yield {}


def generate(
    code: str,
    columns: Sequence[Column],
    *,
    count: int,
    places: Places,
    today: date,
    seed: str = SEED,
) -> list[Row]:
    """Up to `count` rows of the resource `code` for its schema `columns`, with different
    primary keys; the same for the same arguments."""
    rng = stream(code, seed=seed)
    produce = GENERATORS.get(code, _generic)
    keys = [column.name for column in columns if column.primary_key]
    seen: set[tuple[Any, ...]] = set()
    rows: list[Row] = []
    for index, raw in enumerate(produce(places, rng, count, today)):
        if len(rows) >= count:
            break
        row = _conform(raw, columns, places, rng, index)
        key = tuple(row[name] for name in keys)
        if key in seen or None in key:
            continue
        seen.add(key)
        rows.append(row)
    return rows


def rows_for(
    resource: DataResource, *, count: int, places: Places, today: date, seed: str = SEED
) -> list[Row]:
    """`generate` for a registered resource and its current schema."""
    return generate(
        resource.code, columns_of(resource), count=count, places=places, today=today, seed=seed
    )


# ---------------------------------------------------------------------------------------------
# CSV.


def cell(value: Any) -> str:
    """A stored value as a CSV cell: empty for none, true/false, numbers and text as they are."""
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    return str(value)


def as_csv(resource: DataResource | Sequence[str], rows: Iterable[Mapping[str, Any]]) -> bytes:
    """The rows as a UTF-8 CSV file with a header row naming the resource's fields (or the
    given field names), in schema order."""
    names = (
        [column.name for column in columns_of(resource)]
        if isinstance(resource, DataResource)
        else list(resource)
    )
    output = io.StringIO()
    writer = csv.writer(output, lineterminator="\n")
    writer.writerow(names)
    for row in rows:
        writer.writerow([cell(row.get(name)) for name in names])
    return output.getvalue().encode("utf-8")


# ---------------------------------------------------------------------------------------------
# The demo step.

# Rows of each resource for the default size (the other sizes scale them; resources whose rows
# follow the city, such as population by grid or the township stations, stop where it does).
DEMO_ROWS: dict[str, int] = {
    "population-by-grid": 5_000,
    "market-entities": 2_000,
    "air-quality-hourly": len(AIR_STATIONS) * 24 * 7,
    "water-quality-sections": 40 * 24,
    "schools": 600,
    "hospitals": 400,
    "bus-stops": 3_000,
    "public-toilets": 800,
    "parking-lots": 500,
    "enterprise-energy": 150 * 12,
    "social-insurance-payers": 1_500,
    "minimum-living-allowance": 800,
    "food-inspections": 1_500,
    "building-permits": 800,
    "river-chiefs": 400,
    "farmland": 3_000,
    "tourism-sites": 150,
    "veteran-services": 600,
    "hazardous-chemicals": 150,
    "audit-findings": 300,
    "medical-insurance-points": 1_200,
    "petitions-summary": 24 * len(PETITION_SUBJECTS),
    "legal-aid-centres": 200,
    "fiscal-revenue": 36 * len(FISCAL_ITEMS),
    "public-procurement": 1_000,
    "industrial-output": 36 * 13,
    "trade-volume": 60,
    "household-registration": 2_000,
    "household-register": 2_000,
    "marriage-registration": 1_200,
    "data-services": 200,
    "grid-events-monthly": 12 * len(EVENT_CATEGORIES),
}
SIZE_FACTORS: dict[DemoSize, float] = {"small": 0.25, "default": 1.0, "large": 2.0}
DEFAULT_ROWS = 200
# The update file loaded in quarantine: fresh readings of some car parks and two bad rows.
UPDATED_RESOURCE = "parking-lots"
UPDATE_FILE = "parking-lots-update.csv"
SERIES = {"air-quality-hourly", "trade-volume"}  # rows in time, not a sample: keep them whole


def demo_row_count(code: str, size: DemoSize) -> int:
    """How many rows the demo gives a resource at a size."""
    rows = DEMO_ROWS.get(code, DEFAULT_ROWS)
    if code in SERIES:
        return rows
    return max(20, round(rows * SIZE_FACTORS[size]))


def demo_file_name(resource: DataResource, today: date) -> str:
    return f"{resource.code}-{today:%Y%m%d}.csv"


def loader_of(resource: DataResource) -> Any:
    """Who loads a demo resource: the head of its department (a department officer), or the
    system when the demo made no account for them."""
    from kuaiji.platform.core.actors import SYSTEM
    from kuaiji.platform.directory.demo_city.departments import employee_no
    from kuaiji.platform.identity.models import User

    username = employee_no(resource.department.code, 1).lower()
    return User.objects.filter(username=username, is_active=True).first() or SYSTEM


def update_file(rows: Sequence[Row], today: date) -> list[dict[str, Any]]:
    """New free spaces of some car parks at a later reading, and two rows a validation refuses
    (spaces written in words, no lot id)."""
    rng = stream(UPDATE_FILE, today.isoformat())
    changed: list[dict[str, Any]] = [
        {**row, "free_spaces": rng.randint(0, int(row["spaces"]))} for row in rows[:25]
    ]
    first = dict(rows[0]) if rows else {"lot_id": "P330602099999", "name": "停车场"}
    changed.insert(10, {**first, "lot_id": "P33060299998", "spaces": "约三百", "free_spaces": 12})
    changed.insert(20, {**first, "lot_id": "", "spaces": 80, "free_spaces": 5})
    return changed


def load_demo_rows(size: DemoSize) -> str:
    """Load every demo resource without rows through ingestion (each as its own file), then
    one update with bad rows in quarantine. Resources loaded before are left as they are."""
    from django.utils import timezone as django_timezone

    from kuaiji.platform.data.ingest.loading import load_file
    from kuaiji.platform.data.models import BadRowHandling, Load, LoadStatus

    today = django_timezone.localdate()
    places = Places.of(size)
    resources = (
        DataResource.objects.filter(code__in=list(DEMO_ROWS))
        .select_related("department")
        .prefetch_related("fields")
        .order_by("code")
    )
    loaded = rows_applied = quarantined = 0
    for resource in resources:
        if Load.objects.filter(resource=resource).exists():
            continue
        rows = rows_for(
            resource, count=demo_row_count(resource.code, size), places=places, today=today
        )
        load = load_file(
            actor=loader_of(resource),
            resource=resource,
            content=as_csv(resource, rows),
            file_name=demo_file_name(resource, today),
            on_bad_rows=BadRowHandling.REJECT,
        )
        if load.status != LoadStatus.APPLIED:
            raise RuntimeError(f"the demo rows of {resource.code} were not applied: {load.message}")
        loaded += 1
        rows_applied += load.rows_inserted + load.rows_updated
        if resource.code == UPDATED_RESOURCE:
            resource.refresh_from_db()
            update = load_file(
                actor=loader_of(resource),
                resource=resource,
                content=as_csv(resource, update_file(rows, today)),
                file_name=UPDATE_FILE,
                on_bad_rows=BadRowHandling.QUARANTINE,
            )
            quarantined += update.rows_bad
    if not loaded:
        return "0 loaded, rows unchanged"
    return f"{loaded} resources loaded, {rows_applied} rows, {quarantined} rows in quarantine"
