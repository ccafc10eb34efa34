"""Where an event is: from coordinates (the grid that contains them) or, without coordinates,
from an address naming a village, community or township of the city (the point its area is
represented by). Outside the city's grids, a report is refused."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from shapely.geometry import shape

from kuaiji.platform.core.errors import InvalidInput
from kuaiji.platform.directory.locator import locate
from kuaiji.platform.directory.models import Grid, Region, RegionLevel

PLACE_LEVELS = (RegionLevel.VILLAGE, RegionLevel.TOWNSHIP)


@dataclass(frozen=True)
class Placed:
    """A located event: its point and the grid it lies in."""

    longitude: Decimal
    latitude: Decimal
    grid: Grid


def place(longitude: float | None, latitude: float | None, address: str) -> Placed:
    """The grid of a report, from its coordinates or else its address."""
    if longitude is not None and latitude is not None:
        return _at(longitude, latitude, "location")
    if longitude is not None or latitude is not None:
        raise InvalidInput(fields={"location": _("Send both longitude and latitude.")})
    if not address.strip():
        raise InvalidInput(fields={"location": _("Send coordinates or an address.")})
    region = _named_in(address)
    point = shape(region.boundary).representative_point()
    return _at(point.x, point.y, "address")


def _at(longitude: float, latitude: float, field: str) -> Placed:
    if not (-180 <= longitude <= 180 and -90 <= latitude <= 90):
        raise InvalidInput(fields={field: _("Coordinates out of range.")})
    found = locate(longitude, latitude)
    if found.grid is None:
        raise InvalidInput(fields={field: _("This place lies outside the city's grids.")})
    grid = Grid.objects.select_related("region").get(code=found.grid.code)
    return Placed(Decimal(f"{longitude:.6f}"), Decimal(f"{latitude:.6f}"), grid)


def _named_in(address: str) -> Region:
    """The village, community or township the address names: of those whose name it contains,
    the one whose county and township it also names, then the longest name (names repeat
    across counties: "新华社区")."""
    candidates = [
        region
        for region in Region.objects.filter(level__in=PLACE_LEVELS, boundary__isnull=False)
        .order_by("path")
        .only("name", "boundary", "path")
        if region.name and region.name in address
    ]
    if not candidates:
        raise InvalidInput(
            fields={
                "address": _("The address names no village, community or township of the city.")
            }
        )
    codes = {code for region in candidates for code in region.path.strip("/").split("/")}
    names = dict(Region.objects.filter(code__in=codes).values_list("code", "name"))

    def score(region: Region) -> tuple[int, int]:
        above = region.path.strip("/").split("/")[:-1]
        return sum(1 for code in above if names.get(code, "\0") in address), len(region.name)

    return max(candidates, key=score)
