"""The grid map's GeoJSON: one region's grids as a FeatureCollection, with its outline."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse

from kuaiji.platform.directory.models import Grid, Region

PRECISION = 6  # decimal places of a degree: about 0.1 m, plenty for a grid boundary


def _rounded(coordinates: Any) -> Any:
    """Coordinates (at any depth of nesting) rounded to `PRECISION`, to keep the answer small."""
    if isinstance(coordinates, float):
        return round(coordinates, PRECISION)
    if isinstance(coordinates, list):
        return [_rounded(item) for item in coordinates]
    return coordinates


def _geometry(geometry: dict[str, Any]) -> dict[str, Any]:
    return {"type": geometry["type"], "coordinates": _rounded(geometry["coordinates"])}


def grid_feature(grid: Grid) -> dict[str, Any]:
    """A grid as a Feature; `url` is the side panel the map opens when it is clicked."""
    return {
        "type": "Feature",
        "id": grid.code,
        "geometry": _geometry(grid.boundary),
        "properties": {
            "role": "grid",
            "code": grid.code,
            "name": grid.name,
            "kind": grid.kind,
            "households": grid.households,
            "population": grid.population,
            "url": reverse("workbench:directory:grid_detail", args=[grid.code]),
        },
    }


def feature_collection(area: Region, grids: Iterable[Grid]) -> dict[str, Any]:
    """The grids of `area`, preceded by the area's own outline when it has one."""
    features = []
    if area.boundary:
        features.append(
            {
                "type": "Feature",
                "id": area.code,
                "geometry": _geometry(area.boundary),
                "properties": {"role": "outline", "code": area.code, "name": area.name},
            }
        )
    features.extend(grid_feature(grid) for grid in grids)
    return {"type": "FeatureCollection", "features": features}
