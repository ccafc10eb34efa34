"""One-stop service pages over HTTP: the item guide page of the service front and an application's
status as its applicant sees it, served by gunicorn with several workers, against a static file
served by the same server (whitenoise) in the same run.

The benchmark makes a throw-away database (PostgreSQL by default; the database of the URL is
dropped, created anew and dropped again at the end) and data folder, migrates, publishes the
working-day calendar, builds the tests' tiny city, and makes through the models what the pages
need: a service item of the West market regulation bureau (with three materials, one obtained
from shared data), an applicant with a signed-in session, and one decided application of the
item. It copies one stylesheet into the static root, so whitenoise serves it as in production.
It then starts gunicorn (`kuaiji.config.wsgi:application`, WORKERS sync workers, one thread
each, on a free port of 127.0.0.1) as `bench.grassroots_intake` does.

A second process sends the load: CONCURRENCY threads, each with its own keep-alive connection,
REQUESTS requests per page. The pages are URL paths (arguments; ``{code}`` and ``{number}`` are
filled in): by default the guide page ``/services/items/{code}/`` (anonymous) and the status
endpoint ``/api/v1/government/applications/{number}`` (with the applicant's session cookie),
and the baseline ``/static/portal/portal.css``. Each is warmed up first.

Printed: for each page its requests/s, p50/p99 latency and errors, and the ratio of its rate to
the static file's. More than 1 % of requests answered other than 2xx fails the run.

    python -m bench.service_pages [--workers 2] [--concurrency 8] [--requests 2000]
    python -m bench.service_pages --guide /services/items/{code}/ \
        --status /api/v1/government/applications/{number}
    python -m bench.service_pages --sqlite
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from bench.grassroots_intake import (
    MAX_ERROR_SHARE,
    Call,
    Stats,
    load_from_another_process,
    require_gunicorn,
    start_server,
)
from bench.results import Figure, add_figures_option, write_figures

REPO_DIR = Path(__file__).resolve().parents[1]
DEFAULT_DATABASE = "postgresql://postgres@127.0.0.1:5432/kuaiji_bench_services"
GUIDE = "/services/items/{code}/"
STATUS = "/api/v1/government/applications/{number}"
STATIC = "/static/portal/portal.css"
STATIC_SOURCE = REPO_DIR / "kuaiji/fronts/portal/static/portal/portal.css"
ITEM_CODE = "bench-food-licence"
DEPARTMENT = "330602-SCJ"
TOWNSHIP = "330602001"


@dataclass(frozen=True)
class Page:
    """One page to load: a label, its path and the headers it is asked with."""

    label: str
    path: str
    headers: dict[str, str]


@dataclass(frozen=True)
class Fixture:
    """What the pages need: the item's code, the application's number, the session cookie."""

    code: str
    number: str
    cookie: str


@dataclass(frozen=True)
class Result:
    """The figures of one run: each page's, and the static file's."""

    vendor: str
    workers: int
    concurrency: int
    pages: list[tuple[Page, Stats]]
    baseline: Stats
    warmup_errors: int = 0

    def ratio(self, stats: Stats) -> float:
        """A page's requests/s over the static file's."""
        return stats.per_second / self.baseline.per_second

    @property
    def problems(self) -> list[str]:
        found = []
        for label, stats in [
            *((page.label, s) for page, s in self.pages),
            ("static", self.baseline),
        ]:
            if stats.error_share > MAX_ERROR_SHARE:
                found.append(f"{label}: {stats.errors} of {stats.requests} requests failed")
        if self.warmup_errors:
            found.append(f"warm-up: {self.warmup_errors} requests failed")
        return found


# ---------------------------------------------------------------------------------------------
# The fixtures (Django needed from here on).


def set_up() -> Fixture:
    """Calendar, tiny city, the item, the applicant and their decided application, a session,
    and the static file in the static root."""
    from datetime import timedelta

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils import timezone
    from django.utils.module_loading import import_string

    from kuaiji.apps.government.models import (
        Application,
        ApplicationItem,
        ApplicationStatus,
        ItemMaterial,
        ItemStatus,
        ServiceItem,
    )
    from kuaiji.platform.core.actors import SYSTEM
    from kuaiji.platform.directory.models import Department, Region
    from kuaiji.platform.identity.models import User
    from kuaiji.platform.workdays.models import PublishedYear
    from kuaiji.platform.workdays.services import library_years, publish_from_library, publish_year
    from tests.directory.city import build_tiny_city

    publish_from_library(actor=SYSTEM, years=library_years())
    this_year = timezone.localdate().year
    for year in (this_year, this_year + 1):
        if not PublishedYear.objects.filter(year=year).exists():
            publish_year(actor=SYSTEM, year=year, days=[])
    if not Region.objects.filter(code="330600").exists():
        build_tiny_city()
    item, _created = ServiceItem.objects.get_or_create(
        code=ITEM_CODE,
        defaults={
            "name": "食品经营许可",
            "name_en": "Food business licence",
            "department": Department.objects.get(code=DEPARTMENT),
            "kind": "licence",
            "applicants": "both",
            "legal_basis": "《中华人民共和国食品安全法》第三十五条",
            "conditions": "有与经营的食品品种、数量相适应的场所。",
            "statutory_days": 20,
            "promised_days": 5,
            "online_level": 4,
            "guide": "申请人在线提交申请，窗口受理后五个工作日内作出决定。",
            "result_name": "食品经营许可证",
        },
    )
    for position, (code, name) in enumerate(
        (("licence", "营业执照"), ("plan", "经营场所平面图"), ("identity", "法定代表人身份证明")),
        start=1,
    ):
        ItemMaterial.objects.get_or_create(
            item=item, code=code, defaults={"position": position, "name": name}
        )
    person, _created = User.objects.get_or_create(
        username="bench-applicant", defaults={"display_name": "王芳"}
    )
    region = Region.objects.get(code=TOWNSHIP)
    submitted = timezone.now() - timedelta(days=3)
    application, _created = Application.objects.get_or_create(
        number="BENCH0000001",
        defaults={
            "submission_key": "bench-service-pages",
            "applicant": person,
            "applicant_name": "王芳",
            "item": item,
            "region": region,
            "region_path": region.path,
            "status": ApplicationStatus.DECIDED,
            "submitted_at": submitted,
            "accepted_at": submitted,
            "promised_by": (submitted + timedelta(days=7)).date(),
            "decided_at": submitted + timedelta(days=2),
            "decision_note": "准予许可",
        },
    )
    ApplicationItem.objects.get_or_create(
        application=application,
        item=item,
        defaults={"department": item.department, "status": ItemStatus.DONE},
    )
    session = SessionStore()
    session[SESSION_KEY] = str(person.pk)
    session[BACKEND_SESSION_KEY] = next(  # the first backend that loads users (not axes)
        path
        for path in settings.AUTHENTICATION_BACKENDS
        if hasattr(import_string(path), "get_user")
    )
    session[HASH_SESSION_KEY] = person.get_session_auth_hash()
    session.create()
    static_root = Path(settings.STATIC_ROOT)
    target = static_root / STATIC.removeprefix(settings.STATIC_URL)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(STATIC_SOURCE, target)
    return Fixture(
        code=item.code,
        number=application.number,
        cookie=f"{settings.SESSION_COOKIE_NAME}={session.session_key}",
    )


def pages(fixture: Fixture, guide: str = GUIDE, status: str = STATUS) -> list[Page]:
    """The pages to load, their paths filled in; the status page with the applicant's cookie."""
    filled = {"code": fixture.code, "number": fixture.number}
    return [
        Page("guide", guide.format(**filled), {"Accept": "text/html"}),
        Page(
            "status",
            status.format(**filled),
            {"Accept": "application/json", "Cookie": fixture.cookie},
        ),
    ]


# ---------------------------------------------------------------------------------------------


def run(
    host: str,
    port: int,
    chosen: list[Page],
    requests: int = 2_000,
    concurrency: int = 8,
    workers: int = 0,
    warmup: int | None = None,
    static: str = STATIC,
) -> Result:
    """Warm every page and the static file up, then time each from another process."""
    from django.db import connection, connections

    warmup = 2 * concurrency if warmup is None else warmup
    baseline_page = Page("static", static, {"Accept": "text/css"})
    vendor = connection.vendor
    connections.close_all()  # hold nothing open while the server works
    warmup_errors = 0
    if warmup:
        for page in (baseline_page, *chosen):
            calls = [Call("GET", page.path)] * warmup
            done = load_from_another_process(host, port, calls, concurrency, page.headers)
            warmup_errors += Stats.of(done).errors
    timed = []
    for page in (baseline_page, *chosen):
        calls = [Call("GET", page.path)] * requests
        done = load_from_another_process(host, port, calls, concurrency, page.headers)
        timed.append((page, Stats.of(done)))
    return Result(
        vendor=vendor,
        workers=workers,
        concurrency=concurrency,
        pages=timed[1:],
        baseline=timed[0][1],
        warmup_errors=warmup_errors,
    )


def report(result: Result) -> str:
    """The figures as printed."""
    lines = [
        f"service pages over HTTP on {result.vendor} ({platform.python_implementation()} "
        f"{platform.python_version()}, {os.cpu_count()} cores)",
        f"  server: gunicorn, {result.workers} sync workers x 1 thread; load: another process, "
        f"{result.concurrency} concurrent keep-alive connections",
        f"  static   GET {STATIC}: {result.baseline.line('answers')}",
    ]
    for page, stats in result.pages:
        lines.append(f"  {page.label:<8} GET {page.path}: {stats.line('answers')}")
        ratio = result.ratio(stats)
        lines.append(
            f"    ratio to the static file: {ratio:.3f} ({1 / ratio:,.1f}x slower)"
            if ratio
            else "    ratio to the static file: —"
        )
    failures = {f for _page, stats in result.pages for f in stats.failures}
    for failure in failures | set(result.baseline.failures):
        lines.append(f"  failure: {failure}")
    problems = result.problems
    lines.append("  FAILED: " + "; ".join(problems) if problems else "  checks: passed")
    return "\n".join(lines)


def figures(result: Result) -> list[Figure]:
    """A figure per page: its requests/s against the static file's."""
    return [
        stats.against(
            result.baseline,
            benchmark="service_pages",
            label=f"{page.label} page GET {page.path}",
            baseline_label=f"static file GET {STATIC}",
            vendor=result.vendor,
            workers=result.workers,
            concurrency=result.concurrency,
        )
        for page, stats in result.pages
    ]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--concurrency", type=int, default=8, help="concurrent connections")
    parser.add_argument("--requests", type=int, default=2_000, help="timed requests per page")
    parser.add_argument("--guide", default=GUIDE, help="the item guide page ({code})")
    parser.add_argument("--status", default=STATUS, help="the status page ({number})")
    parser.add_argument("--database-url", default=DEFAULT_DATABASE, help="PostgreSQL, recreated")
    parser.add_argument("--sqlite", action="store_true", help="a SQLite file instead")
    add_figures_option(parser)
    arguments = parser.parse_args()
    require_gunicorn()
    from bench.chains import prepare_database

    cleanup = prepare_database(None if arguments.sqlite else arguments.database_url)
    server = None
    logs = Path(tempfile.mkdtemp(prefix="kuaiji-bench-services-"))
    try:
        fixture = set_up()
        server = start_server(arguments.workers, logs / "gunicorn.log")
        result = run(
            server.host,
            server.port,
            pages(fixture, arguments.guide, arguments.status),
            requests=arguments.requests,
            concurrency=arguments.concurrency,
            workers=arguments.workers,
        )
        if result.problems:
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
