"""The figures of the benchmarks in one shape, and the results file of a run of `bench.run`.

A `Figure` is one measured value and its baseline, measured in the same run and in the same
unit: the ratio is always value / baseline. Whether that is good depends on the unit: for
rates (``…/s``) a higher value is better, for times (``ms``, ``s``) a lower one; `better` says
which. Each benchmark module has `figures(result) -> list[Figure]` over the result its
`main()` prints, and `main()` writes them as JSON when given ``--figures-json PATH`` (which is
how `bench.run` collects them from its subprocesses; nothing is measured twice).

`Report` is a whole run of the runner: each benchmark's outcome and figures, the machine, the
commit, the date; `Report.to_json()` and `render_markdown(report)` are the two files it writes.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

REPO_DIR = Path(__file__).resolve().parents[1]
FORMAT = 1  # the version of the JSON files' layout
Better = Literal["higher", "lower"]


@dataclass(frozen=True)
class Figure:
    """One figure of a benchmark and its same-run baseline, in the same unit."""

    benchmark: str
    label: str
    value: float
    unit: str
    baseline_label: str
    baseline_value: float
    better: Better = "higher"
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def ratio(self) -> float:
        """value / baseline_value (NaN when the baseline is zero or missing)."""
        if not self.baseline_value or math.isnan(self.baseline_value):
            return math.nan
        return self.value / self.baseline_value

    def line(self) -> str:
        """The figure in one line, as the runner prints it."""
        return (
            f"{self.benchmark}: {self.label} {number(self.value)} {self.unit}; baseline "
            f"{self.baseline_label} {number(self.baseline_value)} {self.unit}; ratio "
            f"{number(self.ratio)} ({self.better} is better)"
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "benchmark": self.benchmark,
            "label": self.label,
            "value": finite(self.value),
            "unit": self.unit,
            "baseline_label": self.baseline_label,
            "baseline_value": finite(self.baseline_value),
            "ratio": finite(self.ratio),
            "better": self.better,
            "details": plain(self.details),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Figure:
        def value(key: str) -> float:
            found = data.get(key)
            return math.nan if found is None else float(found)

        return cls(
            benchmark=str(data["benchmark"]),
            label=str(data["label"]),
            value=value("value"),
            unit=str(data["unit"]),
            baseline_label=str(data["baseline_label"]),
            baseline_value=value("baseline_value"),
            better="lower" if data.get("better") == "lower" else "higher",
            details=dict(data.get("details") or {}),
        )


def finite(value: float) -> float | None:
    """`value` for JSON: NaN and infinities become null."""
    return value if math.isfinite(value) else None


def plain(value: Any) -> Any:
    """`value` with every NaN or infinity inside it replaced by None (JSON has neither)."""
    if isinstance(value, float):
        return finite(value)
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    return value


def number(value: float) -> str:
    """A value as shown: three significant figures at least, thousands separated."""
    if not math.isfinite(value):
        return "—"
    size = abs(value)
    if size >= 100:
        return f"{value:,.0f}"
    if size >= 10:
        return f"{value:.1f}"
    if size >= 1:
        return f"{value:.2f}"
    return f"{value:.3g}"


# ---------------------------------------------------------------------------------------------
# A benchmark module's side: the --figures-json option of its main().


def add_figures_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--figures-json",
        type=Path,
        default=None,
        metavar="PATH",
        help="also write the figures as JSON to PATH (bench.run collects them this way)",
    )


def write_figures(
    arguments: argparse.Namespace, figures: list[Figure], problems: list[str] | None = None
) -> None:
    """Write `figures` (and the run's problems, if it failed its checks) to the file of
    ``--figures-json``, if given."""
    path: Path | None = getattr(arguments, "figures_json", None)
    if path is None:
        return
    content = {
        "format": FORMAT,
        "figures": [figure.to_json() for figure in figures],
        "problems": list(problems or []),
    }
    path.write_text(json.dumps(content, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def read_figures(path: Path) -> tuple[list[Figure], list[str]]:
    """The figures and problems written by `write_figures`."""
    content = json.loads(path.read_text(encoding="utf-8"))
    return (
        [Figure.from_json(item) for item in content.get("figures", [])],
        [str(problem) for problem in content.get("problems", [])],
    )


# ---------------------------------------------------------------------------------------------
# A run of the runner.


@dataclass(frozen=True)
class Outcome:
    """What one benchmark of a run gave."""

    name: str
    command: list[str]
    passed: bool
    exit_code: int | None
    seconds: float
    figures: list[Figure] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # why it failed, if it did
    output_tail: str = ""  # the last lines it printed, kept when it failed

    @property
    def status(self) -> str:
        return "passed" if self.passed else "failed"

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "status": self.status,
            "exit_code": self.exit_code,
            "seconds": round(self.seconds, 3),
            "command": self.command,
            "figures": [figure.to_json() for figure in self.figures],
            "problems": self.problems,
            "output_tail": self.output_tail,
        }


@dataclass(frozen=True)
class Report:
    """A run of the runner."""

    date: str  # when the run started, ISO 8601, UTC
    quick: bool
    machine: dict[str, Any]
    commit: dict[str, Any]
    outcomes: list[Outcome]

    @property
    def passed(self) -> bool:
        return all(outcome.passed for outcome in self.outcomes)

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "date": self.date,
            "quick": self.quick,
            "ratio": "value / baseline, both measured in the same run",
            "machine": self.machine,
            "commit": self.commit,
            "benchmarks": [outcome.to_json() for outcome in self.outcomes],
        }


def machine(postgresql: str | None = None) -> dict[str, Any]:
    """The machine the run is on; `postgresql` is the server version when one was used."""
    return {
        "cpu_count": os.cpu_count(),
        "cpu_model": _cpu_model(),
        "memory_bytes": _memory_bytes(),
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "os": platform.platform(),
        "postgresql": postgresql,
    }


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith(("model name", "hardware", "cpu model")):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _memory_bytes() -> int | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return None


def commit(repository: Path = REPO_DIR) -> dict[str, Any]:
    """The checked-out commit and whether the work tree differs from it (changed or untracked
    files; ignored ones do not count)."""

    def git(*arguments: str) -> str | None:
        try:
            done = subprocess.run(  # noqa: S603
                ["git", *arguments],  # noqa: S607
                cwd=repository,
                capture_output=True,
                text=True,
                check=True,
                timeout=30,
            )
        except (OSError, subprocess.SubprocessError):
            return None
        return done.stdout

    sha = git("rev-parse", "HEAD")
    status = git("status", "--porcelain")
    return {
        "sha": sha.strip() if sha else None,
        "dirty": None if status is None else bool(status.strip()),
        "changed_files": None if status is None else len(status.splitlines()),
    }


# ---------------------------------------------------------------------------------------------
# The Markdown table.


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _gib(size: int | None) -> str:
    return "unknown" if size is None else f"{size / 2**30:.1f} GiB"


def render_markdown(report: Report) -> str:
    """The run as a Markdown table of figures, followed by the machine, the commit and the
    date."""
    rows = [
        "| benchmark | figure | value | baseline | ratio |",
        "|---|---|---:|---|---:|",
    ]
    for outcome in report.outcomes:
        for figure in outcome.figures:
            rows.append(
                "| "
                + " | ".join(
                    _cell(text)
                    for text in (
                        outcome.name,
                        figure.label,
                        f"{number(figure.value)} {figure.unit}",
                        f"{figure.baseline_label}: {number(figure.baseline_value)} {figure.unit}",
                        f"{number(figure.ratio)} ({figure.better} is better)",
                    )
                )
                + " |"
            )
        if not outcome.passed:
            code = "no exit status" if outcome.exit_code is None else f"exit {outcome.exit_code}"
            why = "; ".join(outcome.problems) or _last_line(outcome.output_tail)
            rows.append(
                f"| {_cell(outcome.name)} | **FAILED** ({code}) | — | {_cell(why) or '—'} | — |"
            )
    found = report.machine
    sha = report.commit.get("sha") or "unknown"
    dirty = report.commit.get("dirty")
    tree = {True: "dirty work tree", False: "clean work tree", None: "work tree unknown"}[dirty]
    changed = f", {report.commit.get('changed_files')} files changed or new" if dirty else ""
    size = "quick (the tests' small sizes)" if report.quick else "full size"
    failed = [outcome.name for outcome in report.outcomes if not outcome.passed]
    lines = [
        "# Benchmark results",
        "",
        f"{report.date}, commit `{sha}` ({tree}), {size}: "
        + (f"{len(failed)} failed ({', '.join(failed)})." if failed else "all passed."),
        "",
        *rows,
        "",
        "The ratio is the value over its baseline, both measured in the same run; for rates "
        "(…/s) higher is better, for times lower.",
        "",
        "## Machine",
        "",
        f"- CPU: {found.get('cpu_count')} × {found.get('cpu_model') or 'unknown'}",
        f"- Memory: {_gib(found.get('memory_bytes'))}",
        f"- Python: {found.get('python')}",
        f"- PostgreSQL: {found.get('postgresql') or 'not used'}",
        f"- OS: {found.get('os')}",
        f"- Commit: `{sha}` ({tree}{changed})",
        f"- Date: {report.date}",
        "",
    ]
    return "\n".join(lines)


def _last_line(text: str) -> str:
    found = [line.strip() for line in text.splitlines() if line.strip()]
    return found[-1] if found else ""
