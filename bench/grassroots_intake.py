"""Grid-event intake over HTTP: `POST /api/v1/grassroots/events` served by gunicorn with several
workers, against the minimal JSON endpoint `GET /api/v1/platform/info` of the same server.

The benchmark makes a throw-away database (PostgreSQL by default; the database of the URL is
dropped, created anew and dropped again at the end) and data folder, migrates, loads the demo
city at size "small" (every step of `kuaiji load-demo`, which also publishes the calendar and
trains the triage model into the data folder, where the workers load it from), and makes an API
key holding `grassroots.event.report` for the demo account `county` (a county officer of
Yuecheng). It then starts gunicorn (`kuaiji.config.wsgi:application`, WORKERS sync workers, one
thread each, on a free port of 127.0.0.1) with the same environment `kuaiji serve` would have.

A second process sends the load: CONCURRENCY threads, each with its own keep-alive connection
(the standard library's http.client), issue REQUESTS requests in all. Each intake request is a
realistic report prepared before the timing: a description of the triage corpus, a random point
inside a random grid of the county, the category left empty half of the time (so the triage
model classifies it) and some reporters' names and phones (encrypted at rest). Every report is
located, classified, checked for duplicates, audited and starts its grid-event chain in the
request. The baseline is the same number of `GET /api/v1/platform/info` with the same
concurrency, from the same kind of process, against the same server, in the same run. Both are
warmed up first (each worker loads the triage model and the grid index on its first report).

Printed: the server, the intake's requests/s, p50/p99 latency and errors, the baseline's, and
the ratio of the two rates. Afterwards the database must hold one event per successful report,
each in a grid, each classified one with its chain. More than 1 % of requests answered other
than 2xx, or a failed database check, fails the run (exit status 1).

The anonymous per-address limit (KUAIJI_RATE_ANONYMOUS_PER_MINUTE) counts every request that
carries no session, including those signed with an API key, and all the load comes from one
address: the server is started with that limit raised out of the way. The API key gets the
highest rate a key may have.

    python -m bench.grassroots_intake [--workers 2] [--concurrency 8] [--requests 2000]
    python -m bench.grassroots_intake --database-url postgresql://postgres@127.0.0.1:5432/kuaiji_bench_intake
    python -m bench.grassroots_intake --sqlite   # SQLite serialises the writers (a warning says so)

gunicorn is the production server (the `production` extra); install it into the virtual
environment with `pip install -c requirements.lock gunicorn` if it is missing.
"""

from __future__ import annotations

import argparse
import http.client
import importlib.util
import itertools
import json
import math
import multiprocessing
import os
import platform
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from bench.results import Figure, add_figures_option, write_figures

REPO_DIR = Path(__file__).resolve().parents[1]
DEFAULT_DATABASE = "postgresql://postgres@127.0.0.1:5432/kuaiji_bench_intake"
INTAKE = "/api/v1/grassroots/events"
BASELINE = "/api/v1/platform/info"
HEALTH = "/healthz"
SIZE = "small"
COUNTY = "330602"  # Yuecheng, the demo account `county`'s county
OWNER = "county"
PERMISSION = "grassroots.event.report"
MAX_ERROR_SHARE = 0.01
# (source, weight, whether a reporter's name and phone come with it)
SOURCES = (
    ("patrol", 55, False),
    ("citizen", 25, True),
    ("hotline", 15, True),
    ("sensor", 5, False),
)


# ---------------------------------------------------------------------------------------------
# The load: standard library only, so it runs in a fresh process without Django.


@dataclass(frozen=True)
class Call:
    """One request to send."""

    method: str
    path: str
    body: bytes | None = None


@dataclass(frozen=True)
class Load:
    """What the load generator saw: each request's latency (ms) and status (0: no answer),
    in the order they finished, and the wall-clock seconds of the whole load."""

    latencies_ms: list[float]
    statuses: list[int]
    seconds: float
    failures: list[str] = field(default_factory=list)  # a few exception texts, for the report


def load(
    host: str,
    port: int,
    calls: Sequence[Call],
    concurrency: int,
    headers: dict[str, str] | None = None,
    timeout: float = 60.0,
) -> Load:
    """Send `calls` with `concurrency` threads, each on its own keep-alive connection (opened
    again whenever the server closes it), as fast as the answers come back."""
    sent = dict(headers or {})
    latencies: list[float] = []
    statuses: list[int] = []
    failures: list[str] = []
    lock = threading.Lock()
    next_index = itertools.count()

    def worker() -> None:
        connection = http.client.HTTPConnection(host, port, timeout=timeout)
        mine: list[tuple[float, int]] = []
        try:
            while (index := next(next_index)) < len(calls):
                call = calls[index]
                started = time.perf_counter()
                try:
                    connection.request(call.method, call.path, body=call.body, headers=sent)
                    response = connection.getresponse()
                    response.read()
                    status = response.status
                except (OSError, http.client.HTTPException) as failure:
                    status = 0
                    connection.close()
                    with lock:
                        if len(failures) < 5:
                            failures.append(f"{type(failure).__name__}: {failure}")
                mine.append(((time.perf_counter() - started) * 1000, status))
        finally:
            connection.close()
            with lock:
                latencies.extend(latency for latency, _status in mine)
                statuses.extend(status for _latency, status in mine)

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Load(latencies, statuses, time.perf_counter() - started, failures)


def load_from_another_process(
    host: str,
    port: int,
    calls: Sequence[Call],
    concurrency: int,
    headers: dict[str, str] | None = None,
) -> Load:
    """`load` run in a freshly spawned process (so the client does not share this process's
    interpreter lock, and nothing of Django comes along)."""
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as executor:
        return executor.submit(load, host, port, list(calls), concurrency, headers).result()


# ---------------------------------------------------------------------------------------------
# The statistics.


def percentile(values: Sequence[float], share: float) -> float:
    """The nearest-rank percentile (`share` between 0 and 1) of `values`."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[rank - 1]


@dataclass(frozen=True)
class Stats:
    """The figures of one load."""

    requests: int
    ok: int
    seconds: float
    p50_ms: float
    p99_ms: float
    statuses: dict[int, int]
    failures: tuple[str, ...] = ()

    @classmethod
    def of(cls, done: Load) -> Stats:
        return cls(
            requests=len(done.statuses),
            ok=sum(200 <= status < 300 for status in done.statuses),
            seconds=done.seconds,
            p50_ms=percentile(done.latencies_ms, 0.50),
            p99_ms=percentile(done.latencies_ms, 0.99),
            statuses=dict(sorted(Counter(done.statuses).items())),
            failures=tuple(done.failures),
        )

    @property
    def errors(self) -> int:
        return self.requests - self.ok

    @property
    def per_second(self) -> float:
        """Requests answered per second (2xx or not)."""
        return self.requests / self.seconds if self.seconds else math.nan

    @property
    def ok_per_second(self) -> float:
        return self.ok / self.seconds if self.seconds else math.nan

    @property
    def error_share(self) -> float:
        return self.errors / self.requests if self.requests else 1.0

    def details(self) -> dict[str, Any]:
        """The figures for the results file."""
        return {
            "requests": self.requests,
            "ok": self.ok,
            "seconds": self.seconds,
            "p50_ms": self.p50_ms,
            "p99_ms": self.p99_ms,
            "statuses": {str(status): n for status, n in self.statuses.items()},
        }

    def against(
        self, baseline: Stats, *, benchmark: str, label: str, baseline_label: str, **details: Any
    ) -> Figure:
        """This load's requests/s as a figure, against the `baseline` load's."""
        return Figure(
            benchmark=benchmark,
            label=label,
            value=self.per_second,
            unit="requests/s",
            baseline_label=baseline_label,
            baseline_value=baseline.per_second,
            details={**details, "load": self.details(), "baseline": baseline.details()},
        )

    def line(self, unit: str) -> str:
        shown = ", ".join(f"{status or 'no answer'}: {n}" for status, n in self.statuses.items())
        return (
            f"{self.requests:,} requests in {self.seconds:.1f} s, {self.per_second:,.1f} "
            f"requests/s ({self.ok_per_second:,.1f} {unit}/s), p50 {self.p50_ms:.1f} ms, "
            f"p99 {self.p99_ms:.1f} ms, errors {self.errors} ({shown})"
        )


# ---------------------------------------------------------------------------------------------
# The reports (Django needed from here on).


def _point_in(boundary: Any, rng: random.Random) -> tuple[float, float]:
    from shapely.geometry import Point, shape

    area = shape(boundary)
    west, south, east, north = area.bounds
    for _attempt in range(50):
        point = Point(rng.uniform(west, east), rng.uniform(south, north))
        if area.contains(point):
            return round(point.x, 6), round(point.y, 6)
    point = area.representative_point()
    return round(point.x, 6), round(point.y, 6)


def county_grids(county: str) -> list[Any]:
    """The grids of a county, with their boundaries."""
    from kuaiji.platform.directory.models import Grid, Region

    path = Region.objects.get(code=county).path
    return list(Grid.objects.filter(region__path__startswith=path).order_by("code"))


def report_calls(grids: Sequence[Any], count: int, seed: int = 2026) -> list[Call]:
    """`count` intake requests: corpus descriptions at random points of random `grids` (each
    point checked to be located in one of them), the category empty every other report."""
    from kuaiji.apps.grassroots.triage import corpus
    from kuaiji.platform.directory.locator import locate

    rng = random.Random(seed)
    samples = corpus.samples()
    codes = {grid.code for grid in grids}
    sources = [source for source, _weight, _named in SOURCES]
    weights = [weight for _source, weight, _named in SOURCES]
    named = {source for source, _weight, with_name in SOURCES if with_name}
    calls = []
    for n in range(count):
        text, category = rng.choice(samples)
        grid = rng.choice(grids)
        longitude, latitude = _point_in(grid.boundary, rng)
        found = locate(longitude, latitude).grid
        if found is None or found.code not in codes:  # on a shared edge: take a safe point
            from shapely.geometry import shape

            point = shape(grid.boundary).representative_point()
            longitude, latitude = point.x, point.y
        source = rng.choices(sources, weights)[0]
        body: dict[str, Any] = {
            "description": text,
            "longitude": longitude,
            "latitude": latitude,
            "category": "" if n % 2 == 0 else category,
            "source": source,
        }
        if source in named:
            body["reporter_name"] = f"市民{n:05d}"
            body["reporter_phone"] = f"139{rng.randrange(10**8):08d}"
        calls.append(Call("POST", INTAKE, json.dumps(body, ensure_ascii=False).encode()))
    return calls


def baseline_calls(count: int) -> list[Call]:
    return [Call("GET", BASELINE)] * count


def intake_headers(plaintext: str) -> dict[str, str]:
    return {
        "Authorization": f"Bearer {plaintext}",
        "Content-Type": "application/json; charset=utf-8",
        "Accept": "application/json",
    }


BASELINE_HEADERS = {"Accept": "application/json"}


def make_key(owner: Any, name: str = "bench intake") -> str:
    """The plaintext of a new key of `owner` that may report events, at the highest rate."""
    from kuaiji.platform.apikeys.models import MAX_RATE
    from kuaiji.platform.apikeys.services import create_key
    from kuaiji.platform.core.actors import SYSTEM

    _key, plaintext = create_key(
        actor=SYSTEM, owner=owner, name=name, permissions=[PERMISSION], rate_per_minute=MAX_RATE
    )
    return plaintext


@dataclass(frozen=True)
class Check:
    """What the database holds of the events created by the timed intake."""

    created: int
    in_grid: int
    classified: int
    to_triage: int
    with_chain: int
    classified_without_chain: int
    duplicates: int


def check_events(after_id: int) -> Check:
    """Count the events with a primary key above `after_id`."""
    from django.db.models import Count, Q

    from kuaiji.apps.grassroots.models import Event, EventStatus

    classified = ~Q(category="")
    return Check(
        **Event.objects.filter(pk__gt=after_id).aggregate(
            created=Count("pk"),
            in_grid=Count("pk", filter=Q(grid__isnull=False)),
            classified=Count("pk", filter=classified),
            to_triage=Count("pk", filter=Q(category="", status=EventStatus.TRIAGE)),
            with_chain=Count("pk", filter=classified & Q(instance__isnull=False)),
            classified_without_chain=Count("pk", filter=classified & Q(instance__isnull=True)),
            duplicates=Count("pk", filter=Q(duplicate_of__isnull=False)),
        )
    )


def last_event_id() -> int:
    from django.db.models import Max

    from kuaiji.apps.grassroots.models import Event

    return int(Event.objects.aggregate(last=Max("pk"))["last"] or 0)


# ---------------------------------------------------------------------------------------------
# The server.


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


def require_gunicorn() -> None:
    if importlib.util.find_spec("gunicorn") is None:
        raise SystemExit(
            "gunicorn, the production server, is not installed in this environment: "
            f"{Path(sys.executable).parent}/pip install -c requirements.lock gunicorn "
            "(it is the `production` extra)."
        )


@dataclass
class Server:
    """A gunicorn running the application."""

    process: subprocess.Popen[bytes]
    host: str
    port: int
    log: Path

    def tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def server_environment() -> dict[str, str]:
    """This process's environment (the database and data folder set by `prepare_database`), as
    `kuaiji serve` would run with it, and the anonymous limit out of the way (see the module's
    doc)."""
    environ = dict(os.environ)
    environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "kuaiji.config.settings",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "KUAIJI_PRODUCTION": "false",
            "KUAIJI_DEBUG": "false",
            "KUAIJI_RATE_ANONYMOUS_PER_MINUTE": "100000000",
            "KUAIJI_LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
        }
    )
    return environ


def start_server(workers: int, log: Path, host: str = "127.0.0.1", wait: float = 90) -> Server:
    """Start gunicorn and wait until /healthz answers 200."""
    require_gunicorn()
    port = free_port(host)
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "kuaiji.config.wsgi:application",
        f"--bind={host}:{port}",
        f"--workers={workers}",
        "--threads=1",
        "--worker-class=sync",
        "--timeout=120",
        "--log-level=warning",
    ]
    with log.open("wb") as output:
        process = subprocess.Popen(  # noqa: S603  (our own interpreter and arguments)
            command, cwd=REPO_DIR, env=server_environment(), stdout=output, stderr=output
        )
    server = Server(process, host, port, log)
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn stopped with status {process.returncode}:\n{server.tail()}")
        try:
            with urllib.request.urlopen(f"http://{host}:{port}{HEALTH}", timeout=5) as answer:
                if answer.status == 200:
                    return server
        except OSError:
            pass
        time.sleep(0.3)
    server.stop()
    raise SystemExit(f"gunicorn did not answer {HEALTH} within {wait:.0f} s:\n{server.tail()}")


# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Result:
    """The figures of one run."""

    vendor: str
    workers: int
    concurrency: int
    intake: Stats
    baseline: Stats
    check: Check
    uncategorised: int  # timed reports sent without a category
    warmup_errors: int = 0

    @property
    def ratio(self) -> float:
        """Intake requests/s over baseline requests/s."""
        return self.intake.per_second / self.baseline.per_second

    @property
    def problems(self) -> list[str]:
        """Why the run failed, if it did."""
        found = []
        for name, stats in (("intake", self.intake), ("baseline", self.baseline)):
            if stats.error_share > MAX_ERROR_SHARE:
                found.append(f"{name}: {stats.errors} of {stats.requests} requests failed")
        if self.warmup_errors:
            found.append(f"warm-up: {self.warmup_errors} requests failed")
        check = self.check
        if check.created != self.intake.ok:
            found.append(f"{check.created} events created for {self.intake.ok} successful reports")
        if check.in_grid != check.created:
            found.append(f"{check.created - check.in_grid} events without a grid")
        if check.classified_without_chain:
            found.append(f"{check.classified_without_chain} classified events without a chain")
        if check.to_triage + check.with_chain != check.created:
            found.append("events neither on a chain nor in the triage queue")
        return found


def run(
    host: str,
    port: int,
    plaintext: str,
    grids: Sequence[Any],
    requests: int = 2_000,
    concurrency: int = 8,
    workers: int = 0,
    warmup: int | None = None,
    baseline_requests: int | None = None,
    seed: int = 2026,
) -> Result:
    """Measure the server at host:port (gunicorn in `main`, any server in the tests): the
    reports and the baseline prepared first, both warmed up, then timed from another process,
    then the events checked in the database."""
    from django.db import connection, connections

    warmup = 2 * concurrency if warmup is None else warmup
    reports = report_calls(grids, warmup + requests, seed)
    headers = intake_headers(plaintext)
    connections.close_all()  # hold nothing open while the server works
    warm = [
        load_from_another_process(host, port, calls, concurrency, sent)
        for calls, sent in ((baseline_calls(warmup), BASELINE_HEADERS), (reports[:warmup], headers))
        if calls
    ]
    warmup_errors = sum(Stats.of(done).errors for done in warm)
    baseline = Stats.of(
        load_from_another_process(
            host,
            port,
            baseline_calls(requests if baseline_requests is None else baseline_requests),
            concurrency,
            BASELINE_HEADERS,
        )
    )
    before = last_event_id()
    connections.close_all()
    intake = Stats.of(load_from_another_process(host, port, reports[warmup:], concurrency, headers))
    return Result(
        vendor=connection.vendor,
        workers=workers,
        concurrency=concurrency,
        intake=intake,
        baseline=baseline,
        check=check_events(before),
        uncategorised=sum(
            not json.loads(call.body or "{}")["category"] for call in reports[warmup:]
        ),
        warmup_errors=warmup_errors,
    )


def report(result: Result) -> str:
    """The figures as printed."""
    check = result.check
    lines = [
        f"grid-event intake over HTTP on {result.vendor} ({platform.python_implementation()} "
        f"{platform.python_version()}, {os.cpu_count()} cores)",
        f"  server: gunicorn, {result.workers} sync workers x 1 thread; load: another process, "
        f"{result.concurrency} concurrent keep-alive connections",
        f"  intake   POST {INTAKE}: {result.intake.line('events')}",
        f"  baseline GET {BASELINE}: {result.baseline.line('answers')}",
        f"  ratio: {result.ratio:.3f} (intake / baseline requests per second; "
        f"{1 / result.ratio:,.1f}x slower)",
        f"  events: {check.created:,} created, {check.in_grid:,} in a grid, "
        f"{check.classified:,} classified and {check.with_chain:,} on their chain, "
        f"{check.to_triage:,} in manual triage (of {result.uncategorised:,} sent without a "
        f"category), {check.duplicates:,} with a suggested duplicate",
    ]
    for failure in {*result.intake.failures, *result.baseline.failures}:
        lines.append(f"  failure: {failure}")
    problems = result.problems
    lines.append("  FAILED: " + "; ".join(problems) if problems else "  checks: passed")
    return "\n".join(lines)


def figures(result: Result) -> list[Figure]:
    """The figure of the run: intake requests/s against the baseline endpoint's."""
    return [
        result.intake.against(
            result.baseline,
            benchmark="grassroots_intake",
            label=f"POST {INTAKE} (event intake)",
            baseline_label=f"GET {BASELINE}",
            vendor=result.vendor,
            workers=result.workers,
            concurrency=result.concurrency,
            events=asdict(result.check),
            problems=result.problems,
        )
    ]


def _set_up(size: str) -> tuple[str, list[Any]]:
    """Load the demo city (every step of `kuaiji load-demo`), warm the triage model into the
    data folder, and make the key; return its plaintext and the county's grids."""
    from kuaiji.apps.grassroots.triage.classifier import current_model, model_path
    from kuaiji.platform.core.demo_loader import demo_steps
    from kuaiji.platform.identity.models import User

    for step in demo_steps():
        step.run(size)  # type: ignore[arg-type]
    current_model()
    if not model_path().exists():
        raise SystemExit(f"The triage model was not saved to {model_path()}.")
    plaintext = make_key(User.objects.get(username=OWNER))
    return plaintext, county_grids(COUNTY)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--concurrency", type=int, default=8, help="concurrent connections")
    parser.add_argument(
        "--requests", type=int, default=2_000, help="timed requests, intake and baseline each"
    )
    parser.add_argument("--database-url", default=DEFAULT_DATABASE, help="PostgreSQL, recreated")
    parser.add_argument(
        "--sqlite", action="store_true", help="a SQLite file instead (serialises the writers)"
    )
    add_figures_option(parser)
    arguments = parser.parse_args()
    require_gunicorn()
    if arguments.sqlite:
        print(
            "Warning: SQLite lets one writer at a time commit; the workers queue on its lock, "
            "so the intake figure says little about a deployment.",
            file=sys.stderr,
        )
    from bench.chains import prepare_database

    cleanup = prepare_database(None if arguments.sqlite else arguments.database_url)
    server = None
    logs = Path(tempfile.mkdtemp(prefix="kuaiji-bench-intake-"))
    try:
        plaintext, grids = _set_up(SIZE)
        server = start_server(arguments.workers, logs / "gunicorn.log")
        result = run(
            server.host,
            server.port,
            plaintext,
            grids,
            requests=arguments.requests,
            concurrency=arguments.concurrency,
            workers=arguments.workers,
        )
        if result.problems or result.intake.errors or result.baseline.errors:
            print(f"The server's log ends:\n{server.tail()}", file=sys.stderr)
    finally:
        if server is not None:
            server.stop()
        cleanup()
        shutil.rmtree(logs, ignore_errors=True)
    print(report(result))
    write_figures(arguments, figures(result), result.problems)
    if result.problems:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
