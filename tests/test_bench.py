"""The benchmarks still run (at a tiny scale; the real figures come from `make bench`)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from bench import chains, grassroots_intake, point_to_grid
from tests.directory.city import TinyCity


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


def test_intake_benchmark_load_and_statistics_against_a_live_server(
    transactional_db: None, live_server: Any, city: TinyCity, calendar: None
) -> None:
    address = urlsplit(str(live_server))
    assert address.hostname and address.port
    key = grassroots_intake.make_key(city.users["county_officer"])
    grids = grassroots_intake.county_grids("330602")
    # The live server's threads share the test database's one connection, so the timed run
    # goes one request at a time; concurrency is exercised on the read-only endpoint below.
    result = grassroots_intake.run(
        address.hostname,
        address.port,
        key,
        grids,
        requests=5,
        baseline_requests=10,
        concurrency=1,
        warmup=0,
    )
    assert (result.baseline.requests, result.baseline.ok) == (10, 10)
    assert (result.intake.requests, result.intake.ok) == (5, 5)
    assert result.intake.statuses == {201: 5} and result.baseline.statuses == {200: 10}
    for stats in (result.intake, result.baseline):
        assert 0 < stats.p50_ms <= stats.p99_ms and stats.per_second > 0
    assert result.check.created == result.check.in_grid == 5
    assert result.check.with_chain + result.check.to_triage == 5
    assert result.uncategorised == 3 and result.problems == [] and result.ratio > 0
    assert "requests/s" in grassroots_intake.report(result)
    calls = grassroots_intake.baseline_calls(10)
    done = grassroots_intake.load(address.hostname, address.port, calls, concurrency=3)
    assert sorted(done.statuses) == [200] * 10 and len(done.latencies_ms) == 10
    assert grassroots_intake.percentile([4.0, 1.0, 3.0, 2.0], 0.5) == 2.0
    assert grassroots_intake.percentile([float(n) for n in range(1, 101)], 0.99) == 99.0
