"""Read API of the organisation directory: regions, departments, grids, staff, point-to-grid.

Every endpoint needs a signed-in user; lists are restricted to the caller's data scope, a
region, grid or department outside it answers 404 like a missing one, and personal data comes
masked unless the caller may see it.
"""

from dataclasses import asdict
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from kuaiji.platform.access.services import authorize
from kuaiji.platform.apikeys.auth import api_key_auth
from kuaiji.platform.directory import geojson, selectors
from kuaiji.platform.directory.locator import locate
from kuaiji.platform.directory.models import Department, DepartmentKind, Region, RegionLevel
from kuaiji.platform.identity.api_auth import verified_session

PREFIX = "/directory"
router = Router(tags=["directory"], auth=[api_key_auth, verified_session])

MAX_FEATURES = 2000


class RegionOut(Schema):
    """An administrative division."""

    code: str
    name: str
    name_en: str
    level: RegionLevel
    parent_code: str | None
    is_real: bool

    @staticmethod
    def resolve_parent_code(region: Region) -> str | None:
        codes = region.path.strip("/").split("/")
        return codes[-2] if len(codes) > 1 else None


class RegionDetail(RegionOut):
    """A division with its boundary and the divisions above it, from the top."""

    boundary: dict[str, Any] | None
    ancestors: list[RegionOut]

    @staticmethod
    def resolve_ancestors(region: Region) -> list[Region]:
        return list(region.ancestors())


class DepartmentOut(Schema):
    """A government unit."""

    code: str
    name: str
    name_en: str
    level: str
    kind: DepartmentKind
    platform: str
    region_code: str = Field(alias="region.code")
    parent_code: str | None

    @staticmethod
    def resolve_parent_code(department: Department) -> str | None:
        return department.parent.code if department.parent else None


class StaffOut(Schema):
    """A staff member; `phone` is masked unless `phone_masked` is false."""

    employee_no: str
    name: str
    title: str
    department_code: str
    department_name: str
    phone: str
    phone_masked: bool


class GridMemberOut(Schema):
    """A staff member's role in a grid."""

    role: str
    name: str
    employee_no: str
    department_name: str
    phone: str


class GridDetail(Schema):
    """A grid with its figures, boundary and members."""

    code: str
    name: str
    kind: str
    dedicated_to: str
    region_code: str
    region_name: str
    households: int
    population: int
    is_synthetic: bool
    boundary: dict[str, Any]
    members: list[GridMemberOut]


class PlaceOut(Schema):
    code: str
    name: str


class LocationOut(Schema):
    """Where a point lies; `inside` is false outside the jurisdiction."""

    longitude: float
    latitude: float
    inside: bool
    message: str
    grid: PlaceOut | None
    village: PlaceOut | None
    township: PlaceOut | None
    county: PlaceOut | None


class RegionFilters(Schema):
    parent: str = ""
    level: RegionLevel | None = None


class DepartmentFilters(Schema):
    region: str = ""
    kind: DepartmentKind | None = None


class GridFilters(Schema):
    region: str = Field("", description="Only grids within this region's subtree.")
    limit: int = Field(500, ge=1, le=MAX_FEATURES)
    offset: int = Field(0, ge=0)


class StaffFilters(Schema):
    q: str = Field("", max_length=50)
    department: str = ""
    limit: int = Field(50, ge=1, le=200)


class Coordinates(Schema):
    lon: float = Field(..., ge=-180, le=180, description="Longitude, WGS84 degrees.")
    lat: float = Field(..., ge=-90, le=90, description="Latitude, WGS84 degrees.")


@router.get("/regions", response=list[RegionOut], summary="List regions")
@paginate(LimitOffsetPagination)
def list_regions(request: HttpRequest, filters: Query[RegionFilters]) -> Any:
    authorize(request.user, "directory.region.view")
    return selectors.regions(request.user, parent_code=filters.parent, level=filters.level or "")


@router.get(
    "/regions.geojson",
    summary="Regions with their boundaries as a GeoJSON FeatureCollection",
    response={200: dict[str, Any]},
)
def regions_geojson(request: HttpRequest, filters: Query[RegionFilters]) -> dict[str, Any]:
    """Visible regions that have a boundary (e.g. `?parent=330600` for the counties)."""
    authorize(request.user, "directory.region.view")
    rows = (
        selectors.regions(
            request.user,
            parent_code=filters.parent,
            level=filters.level or "",
        )
        .defer(None)
        .defer("parent__boundary")
        .exclude(boundary=None)[:MAX_FEATURES]
    )
    return geojson.collection(geojson.region_feature(region) for region in rows)


@router.get("/regions/{code}", response=RegionDetail, summary="One region with its boundary")
def get_region(request: HttpRequest, code: str) -> Any:
    return selectors.region(request.user, code)


@router.get("/departments", response=list[DepartmentOut], summary="List departments")
@paginate(LimitOffsetPagination)
def list_departments(request: HttpRequest, filters: Query[DepartmentFilters]) -> Any:
    authorize(request.user, "directory.department.view")
    return selectors.departments(request.user, region_code=filters.region, kind=filters.kind or "")


@router.get(
    "/grids.geojson",
    summary="Grids as a GeoJSON FeatureCollection",
    response={200: dict[str, Any]},
)
def grids_geojson(request: HttpRequest, filters: Query[GridFilters]) -> dict[str, Any]:
    """Visible grids with boundaries; `numberMatched` counts all, `numberReturned` this page."""
    authorize(request.user, "directory.grid.view")
    queryset = selectors.grids(request.user, region_code=filters.region)
    matched = queryset.count()
    page = queryset[filters.offset : filters.offset + filters.limit]
    return geojson.collection(
        (geojson.grid_feature(grid, members=grid.member_count) for grid in page),  # type: ignore[attr-defined]
        numberMatched=matched,
    )


@router.get("/grids/{code}", response=GridDetail, summary="One grid with its members")
def get_grid(request: HttpRequest, code: str) -> dict[str, Any]:
    card = selectors.grid_card(request.user, code)
    return {
        **geojson.grid_feature(card.grid)["properties"],
        "is_synthetic": card.grid.is_synthetic,
        "boundary": card.grid.boundary,
        "members": [asdict(member) for member in card.members],
    }


@router.get("/staff", response=list[StaffOut], summary="Search staff (phones masked)")
def search_staff(request: HttpRequest, filters: Query[StaffFilters]) -> Any:
    authorize(request.user, "directory.staff.view")
    return selectors.staff(
        request.user, query=filters.q, department_code=filters.department, limit=filters.limit
    )


@router.get("/locate", response=LocationOut, summary="Which grid a point lies in")
def locate_point(request: HttpRequest, point: Query[Coordinates]) -> dict[str, Any]:
    """The grid, village, township and county of a WGS84 point, or `inside: false`."""
    authorize(request.user, "directory.grid.view")
    location = locate(point.lon, point.lat)
    return {
        "longitude": location.longitude,
        "latitude": location.latitude,
        "inside": location.inside,
        "message": _("Inside the jurisdiction.")
        if location.inside
        else _("Outside the jurisdiction: the point lies in no grid of this city."),
        "grid": location.grid,
        "village": location.village,
        "township": location.township,
        "county": location.county,
    }
