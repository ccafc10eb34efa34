"""Tiling: split an area into pieces that cover it without gaps or overlaps, with coordinates
kept to six decimals (about 0.1 m)."""

from __future__ import annotations

import json
import random
from typing import Any

import shapely
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

PRECISION = 1e-6  # degrees
RELAXATION_ROUNDS = 2
ATTEMPTS = 20


def rounded(geometry: BaseGeometry) -> BaseGeometry:
    """The geometry snapped to six decimals and still valid (empty if it collapses)."""
    return shapely.set_precision(geometry, PRECISION)


def polygonal(geometry: BaseGeometry) -> BaseGeometry:
    """Only the polygons of a geometry: an intersection may add stray lines and points."""
    if isinstance(geometry, Polygon | MultiPolygon):
        return geometry
    polygons = [part for part in shapely.get_parts(geometry) if isinstance(part, Polygon)]
    return polygons[0] if len(polygons) == 1 else MultiPolygon(polygons)


def to_geojson(geometry: BaseGeometry) -> dict[str, Any]:
    """The geometry as a GeoJSON dict with lists, exactly as a JSON column reads it back."""
    result: dict[str, Any] = json.loads(shapely.to_geojson(geometry))
    return result


def partition(area: BaseGeometry, count: int, rng: random.Random) -> list[BaseGeometry]:
    """`count` non-empty rounded pieces that tile `area` (which should itself be rounded).

    The pieces are the Voronoi cells of random points inside the area, clipped to it, and
    moved `RELAXATION_ROUNDS` times toward their centres (Lloyd's algorithm) so that they are
    of similar size. If a piece would vanish when rounded, the tiling starts again from new
    points; the generator decides everything, so the result is the same on every run.
    """
    if count == 1:
        return [area]
    for _attempt in range(ATTEMPTS):
        pieces = _clipped_cells(_points_inside(area, count, rng), area)
        for _round in range(RELAXATION_ROUNDS):
            pieces = _clipped_cells([_centre(piece) for piece in pieces], area)
        result = [rounded(piece) for piece in pieces]
        if len(result) == count and not any(piece.is_empty for piece in result):
            return result
    raise ValueError(f"cannot split the area into {count} pieces")


def _points_inside(area: BaseGeometry, count: int, rng: random.Random) -> list[tuple[float, float]]:
    """`count` random points in the interior of the area (drawn in its bounding box)."""
    shapely.prepare(area)
    west, south, east, north = area.bounds
    points: list[tuple[float, float]] = []
    while len(points) < count:
        x, y = rng.uniform(west, east), rng.uniform(south, north)
        if shapely.contains_xy(area, x, y):
            points.append((x, y))
    return points


def _clipped_cells(seeds: list[tuple[float, float]], area: BaseGeometry) -> list[BaseGeometry]:
    """The Voronoi cell of each seed, in seed order, cut to the area."""
    diagram = shapely.voronoi_polygons(shapely.multipoints(seeds), extend_to=area, ordered=True)
    cells = shapely.intersection(shapely.get_parts(diagram), area)
    return [polygonal(cell) for cell in cells]


def _centre(piece: BaseGeometry) -> tuple[float, float]:
    """The piece's centroid, or a point on it when the centroid falls outside."""
    centre = piece.centroid
    if not piece.contains(centre):
        centre = piece.point_on_surface()
    return centre.x, centre.y
