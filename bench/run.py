"""Every benchmark in one command: each prints its figures and their ratio to a baseline measured
in the same run, and the whole run is written as `bench-results.json` and `bench-results.md`
(a Markdown table: benchmark, figure, value, baseline, ratio; then the machine, the commit and
whether the work tree was dirty, the date).

Each benchmark runs in its own subprocess (`python -m bench.<name> … --figures-json FILE`; Django
is set up once per process, and each makes and drops its own scratch database), one after
another, its output shown as it comes. A benchmark that fails (a non-zero exit status, or no
figures) is reported as failed in the table and makes the exit status 1; the others still run.

The PostgreSQL benchmarks all get the database of --database-url, which each drops, creates
anew and drops again (so it must be a scratch database). `chains` runs on its own throw-away
SQLite file, as `make bench` always ran it. `--quick` gives each benchmark the small sizes its
test uses, to check the runner end to end in a minute or two; the default is the full sizes
of the issues (slow: the PostgreSQL ones take many minutes each).

    python -m bench.run                         # every benchmark, full size
    python -m bench.run point_to_grid chains    # the ones named
    python -m bench.run --quick --out /tmp/bench
    python -m bench.run --list
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from bench.results import (
    REPO_DIR,
    Figure,
    Outcome,
    Report,
    commit,
    machine,
    read_figures,
    render_markdown,
)

DEFAULT_DATABASE = "postgresql://postgres@127.0.0.1:5432/kuaiji_bench"
DEFAULT_OUT = REPO_DIR / "bench" / "results"
JSON_NAME = "bench-results.json"
MARKDOWN_NAME = "bench-results.md"
TAIL_LINES = 40


@dataclass(frozen=True)
class Benchmark:
    """A benchmark module `bench.<name>` as the runner calls it."""

    name: str
    summary: str
    quick: str = ""  # its options in --quick mode: the sizes its test uses
    postgresql: bool = False  # takes --database-url, a PostgreSQL database it recreates

    @property
    def module(self) -> str:
        return f"bench.{self.name}"


BENCHMARKS: tuple[Benchmark, ...] = (
    Benchmark(
        "point_to_grid",
        "point-to-grid assignment through the STRtree index against a naive scan",
        "--size small --points 20000 --sample 50",
    ),
    Benchmark(
        "chains",
        "three-step chains persisted against SpiffWorkflow in memory; my tasks among a "
        "million open tasks against a full count (SQLite)",
        "--instances 5 --memory-instances 5 --open-tasks 2000",
    ),
    Benchmark(
        "grassroots_intake",
        "grid-event intake over HTTP (gunicorn) against GET /api/v1/platform/info",
        "--requests 20 --concurrency 2",
        postgresql=True,
    ),
    Benchmark(
        "data_ingest",
        "load_file of a million-row CSV against COPY",
        "--rows 200",
        postgresql=True,
    ),
    Benchmark(
        "datastore_search",
        "rows.search with one equality filter among a million rows against bare SQL",
        "--rows 300 --values 6 --runs 6",
        postgresql=True,
    ),
    Benchmark(
        "service_pages",
        "service guide and application status pages over HTTP against a static file",
        "--requests 20 --concurrency 2",
        postgresql=True,
    ),
    Benchmark(
        "cockpit_metrics",
        "the cockpit's indicators: refresh() against bare GROUP BY SQL, endpoints against a "
        "bare read",
        "--events 600 --applications 120 --days 4 --runs 3 --per-region-days 1 --size small",
        postgresql=True,
    ),
)
BY_NAME = {benchmark.name: benchmark for benchmark in BENCHMARKS}


def shown_url(url: str) -> str:
    """`url` with its password, if any, hidden (for the output and the results files)."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.netloc.rsplit("@", 1)[1]
    return urlunsplit(parts._replace(netloc=f"{parts.username or ''}:***@{host}"))


def shown(line: list[str]) -> list[str]:
    """A command line as recorded: passwords of URLs hidden."""
    return [shown_url(part) for part in line]


def command(benchmark: Benchmark, *, quick: bool, database_url: str) -> list[str]:
    """The benchmark's command line (without --figures-json)."""
    found = [sys.executable, "-m", benchmark.module, *(benchmark.quick.split() if quick else [])]
    if benchmark.postgresql:
        found += ["--database-url", database_url]
    return found


def postgresql_version(url: str) -> tuple[str | None, str | None]:
    """The version of the PostgreSQL server of `url` (asked of its `postgres` database, since
    the benchmarks' own one may not exist yet), or why it could not be asked."""
    try:
        import psycopg

        with psycopg.connect(url, dbname="postgres", connect_timeout=10) as connection:
            row = connection.execute("SHOW server_version").fetchone()
    except Exception as failure:  # any failure is reported, none is fatal
        return None, f"{type(failure).__name__}: {str(failure).strip()}"
    return (str(row[0]) if row else None), None


def run_one(
    benchmark: Benchmark,
    *,
    quick: bool,
    database_url: str,
    folder: Path,
    echo: Callable[[str], None],
) -> Outcome:
    """Run one benchmark in a subprocess, its output echoed as it comes; collect its figures."""
    figures_file = folder / f"{benchmark.name}.json"
    line = command(benchmark, quick=quick, database_url=database_url)
    environment = {**os.environ, "PYTHONUNBUFFERED": "1"}
    tail: collections.deque[str] = collections.deque(maxlen=TAIL_LINES)
    started = time.perf_counter()
    try:
        process = subprocess.Popen(  # noqa: S603  (our own interpreter and modules)
            [*line, "--figures-json", str(figures_file)],
            cwd=REPO_DIR,
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            encoding="utf-8",
            errors="replace",
        )
    except OSError as failure:
        return Outcome(benchmark.name, shown(line), False, None, 0.0, problems=[str(failure)])
    assert process.stdout is not None
    for text in process.stdout:
        echo(text.rstrip("\n"))
        tail.append(text)
    exit_code = process.wait()
    seconds = time.perf_counter() - started
    figures: list[Figure] = []
    problems: list[str] = []
    if figures_file.exists():
        figures, problems = read_figures(figures_file)
    if exit_code == 0 and not figures:
        problems = [*problems, "it wrote no figures"]
    passed = exit_code == 0 and bool(figures)
    return Outcome(
        name=benchmark.name,
        command=shown(line),
        passed=passed,
        exit_code=exit_code,
        seconds=seconds,
        figures=figures,
        problems=problems,
        output_tail="" if passed else "".join(tail),
    )


def run_all(
    benchmarks: Sequence[Benchmark],
    *,
    quick: bool = False,
    database_url: str = DEFAULT_DATABASE,
    out: Path = DEFAULT_OUT,
    echo: Callable[[str], None] = print,
) -> Report:
    """Run `benchmarks` one after another and write the two results files into `out`."""
    date = datetime.now(UTC).isoformat(timespec="seconds")
    version = unreachable = None
    if any(benchmark.postgresql for benchmark in benchmarks):
        version, unreachable = postgresql_version(database_url)
    outcomes = []
    with tempfile.TemporaryDirectory(prefix="kuaiji-bench-run-") as folder:
        for benchmark in benchmarks:
            echo(f"== {benchmark.name}: {benchmark.summary}")
            if benchmark.postgresql and unreachable:
                problem = f"PostgreSQL at {shown_url(database_url)} not reachable: {unreachable}"
                echo(f"   FAILED: {problem}")
                line = shown(command(benchmark, quick=quick, database_url=database_url))
                outcomes.append(Outcome(benchmark.name, line, False, None, 0.0, problems=[problem]))
                continue
            outcome = run_one(
                benchmark, quick=quick, database_url=database_url, folder=Path(folder), echo=echo
            )
            for figure in outcome.figures:
                echo(f"-> {figure.line()}")
            if not outcome.passed:
                why = "; ".join(outcome.problems) or f"exit status {outcome.exit_code}"
                echo(f"-> {benchmark.name} FAILED ({why})")
            echo(f"   ({outcome.seconds:,.1f} s)")
            outcomes.append(outcome)
    report = Report(
        date=date,
        quick=quick,
        machine=machine(version),
        commit=commit(),
        outcomes=outcomes,
    )
    write(report, out)
    return report


def write(report: Report, out: Path) -> tuple[Path, Path]:
    """Write the run as JSON and as a Markdown table into `out`."""
    out.mkdir(parents=True, exist_ok=True)
    as_json, as_markdown = out / JSON_NAME, out / MARKDOWN_NAME
    as_json.write_text(
        json.dumps(report.to_json(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    as_markdown.write_text(render_markdown(report), encoding="utf-8")
    return as_json, as_markdown


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.run",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("names", nargs="*", metavar="NAME", help="benchmarks to run (all if none)")
    parser.add_argument("--quick", action="store_true", help="the small sizes of the tests")
    parser.add_argument(
        "--database-url",
        default=DEFAULT_DATABASE,
        help="the scratch PostgreSQL database of the PostgreSQL benchmarks (dropped and created "
        "anew by each)",
    )
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help="where the results files go (%(default)s)"
    )
    parser.add_argument("--list", action="store_true", help="list the benchmarks and stop")
    arguments = parser.parse_args(argv)
    if arguments.list:
        for benchmark in BENCHMARKS:
            where = "PostgreSQL" if benchmark.postgresql else "no server"
            print(f"{benchmark.name:<18} {benchmark.summary} ({where})")
        return 0
    unknown = [name for name in arguments.names if name not in BY_NAME]
    if unknown:
        parser.error(f"unknown benchmark {', '.join(unknown)}; known: {', '.join(BY_NAME)}")
    if not arguments.database_url.startswith(("postgres://", "postgresql://")):
        parser.error("--database-url takes a postgresql:// URL")
    chosen = [BY_NAME[name] for name in dict.fromkeys(arguments.names)] or list(BENCHMARKS)
    report = run_all(
        chosen, quick=arguments.quick, database_url=arguments.database_url, out=arguments.out
    )
    failed = [outcome.name for outcome in report.outcomes if not outcome.passed]
    print(
        f"Wrote {arguments.out / JSON_NAME} and {arguments.out / MARKDOWN_NAME}: "
        f"{len(report.outcomes) - len(failed)} passed"
        + (f", {len(failed)} failed ({', '.join(failed)})" if failed else "")
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
