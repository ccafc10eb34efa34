"""Validated records of the directory: what an import row, the demo generator or an API client
hands to the services. Each record checks itself (codes, check digits, geometry); checks that
need the database (does the parent exist?) are done by the services."""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from shapely.geometry import shape
from shapely.validation import explain_validity

from kuaiji.platform.directory.identifiers import (
    InvalidIdentifier,
    clean_credit_code,
    clean_id_number,
)
from kuaiji.platform.directory.models import (
    DepartmentKind,
    DepartmentLevel,
    EnterpriseScale,
    GridKind,
    GridRole,
    ReformBodyKind,
    RegionLevel,
    TownshipPlatform,
)

UNIT_CODE = re.compile(r"^[A-Za-z0-9_.-]{1,40}$")
MOBILE = re.compile(r"^1[3-9]\d{9}$")
INDUSTRY = re.compile(r"^[A-T](\d{2}(\d{1,2})?)?$")
REGION_DIGITS = {
    RegionLevel.CITY: 6,
    RegionLevel.COUNTY: 6,
    RegionLevel.TOWNSHIP: 9,
    RegionLevel.VILLAGE: 12,
}
PARENT_LEVEL = {
    RegionLevel.COUNTY: RegionLevel.CITY,
    RegionLevel.TOWNSHIP: RegionLevel.COUNTY,
    RegionLevel.VILLAGE: RegionLevel.TOWNSHIP,
}

Name = Annotated[str, Field(min_length=1, max_length=100)]
OptionalText = Annotated[str, Field(max_length=150)]


class Record(BaseModel):
    """Base of the directory records: immutable, strings stripped, unknown keys refused."""

    model_config = ConfigDict(frozen=True, str_strip_whitespace=True, extra="forbid")


def _geometry(value: Any, allowed: tuple[str, ...]) -> dict[str, Any]:
    if not isinstance(value, dict) or value.get("type") not in allowed:
        raise ValueError(f"a GeoJSON {' or '.join(allowed)} is expected")
    try:
        geometry = shape(value)
    except (ValueError, TypeError, AttributeError, IndexError) as exc:
        raise ValueError(f"unreadable GeoJSON geometry: {exc}") from exc
    if geometry.is_empty or not geometry.is_valid:
        raise ValueError(f"invalid geometry: {explain_validity(geometry)}")
    minx, miny, maxx, maxy = geometry.bounds
    if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
        raise ValueError("coordinates must be longitude, latitude in degrees")
    return value


class RegionRecord(Record):
    """An administrative division; the code's length and prefix must fit its level and parent."""

    code: Annotated[str, Field(pattern=r"^\d{6}(\d{3}){0,2}$")]
    name: Name
    name_en: OptionalText = ""
    level: RegionLevel
    parent_code: str = ""
    boundary: dict[str, Any] | None = None
    is_real: bool = True

    @field_validator("boundary")
    @classmethod
    def _boundary(cls, value: Any) -> Any:
        return None if value is None else _geometry(value, ("Polygon", "MultiPolygon"))

    @model_validator(mode="after")
    def _fits_level(self) -> RegionRecord:
        if len(self.code) != REGION_DIGITS[self.level]:
            raise ValueError(f"a {self.level.value} code has {REGION_DIGITS[self.level]} digits")
        if self.level is RegionLevel.CITY:
            if self.parent_code:
                raise ValueError("a city has no parent")
            return self
        if not self.parent_code:
            raise ValueError("parent_code is required below the city level")
        if self.level is not RegionLevel.COUNTY and not self.code.startswith(self.parent_code):
            raise ValueError(
                f"code {self.code} does not start with its parent's {self.parent_code}"
            )
        return self


class DepartmentRecord(Record):
    """A government unit; township platforms name which of the four they are."""

    code: Annotated[str, Field(pattern=UNIT_CODE.pattern)]
    name: Name
    name_en: OptionalText = ""
    level: DepartmentLevel
    kind: DepartmentKind
    platform: TownshipPlatform | None = None
    region_code: str
    parent_code: str = ""

    @model_validator(mode="after")
    def _platform_fits_kind(self) -> DepartmentRecord:
        if (self.kind is DepartmentKind.PLATFORM) != (self.platform is not None):
            raise ValueError("platform is given exactly for departments of kind 'platform'")
        if self.parent_code == self.code:
            raise ValueError("a department cannot be its own parent")
        return self


class GridRecord(Record):
    """A grid with its boundary polygon and figures."""

    code: Annotated[str, Field(pattern=r"^[0-9A-Za-z_-]{4,20}$")]
    name: Name
    kind: GridKind = GridKind.COMPREHENSIVE
    dedicated_to: Annotated[str, Field(max_length=50)] = ""
    region_code: str
    boundary: dict[str, Any]
    households: Annotated[int, Field(ge=0)] = 0
    population: Annotated[int, Field(ge=0)] = 0
    is_synthetic: bool = False

    @field_validator("boundary")
    @classmethod
    def _boundary(cls, value: Any) -> Any:
        return _geometry(value, ("Polygon", "MultiPolygon"))

    @model_validator(mode="after")
    def _dedication(self) -> GridRecord:
        if self.kind is GridKind.DEDICATED and not self.dedicated_to:
            raise ValueError("a dedicated grid says what it is dedicated to")
        return self


def _phone(value: str) -> str:
    compact = value.replace(" ", "").replace("-", "")
    if compact and not MOBILE.match(compact):
        raise ValueError("not a mainland mobile number (11 digits starting with 1)")
    return compact


class StaffRecord(Record):
    """A staff member and, optionally, the account name they sign in with."""

    employee_no: Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{1,30}$")]
    name: Annotated[str, Field(min_length=1, max_length=50)]
    department_code: str
    title: OptionalText = ""
    phone: str = ""
    username: Annotated[str, Field(pattern=r"^([\w.@+-]{1,150})?$")] = ""

    _clean_phone = field_validator("phone")(classmethod(lambda cls, value: _phone(value)))


class GridMemberRecord(Record):
    """A staff member's role in a grid."""

    grid_code: str
    employee_no: str
    role: GridRole


class CitizenRecord(Record):
    """A resident by real name; the identity number must pass GB 11643."""

    name: Annotated[str, Field(min_length=1, max_length=50)]
    id_number: str
    phone: str = ""
    address: Annotated[str, Field(max_length=200)] = ""
    region_code: str = ""

    _clean_phone = field_validator("phone")(classmethod(lambda cls, value: _phone(value)))

    @field_validator("id_number")
    @classmethod
    def _id_number(cls, value: str) -> str:
        try:
            return clean_id_number(value)
        except InvalidIdentifier as exc:
            raise ValueError(str(exc)) from exc


class EnterpriseRecord(Record):
    """An enterprise; the credit code must pass GB 32100, the industry be a GB/T 4754 code."""

    credit_code: str
    name: Annotated[str, Field(min_length=1, max_length=200)]
    legal_representative: Annotated[str, Field(min_length=1, max_length=50)]
    industry_code: Annotated[str, Field(pattern=INDUSTRY.pattern)]
    region_code: str
    scale: EnterpriseScale

    @field_validator("credit_code")
    @classmethod
    def _credit_code(cls, value: str) -> str:
        try:
            return clean_credit_code(value)
        except InvalidIdentifier as exc:
            raise ValueError(str(exc)) from exc


class ReformSeatRecord(Record):
    """A staff member's seat in a reform body (组长, 副组长, 成员…)."""

    employee_no: str
    role: Annotated[str, Field(max_length=50)] = ""


class ReformBodyRecord(Record):
    """A reform body; its parent must be stored already or come earlier in the same upsert."""

    code: Annotated[str, Field(pattern=UNIT_CODE.pattern)]
    name: Annotated[str, Field(min_length=1, max_length=150)]
    name_en: Annotated[str, Field(max_length=200)] = ""
    kind: ReformBodyKind
    region_code: str
    parent_code: str = ""
    head_employee_no: str = ""
    members: tuple[ReformSeatRecord, ...] = ()
    unit_codes: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _consistent(self) -> ReformBodyRecord:
        if self.parent_code == self.code:
            raise ValueError("a reform body cannot be its own parent")
        seats = [seat.employee_no for seat in self.members]
        if len(seats) != len(set(seats)):
            raise ValueError("a staff member holds one seat in a body")
        return self
