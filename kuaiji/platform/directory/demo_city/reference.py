"""The real facts the demo city is built on: the city, its six counties with their outlines and
its 103 townships, read from the files in `kuaiji/platform/directory/data/`."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

DATA = Path(__file__).resolve().parent.parent / "data"
TOWNSHIPS_FILE = DATA / "shaoxing-townships.csv"
COUNTIES_FILE = DATA / "shaoxing-counties.geojson"

CITY_CODE = "330600"
CITY_NAME = "绍兴市"
CITY_NAME_EN = "Shaoxing"
COUNTY_NAMES_EN = {
    "330602": "Yuecheng District",
    "330603": "Keqiao District",
    "330604": "Shangyu District",
    "330624": "Xinchang County",
    "330681": "Zhuji City",
    "330683": "Shengzhou City",
}


@dataclass(frozen=True)
class County:
    """A county-level division with its real outline."""

    code: str
    name: str
    name_en: str
    outline: BaseGeometry


@dataclass(frozen=True)
class Township:
    """A township-level division (街道, 镇 or 乡) from the statistical code list."""

    code: str
    name: str
    county_code: str


@cache
def counties() -> tuple[County, ...]:
    """The six counties in code order."""
    features = json.loads(COUNTIES_FILE.read_text(encoding="utf-8"))["features"]
    found = (
        County(
            code=feature["properties"]["code"],
            name=feature["properties"]["name"],
            name_en=COUNTY_NAMES_EN[feature["properties"]["code"]],
            outline=shape(feature["geometry"]),
        )
        for feature in features
    )
    return tuple(sorted(found, key=lambda county: county.code))


@cache
def townships() -> tuple[Township, ...]:
    """Every township in the order of the list (by county, then code)."""
    with TOWNSHIPS_FILE.open(encoding="utf-8", newline="") as rows:
        return tuple(
            Township(row["code"], row["name"], row["county_code"]) for row in csv.DictReader(rows)
        )


def township_kind(name: str) -> str:
    """街道 (street), 镇 (town) or 乡 (township), from a township's name."""
    return "街道" if name.endswith("街道") else name[-1]


def townships_of(county_code: str, limit: int | None = None) -> list[Township]:
    """The county's townships in list order, the first `limit` of them when given."""
    found = [township for township in townships() if township.county_code == county_code]
    return found[:limit]
