"""The benchmarks still run (at a tiny scale; the real figures come from `make bench`)."""

from __future__ import annotations

from bench import point_to_grid


def test_point_to_grid_benchmark_runs_and_agrees_with_the_scan() -> None:
    result = point_to_grid.run("small", points=20_000, sample=50)
    assert result.grids > 200
    assert 0 < result.inside < result.points
    assert result.ratio > 0
    assert "points/s" in point_to_grid.report(result)
