"""GeoJSON (RFC 7946) for the directory: features of regions and grids, and collections of them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from kuaiji.platform.directory.models import Grid, Region


def feature(
    key: str, geometry: dict[str, Any] | None, properties: dict[str, Any]
) -> dict[str, Any]:
    """One Feature."""
    return {"type": "Feature", "id": key, "geometry": geometry, "properties": properties}


def collection(features: Iterable[dict[str, Any]], **members: Any) -> dict[str, Any]:
    """A FeatureCollection with `numberReturned` and any further members (`numberMatched`…)."""
    listed = list(features)
    return {
        "type": "FeatureCollection",
        "numberReturned": len(listed),
        **members,
        "features": listed,
    }


def region_feature(region: Region, **extra: Any) -> dict[str, Any]:
    """A region's outline with its code, names and level."""
    properties = {
        "code": region.code,
        "name": region.name,
        "name_en": region.name_en,
        "level": region.level,
    }
    return feature(region.code, region.boundary, properties | extra)


def grid_feature(grid: Grid, **extra: Any) -> dict[str, Any]:
    """A grid with its code, name, kind, village or township and figures."""
    properties = {
        "code": grid.code,
        "name": grid.name,
        "kind": grid.kind,
        "dedicated_to": grid.dedicated_to,
        "region_code": grid.region.code,
        "region_name": grid.region.name,
        "households": grid.households,
        "population": grid.population,
    }
    return feature(grid.code, grid.boundary, properties | extra)
