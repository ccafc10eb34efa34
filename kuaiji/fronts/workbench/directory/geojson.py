"""The grid map's GeoJSON: one region's grids as a FeatureCollection, with its outline."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse

from kuaiji.platform.directory import geojson
from kuaiji.platform.directory.models import Grid, Region


def grid_feature(grid: Grid) -> dict[str, Any]:
    """A grid as a Feature; `url` is the side panel the map opens when it is clicked."""
    url = reverse("workbench:directory:grid_detail", args=[grid.code])
    return geojson.grid_feature(grid, role="grid", url=url)


def feature_collection(area: Region, grids: Iterable[Grid]) -> dict[str, Any]:
    """The grids of `area`, preceded by the area's own outline when it has one."""
    outline = [geojson.region_feature(area, role="outline")] if area.boundary else []
    return geojson.collection([*outline, *(grid_feature(grid) for grid in grids)])
