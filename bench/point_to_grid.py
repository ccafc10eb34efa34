"""Point-to-grid assignment: the STRtree index against a naive scan of every grid polygon.

Assigns POINTS random points in the city's bounding box to the demo city's grids and compares
the rate with a naive scan (each point tested against the polygons in turn until one contains
it) over a sample of the same points, in the same run. Both must give the same grids.

    python -m bench.point_to_grid [--size default] [--points 1000000] [--sample 1000]
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from dataclasses import dataclass

import django
import numpy as np
from shapely.geometry import Point, shape
from shapely.ops import unary_union

from bench.results import Figure, add_figures_option, write_figures


@dataclass(frozen=True)
class Result:
    """The figures of one run."""

    grids: int
    points: int
    inside: int
    indexed_per_second: float
    sample: int
    naive_per_second: float
    build_seconds: float

    @property
    def ratio(self) -> float:
        return self.indexed_per_second / self.naive_per_second


def run(
    size: str = "default", points: int = 1_000_000, sample: int = 1_000, seed: int = 2026
) -> Result:
    """Measure both methods on the demo grids of `size`."""
    from kuaiji.platform.directory.demo_city.sizes import SIZES
    from kuaiji.platform.directory.demo_city.territory import build_territory
    from kuaiji.platform.directory.locator import GridLocator, IndexedGrid

    territory = build_territory(SIZES[size])  # type: ignore[index]
    regions = {r.code: (r.name, r.level.value) for r in territory.regions}
    counties = [shape(r.boundary) for r in territory.regions if r.level == "county" and r.boundary]
    minx, miny, maxx, maxy = unary_union(counties).bounds
    started = time.perf_counter()
    locator = GridLocator(
        [IndexedGrid(g.code, g.name, "", shape(g.boundary)) for g in territory.grids], regions
    )
    build_seconds = time.perf_counter() - started

    rng = np.random.default_rng(seed)
    lons, lats = rng.uniform(minx, maxx, points), rng.uniform(miny, maxy, points)
    started = time.perf_counter()
    found = np.concatenate(
        [
            locator.grid_indices(lons[i : i + 100_000], lats[i : i + 100_000])
            for i in range(0, points, 100_000)
        ]
    )
    indexed_seconds = time.perf_counter() - started

    polygons = [grid.geometry for grid in locator.grids]
    started = time.perf_counter()
    naive = [
        next((i for i, polygon in enumerate(polygons) if polygon.intersects(Point(x, y))), -1)
        for x, y in zip(lons[:sample], lats[:sample], strict=True)
    ]
    naive_seconds = time.perf_counter() - started
    mismatched = [
        i
        for i, grid in enumerate(naive)
        if grid != found[i]
        and not (grid >= 0 and polygons[found[i]].intersects(Point(lons[i], lats[i])))
    ]
    if mismatched:
        raise AssertionError(f"index and scan disagree on {len(mismatched)} sample points")
    return Result(
        grids=len(polygons),
        points=points,
        inside=int((found >= 0).sum()),
        indexed_per_second=points / indexed_seconds,
        sample=sample,
        naive_per_second=sample / naive_seconds,
        build_seconds=build_seconds,
    )


def report(result: Result) -> str:
    """The figures as printed."""
    return "\n".join(
        [
            f"point-to-grid over {result.grids:,} grids ({platform.python_implementation()} "
            f"{platform.python_version()}, {os.cpu_count()} cores)",
            f"  index built in {result.build_seconds:.2f} s",
            f"  STRtree:    {result.points:,} points, {result.inside:,} inside a grid, "
            f"{result.indexed_per_second:,.0f} points/s",
            f"  naive scan: {result.sample:,} sample points, "
            f"{result.naive_per_second:,.0f} points/s",
            f"  ratio: {result.ratio:,.0f}x the naive scan",
        ]
    )


def figures(result: Result) -> list[Figure]:
    """The figure of the run: points/s through the index against the naive scan's."""
    return [
        Figure(
            benchmark="point_to_grid",
            label="STRtree point-to-grid",
            value=result.indexed_per_second,
            unit="points/s",
            baseline_label="naive scan",
            baseline_value=result.naive_per_second,
            details={
                "grids": result.grids,
                "points": result.points,
                "inside": result.inside,
                "sample": result.sample,
                "build_seconds": result.build_seconds,
            },
        )
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", default="default", choices=["small", "default", "large"])
    parser.add_argument("--points", type=int, default=1_000_000)
    parser.add_argument("--sample", type=int, default=1_000)
    add_figures_option(parser)
    arguments = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kuaiji.config.settings")
    django.setup()
    result = run(arguments.size, arguments.points, arguments.sample)
    print(report(result))
    write_figures(arguments, figures(result))


if __name__ == "__main__":
    main()
