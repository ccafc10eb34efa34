"""The benchmarks still run (at a tiny scale; the real figures come from `make bench`)."""

from __future__ import annotations

from bench import chains, point_to_grid


def test_point_to_grid_benchmark_runs_and_agrees_with_the_scan() -> None:
    result = point_to_grid.run("small", points=20_000, sample=50)
    assert result.grids > 200
    assert 0 < result.inside < result.points
    assert result.ratio > 0
    assert "points/s" in point_to_grid.report(result)


def test_chains_benchmark_runs_persisted_and_in_memory(db: None) -> None:
    result = chains.run(instances=5, memory_instances=5, open_tasks=2_000, runs=3)
    assert (result.instances, result.memory_instances) == (5, 5)
    assert result.open_tasks == 2_000 + 3  # the loaded tasks and the three holders' reports
    assert result.my_tasks_rows == 50
    assert result.ratio > 0 and result.plan
    assert "instances/s" in chains.report(result)
