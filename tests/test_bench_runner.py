"""The benchmark runner (`python -m bench.run`): one quick run of a cheap benchmark and a broken
one through subprocesses, its two results files, the Markdown table, and each module's figures
(ratio = value / baseline, as each module prints it)."""

from __future__ import annotations

import argparse
import json
import math
import re
from pathlib import Path

import pytest

from bench import chains, cockpit_metrics, data_ingest, datastore_search, point_to_grid, run
from bench.grassroots_intake import Stats
from bench.results import Figure, Outcome, Report, render_markdown, write_figures


def test_a_quick_run_writes_the_figures_and_reports_a_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = run.Benchmark("missing_benchmark", "a module that does not exist")
    monkeypatch.setattr(run, "BY_NAME", {**run.BY_NAME, broken.name: broken})

    status = run.main(["missing_benchmark", "point_to_grid", "--quick", "--out", str(tmp_path)])

    assert status == 1  # one failed, and the other still ran
    printed = capsys.readouterr().out
    assert "== point_to_grid" in printed and "STRtree:" in printed  # the module's own output
    assert re.search(r"-> point_to_grid: STRtree point-to-grid [\d,]+ points/s.*ratio", printed)
    assert "missing_benchmark FAILED" in printed

    content = json.loads((tmp_path / "bench-results.json").read_text(encoding="utf-8"))
    assert content["quick"] is True
    failed, passed = content["benchmarks"]
    assert (failed["name"], failed["status"], failed["exit_code"]) == (
        "missing_benchmark",
        "failed",
        1,
    )
    assert failed["figures"] == [] and "No module named" in failed["output_tail"]
    assert (passed["name"], passed["status"], passed["exit_code"]) == ("point_to_grid", "passed", 0)
    assert passed["command"][-6:] == ["--size", "small", "--points", "20000", "--sample", "50"]
    [figure] = passed["figures"]
    assert figure["unit"] == "points/s" and figure["baseline_label"] == "naive scan"
    assert figure["value"] > 0 and figure["baseline_value"] > 0
    assert figure["ratio"] == pytest.approx(figure["value"] / figure["baseline_value"])
    assert figure["details"]["points"] == 20_000 and figure["details"]["sample"] == 50
    machine = content["machine"]
    assert machine["cpu_count"] >= 1 and machine["memory_bytes"] > 0
    assert machine["python"] and machine["os"] and machine["cpu_model"]
    assert machine["postgresql"] is None  # neither benchmark used it
    assert re.fullmatch(r"[0-9a-f]{40}", content["commit"]["sha"])
    assert isinstance(content["commit"]["dirty"], bool)

    table = (tmp_path / "bench-results.md").read_text(encoding="utf-8")
    assert "| benchmark | figure | value | baseline | ratio |" in table
    assert re.search(r"\| point_to_grid \| STRtree point-to-grid \| [\d,]+ points/s \|", table)
    assert "| missing_benchmark | **FAILED** (exit 1) |" in table
    assert content["commit"]["sha"] in table and "- Python: " in table
    assert "- PostgreSQL: not used" in table


def test_an_unreachable_postgresql_fails_its_benchmarks_without_running_them(
    tmp_path: Path,
) -> None:
    report = run.run_all(
        [run.BY_NAME["data_ingest"]],
        quick=True,
        database_url="postgresql://postgres:secret@127.0.0.1:1/kuaiji_bench",
        out=tmp_path,
        echo=lambda _line: None,
    )
    [outcome] = report.outcomes
    assert not outcome.passed and outcome.exit_code is None and outcome.figures == []
    assert "not reachable" in outcome.problems[0]
    written = (tmp_path / "bench-results.json").read_text(encoding="utf-8")
    assert "secret" not in written and "postgres:***@127.0.0.1:1" in written
    assert "| data_ingest | **FAILED** (no exit status) |" in (
        tmp_path / "bench-results.md"
    ).read_text(encoding="utf-8")


def test_the_markdown_table() -> None:
    figures = [
        Figure("demo", "indexed", 1_234_567.8, "points/s", "scan", 1_234.5),
        Figure("demo", "query | page", 2.5, "ms", "count", 0.5, better="lower"),
        Figure("demo", "no baseline", 3.0, "s", "nothing", 0.0, better="lower"),
    ]
    report = Report(
        date="2026-01-02T03:04:05+00:00",
        quick=False,
        machine={
            "cpu_count": 2,
            "cpu_model": "Test CPU",
            "memory_bytes": 8 * 2**30,
            "python": "CPython 3.11.7",
            "os": "Linux-test",
            "postgresql": "15.20",
        },
        commit={"sha": "a" * 40, "dirty": True, "changed_files": 3},
        outcomes=[
            Outcome("demo", ["python", "-m", "bench.demo"], True, 0, 1.0, figures),
            Outcome("broken", ["python"], False, 1, 1.0, problems=["2 of 10 requests failed"]),
        ],
    )
    text = render_markdown(report)
    assert text.splitlines()[2] == (
        f"2026-01-02T03:04:05+00:00, commit `{'a' * 40}` (dirty work tree), full size: "
        "1 failed (broken)."
    )
    table = [line for line in text.splitlines() if line.startswith("|")]
    assert table == [
        "| benchmark | figure | value | baseline | ratio |",
        "|---|---|---:|---|---:|",
        "| demo | indexed | 1,234,568 points/s | scan: 1,234 points/s | 1,000 (higher is better) |",
        "| demo | query \\| page | 2.50 ms | count: 0.5 ms | 5.00 (lower is better) |",
        "| demo | no baseline | 3.00 s | nothing: 0 s | — (lower is better) |",
        "| broken | **FAILED** (exit 1) | — | 2 of 10 requests failed | — |",
    ]
    assert "- CPU: 2 × Test CPU" in text and "- Memory: 8.0 GiB" in text
    assert "- PostgreSQL: 15.20" in text and "- OS: Linux-test" in text
    assert f"- Commit: `{'a' * 40}` (dirty work tree, 3 files changed or new)" in text
    assert report.to_json()["benchmarks"][0]["figures"][2]["ratio"] is None  # not NaN


def test_the_figures_file_has_no_nan(tmp_path: Path) -> None:
    path = tmp_path / "figures.json"
    figure = Figure(
        "demo", "rate", math.nan, "requests/s", "static", 10.0, details={"p50": math.nan}
    )
    write_figures(argparse.Namespace(figures_json=path), [figure], ["it failed"])
    content = json.loads(path.read_text(encoding="utf-8"))  # strict JSON: NaN would not parse
    assert content["figures"][0]["value"] is None and content["figures"][0]["details"] == {
        "p50": None
    }
    assert content["problems"] == ["it failed"]
    assert "NaN" not in path.read_text(encoding="utf-8")


def _check(figures: list[Figure], ratios: list[float]) -> None:
    assert [figure.ratio for figure in figures] == pytest.approx(ratios)
    for figure in figures:
        assert figure.ratio == pytest.approx(figure.value / figure.baseline_value)
        assert json.dumps(figure.to_json())


def test_each_modules_figures_carry_the_ratio_it_prints() -> None:
    grid = point_to_grid.Result(10, 1000, 900, 50_000.0, 100, 500.0, 0.1)
    _check(point_to_grid.figures(grid), [grid.ratio])

    chain = chains.Result("sqlite", 5, 7.0, 5, 300.0, 2003, 0.5, 50, 16.0, 0.5, "plan")
    _check(chains.figures(chain), [chain.ratio, chain.query_ratio])

    ingest = data_ingest.Result(200, 26_000, 0.1, 0.05, 0.05, 200, 0.004, 200, 260.0, 262.0)
    _check(data_ingest.figures(ingest), [ingest.ratio])

    timing = datastore_search.Timing
    search = datastore_search.Result(
        300, 6, 6, 50.0, timing(4.0, 8.0), timing(0.5, 0.7), timing(26.0, 35.0), "plan"
    )
    _check(datastore_search.figures(search), [search.ratio, 26.0 / 0.5])

    endpoint = cockpit_metrics.Endpoint(
        "/api/v1/metrics/snapshot", timing(40, 45), timing(1, 3), 19
    )
    cockpit = cockpit_metrics.Result(
        600, 120, 4, 25, 0.1, 0.8, 0.12, 0.1, 4.8, 19, 837, True, 0, None, [endpoint]
    )
    _check(cockpit_metrics.figures(cockpit), [cockpit.ratio, cockpit.compute_ratio, endpoint.ratio])


def test_the_http_figures_carry_the_ratio_they_print() -> None:
    from bench import grassroots_intake, service_pages

    fast = Stats(100, 100, 1.0, 5.0, 9.0, {200: 100})
    slow = Stats(10, 10, 1.0, 50.0, 90.0, {201: 10})
    check = grassroots_intake.Check(10, 10, 5, 5, 5, 0, 0)
    intake = grassroots_intake.Result("postgresql", 2, 2, slow, fast, check, 5)
    [figure] = grassroots_intake.figures(intake)
    assert figure.ratio == pytest.approx(intake.ratio) == pytest.approx(0.1)
    assert figure.details["load"]["statuses"] == {"201": 10}

    page = service_pages.Page("guide", "/services/items/x/", {})
    pages = service_pages.Result("postgresql", 2, 2, [(page, slow)], fast)
    [figure] = service_pages.figures(pages)
    assert figure.ratio == pytest.approx(pages.ratio(slow)) and figure.label.startswith("guide")
