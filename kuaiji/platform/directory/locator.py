"""Point-to-grid assignment: which grid, village, township and county a coordinate lies in.

The grid polygons are put in a shapely STRtree once per process. The index is dropped when a
grid upsert commits in this process, and rebuilt when another process has changed grids (the
grid count and latest change time are compared at most every `RECHECK_SECONDS`).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from django.db.models import Count, Max
from numpy.typing import NDArray
from shapely.geometry import shape
from shapely.strtree import STRtree

from kuaiji.platform.directory.models import Grid, Region, RegionLevel

RECHECK_SECONDS = 10.0


@dataclass(frozen=True)
class Place:
    """A named unit a point lies in."""

    code: str
    name: str


@dataclass(frozen=True)
class Location:
    """Where a point lies; `grid` is None when it is outside the jurisdiction."""

    longitude: float
    latitude: float
    grid: Place | None = None
    village: Place | None = None
    township: Place | None = None
    county: Place | None = None

    @property
    def inside(self) -> bool:
        return self.grid is not None


@dataclass(frozen=True)
class IndexedGrid:
    """What the index keeps of a grid."""

    code: str
    name: str
    region_path: str
    geometry: Any


class GridLocator:
    """An STRtree over grid polygons, with the regions needed to name a location."""

    def __init__(self, grids: Sequence[IndexedGrid], regions: dict[str, tuple[str, str]]) -> None:
        self.grids = list(grids)
        self.regions = regions  # code -> (name, level)
        self.tree = STRtree([grid.geometry for grid in self.grids])

    @classmethod
    def from_database(cls) -> GridLocator:
        """Build the index from every stored grid."""
        rows = Grid.objects.values_list("code", "name", "region__path", "boundary")
        grids = [
            IndexedGrid(code, name, path, shape(boundary)) for code, name, path, boundary in rows
        ]
        regions = {
            code: (name, level)
            for code, name, level in Region.objects.values_list("code", "name", "level")
        }
        return cls(grids, regions)

    def grid_indices(
        self, longitudes: NDArray[np.float64], latitudes: NDArray[np.float64]
    ) -> NDArray[np.int64]:
        """For each point, the index of the grid it lies in, or -1 outside every grid."""
        points = shapely.points(longitudes, latitudes)
        found = np.full(len(points), -1, dtype=np.int64)
        if not self.grids:
            return found
        point_index, grid_index = self.tree.query(points, predicate="intersects")
        # A point on a border between two grids matches both; the first one found is kept.
        first = np.unique(point_index, return_index=True)[1]
        found[point_index[first]] = grid_index[first]
        return found

    def locate(self, longitude: float, latitude: float) -> Location:
        """The grid, village, township and county of one point."""
        index = int(self.grid_indices(np.array([longitude]), np.array([latitude]))[0])
        if index < 0:
            return Location(longitude, latitude)
        grid = self.grids[index]
        places = {}
        for code in grid.region_path.strip("/").split("/"):
            name, level = self.regions.get(code, ("", ""))
            places[level] = Place(code, name)
        return Location(
            longitude,
            latitude,
            grid=Place(grid.code, grid.name),
            village=places.get(RegionLevel.VILLAGE),
            township=places.get(RegionLevel.TOWNSHIP),
            county=places.get(RegionLevel.COUNTY),
        )


_lock = threading.Lock()
_cached: GridLocator | None = None
_stamp: tuple[int, Any] | None = None
_checked_at = 0.0


def _grid_stamp() -> tuple[int, Any]:
    figures = Grid.objects.aggregate(count=Count("pk"), latest=Max("updated_at"))
    return figures["count"], figures["latest"]


def get_locator() -> GridLocator:
    """The process's locator, rebuilt when the grids have changed."""
    global _cached, _stamp, _checked_at
    with _lock:
        now = time.monotonic()
        if _cached is None or now - _checked_at > RECHECK_SECONDS:
            stamp = _grid_stamp()
            if _cached is None or stamp != _stamp:
                _cached, _stamp = GridLocator.from_database(), stamp
            _checked_at = now
        return _cached


def forget_locator() -> None:
    """Drop the cached index; the next lookup rebuilds it."""
    global _cached
    with _lock:
        _cached = None


def locate(longitude: float, latitude: float) -> Location:
    """Where a coordinate lies, using the process's index."""
    return get_locator().locate(longitude, latitude)
