"""The cockpit's indicators at scale: `refresh()` of every grid-event and one-stop service
indicator over 30 days of 1,000,000 grid events and 100,000 applications, against bare GROUP BY
SQL computing the same figures in the same run; then the cockpit's data endpoints against a bare
SQL read of the same stored values.

The benchmark loads the demo city's regions (the default size: a city, its counties and about a
hundred townships, each with its villages) into a scratch PostgreSQL database and generates, in
the database (INSERT … SELECT over generate_series, seeded), EVENTS grid events and APPLICATIONS
applications spread over DAYS days (ending yesterday) and the villages: events closed (most of
them, within hours or days), rejected (half with no closing time), merged, or still open; some
reported before the days (open ones carry over); a rating on most closed events; about one closed
event in twelve with a chain whose task went overdue (a chain instance, its task and the overdue
record). Applications are made online or at a window, decided (by or after the promised day) or
still handled, with materials taken from shared data and ratings of 1 to 5.

Then, in the same run:

- refresh: `kuaiji.platform.metrics.refresh.refresh(days=…)` of the ten grid-event and service
  indicators (their grouped computations, the upsert of every region's and day's value and the
  month roll-ups), and separately the computation alone (`compute_values`), and every active
  indicator (the others, data and command ones, included);
- the baseline: hand-written SQL, per indicator one GROUP BY of the rows by region path and
  local day joined to the city's, counties' and townships' paths (a running sum for open events)
  — the same figures, checked equal to the stored values for every region and day;
- optionally the per-region computation (`compute(region, day)`) for PER_REGION_DAYS days,
  which refreshing did before the grouped computations existed;
- the cockpit's data endpoints through Django's test client as a city leader:
  ``/api/v1/metrics/snapshot?region=<city>``, an indicator's 30-day series, and the cockpit
  board (``/api/v1/metrics/cockpit``) when the API has it — median and p95 over RUNS calls,
  against a bare SQL read of the same values.

Printed: the seconds and ratios. PostgreSQL only: the database of the URL is dropped, created
anew, migrated and dropped again at the end.

    python -m bench.cockpit_metrics [--events 1000000] [--applications 100000] [--days 30]
    python -m bench.cockpit_metrics --database-url postgresql://postgres@127.0.0.1:5432/kuaiji_bench_cockpit
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from bench.datastore_search import Timing, percentile
from bench.results import Figure, add_figures_option, write_figures

DEFAULT_DATABASE = "postgresql://postgres@127.0.0.1:5432/kuaiji_bench_cockpit"
DEPARTMENT = "BENCH-ZWFW"
ITEM = "BENCH-ITEM-001"
LEADER = "bench_leader"
SERIES = "grassroots.events.reported"

COUNTS = {
    "grassroots.events.reported",
    "grassroots.events.closed",
    "grassroots.events.open",
    "government.applications.submitted",
    "government.materials.shared",
}
RATES = {
    "grassroots.events.on_time_rate",
    "grassroots.events.satisfaction",
    "government.applications.online_rate",
    "government.applications.on_time_rate",
    "government.applications.satisfaction",
}
MEASURED = sorted(COUNTS | RATES)

# ---------------------------------------------------------------------------------------------
# The city and the rows.


def ensure_city(size: str = "default") -> None:
    """The demo city's regions (if the database has none), a department with one service item,
    and a city leader."""
    from django.contrib.auth.hashers import make_password

    from kuaiji.apps.government.models import ServiceItem
    from kuaiji.platform.access.models import RoleGrant
    from kuaiji.platform.access.services import grant_roles
    from kuaiji.platform.access.standard_roles import load_standard_roles
    from kuaiji.platform.core.actors import SYSTEM
    from kuaiji.platform.directory.demo_city.city import demo_city
    from kuaiji.platform.directory.models import Department, Region
    from kuaiji.platform.directory.records import DepartmentRecord
    from kuaiji.platform.directory.services import upsert_departments, upsert_regions
    from kuaiji.platform.identity.models import User

    if not Region.objects.exists():
        upsert_regions(actor=SYSTEM, records=demo_city(size).territory.regions)  # type: ignore[arg-type]
    city = Region.objects.get(level="city")
    if not Department.objects.filter(code=DEPARTMENT).exists():
        record = DepartmentRecord(
            code=DEPARTMENT, name="政务服务中心", level="city", kind="centre", region_code=city.code
        )
        upsert_departments(actor=SYSTEM, records=[record])
    ServiceItem.objects.get_or_create(
        code=ITEM,
        defaults={
            "name": "基准测试事项",
            "department": Department.objects.get(code=DEPARTMENT),
            "kind": "licence",
            "applicants": "both",
            "legal_basis": "-",
            "statutory_days": 20,
            "promised_days": 5,
            "online_level": 4,
            "result_name": "-",
        },
    )
    if not User.objects.filter(username=LEADER).exists():
        leader = User.objects.create(username=LEADER, password=make_password(None), is_staff=True)
        roles = load_standard_roles(actor=SYSTEM)
        grant_roles(
            actor=SYSTEM, grants=[RoleGrant(user=leader, role=roles["city_leader"], region=city)]
        )


def window(days: int) -> list[date]:
    """The days measured: `days` days ending yesterday (local)."""
    from django.utils import timezone

    last = timezone.localdate() - timedelta(days=1)
    return [last - timedelta(days=n) for n in range(days - 1, -1, -1)]


def _execute(statements: Sequence[str], params: dict[str, Any]) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement, params)


PLACES = """
DROP TABLE IF EXISTS bench_places;
CREATE TEMP TABLE bench_places AS
  SELECT (row_number() OVER (ORDER BY r.path)) - 1 AS n, r.id, r.path FROM directory_region r
  WHERE NOT EXISTS (SELECT 1 FROM directory_region c WHERE c.parent_id = r.id);
CREATE UNIQUE INDEX ON bench_places (n);
"""

EVENTS = """
INSERT INTO grassroots_event (number, token, source, channel, external_ref, category, platform,
  predicted_category, description, address, region_id, region_path, reporter_name,
  reporter_phone, urgency, status, status_note, rating, created_at, updated_at, closed_at)
SELECT 'B' || lpad(i::text, 9, '0'), gen_random_uuid(), 'patrol', 'app', '', 'city.garbage',
  'comprehensive', '', '某处发现垃圾堆放需要处理', '', p.id, p.path, '', '', 'normal',
  s.status, '', s.rating, s.created_at, s.created_at,
  CASE WHEN s.status = 'closed' OR (s.status = 'merged') OR (s.status = 'rejected' AND s.r3 < 0.5)
       THEN s.closed_at END
FROM (
  SELECT i, created_at, r2, r3, closed_at,
    CASE WHEN r1 < 0.80 AND closed_at < now() THEN 'closed'
         WHEN r1 < 0.80 THEN 'handling'
         WHEN r1 < 0.83 THEN 'rejected'
         WHEN r1 < 0.84 AND closed_at < now() THEN 'merged'
         WHEN r1 < 0.90 THEN 'dispatching'
         ELSE 'verifying' END AS status,
    CASE WHEN r1 < 0.80 AND closed_at < now() AND r2 < 0.70 THEN
      CASE WHEN r3 < 0.92 THEN 'satisfied' ELSE 'unsatisfied' END ELSE '' END AS rating
  FROM (
    SELECT i, r1, r2, r3, created_at,
      created_at + (r2 * r2 * 5) * interval '1 day' AS closed_at
    FROM (
      SELECT i, random() AS r1, random() AS r2, random() AS r3,
        CASE WHEN i %% 33 = 0 THEN %(start)s - random() * interval '10 days'
             ELSE %(start)s + random() * %(days)s * interval '1 day' END AS created_at
      FROM generate_series(1, %(events)s) AS i
    ) AS drawn
  ) AS timed
) AS s
JOIN bench_places p ON p.n = (s.i::bigint * 7919) %% (SELECT count(*) FROM bench_places);
"""

LATE = """
INSERT INTO chains_chaindefinition (key, name, name_en, created_at)
  VALUES ('bench-event', '基准事件链', 'Benchmark event chain', now())
  ON CONFLICT (key) DO NOTHING;
INSERT INTO chains_chainversion (definition_id, number, source, digest, spec, lanes, steps,
  shipped, uploaded_at)
  SELECT id, 1, '-', '-', '-', '{}', '{}', false, now() FROM chains_chaindefinition
  WHERE key = 'bench-event' ON CONFLICT DO NOTHING;
INSERT INTO chains_chaininstance (version_id, title, business_type, business_id, region_id,
  region_path, department_path, status, state, revision, touched, started_at, ended_at)
  SELECT v.id, '逾期事件', 'bench.event', e.id::text, e.region_id, e.region_path, '', 'completed',
    '{}', 0, false, e.created_at, e.closed_at
  FROM grassroots_event e, chains_chainversion v
  JOIN chains_chaindefinition d ON d.id = v.definition_id AND d.key = 'bench-event'
  WHERE e.status = 'closed' AND e.id %% 12 = 0;
UPDATE grassroots_event e SET instance_id = c.id FROM chains_chaininstance c
  WHERE c.business_type = 'bench.event' AND c.business_id = e.id::text;
INSERT INTO chains_worktask (instance_id, spiff_id, step, step_name, step_name_en, lane, title,
  business_type, business_id, candidate_key, unit_label, region_path, department_path, status,
  time_limit, due_at, due_pending, form, created_at, completed_at, urge_count)
  SELECT c.id, gen_random_uuid(), 'handle', '处置', 'Handle', '', '处置', 'bench.event',
    c.business_id, '', '', c.region_path, '', 'completed', '1d', c.started_at + interval '1 day',
    false, '{}', c.started_at, c.ended_at, 0
  FROM chains_chaininstance c WHERE c.business_type = 'bench.event';
INSERT INTO chains_overduerecord (task_id, region_path, department_path, unit_label, due_at,
  recorded_at, escalated_to)
  SELECT t.id, t.region_path, '', '', t.due_at, t.due_at, ''
  FROM chains_worktask t WHERE t.business_type = 'bench.event';
"""

APPLICATIONS = """
INSERT INTO government_application (number, submission_key, applicant_name, id_number, phone,
  address, region_id, region_path, answers, status, revision, online, submitted_at, accepted_at,
  promised_by, decided_at, decision_note, applicant_id, item_id)
SELECT 'BA' || lpad(i::text, 9, '0'), 'bench-' || i, '王芳', '', '', '', p.id, p.path, '{}',
  CASE WHEN decided_at IS NULL THEN 'handling' ELSE 'decided' END, 1, r1 < 0.75, submitted_at,
  submitted_at, (submitted_at AT TIME ZONE %(zone)s)::date + 5, decided_at, '',
  %(applicant)s, %(item)s
FROM (
  SELECT i, r1, submitted_at,
    CASE WHEN submitted_at + r2 * interval '7 days' < now() AND r3 < 0.9
         THEN submitted_at + r2 * interval '7 days' END AS decided_at
  FROM (
    SELECT i, random() AS r1, random() AS r2, random() AS r3,
      %(start)s + random() * %(days)s * interval '1 day' AS submitted_at
    FROM generate_series(1, %(applications)s) AS i
  ) AS drawn
) AS a
JOIN bench_places p ON p.n = (a.i::bigint * 104729) %% (SELECT count(*) FROM bench_places);
INSERT INTO government_suppliedmaterial (application_id, code, name, source, file,
  content_type, digest, problem, supplied_at)
  SELECT a.id, 'm' || g, '材料' || g, CASE WHEN g <= a.id %% 4 THEN 'shared' ELSE 'upload' END,
    '', '', '', '', a.submitted_at
  FROM government_application a, generate_series(1, 3) AS g WHERE a.item_id = %(item)s;
INSERT INTO government_rating (application_id, level, comment, rated_at, revisit_note)
  SELECT id, CASE WHEN random() < 0.85 THEN 5 ELSE 1 + floor(random() * 4)::int END, '',
    LEAST(decided_at + random() * interval '1 day', now()), ''
  FROM government_application WHERE decided_at IS NOT NULL AND item_id = %(item)s
    AND id %% 5 < 2;
"""


def generate(events: int, applications: int, days: list[date], seed: float = 0.2026) -> float:
    """Generate the rows in the database; returns the seconds it took (ANALYZE included)."""
    from django.db import connection, transaction
    from django.utils import timezone

    from kuaiji.apps.government.models import ServiceItem
    from kuaiji.platform.identity.models import User
    from kuaiji.platform.metrics.registry import day_bounds

    started = time.perf_counter()
    params = {
        "start": day_bounds(days[0])[0],
        "days": len(days),
        "events": events,
        "applications": applications,
        "zone": timezone.get_current_timezone_name(),
        "applicant": User.objects.get(username=LEADER).pk,
        "item": ServiceItem.objects.get(code=ITEM).pk,
    }
    with transaction.atomic():
        _execute([f"SELECT setseed({seed})"], {})
        _execute([s for s in PLACES.split(";") if s.strip()], {})
        _execute([EVENTS], params)
        _execute([s for s in LATE.split(";") if s.strip()], params)
        _execute([s for s in APPLICATIONS.split(";") if s.strip()], params)
    with connection.cursor() as cursor:
        for table in (
            "grassroots_event",
            "chains_chaininstance",
            "chains_worktask",
            "chains_overduerecord",
            "government_application",
            "government_suppliedmaterial",
            "government_rating",
        ):
            cursor.execute(f"ANALYZE {table}")
    return time.perf_counter() - started


# ---------------------------------------------------------------------------------------------
# The baseline: the same figures in hand-written SQL.

# Rows grouped by path and day, spread over the refreshed regions whose path starts theirs.
SPREAD = """
WITH grouped AS ({grouped}),
lengths AS (SELECT DISTINCT length(path) AS len FROM directory_region
            WHERE level IN ('city', 'county', 'township'))
SELECT r.id, g.day, {totals}
FROM grouped g CROSS JOIN lengths l
JOIN directory_region r ON r.path = left(g.region_path, l.len)
  AND r.level IN ('city', 'county', 'township')
GROUP BY r.id, g.day
"""
LOCAL = "({column} AT TIME ZONE %(zone)s)::date"
IN_DAYS = "{column} >= %(start)s AND {column} < %(end)s"


def _grouped(table: str, column: str, counts: str, where: str = "TRUE", path: str = "") -> str:
    local = LOCAL.format(column=column)
    # the benchmark's own constants, no input
    return (
        f"SELECT {path or 'region_path'} AS region_path, {local} AS day, {counts} FROM {table} "  # noqa: S608
        f"WHERE {IN_DAYS.format(column=column)} AND {where} GROUP BY 1, 2"
    )


LATE_EXISTS = (
    "EXISTS (SELECT 1 FROM chains_overduerecord o JOIN chains_worktask t ON t.id = o.task_id "
    "WHERE t.instance_id = e.instance_id)"
)
EVENT = "grassroots_event e"
CLOSED = "e.status = 'closed'"
APPLICATION = "government_application a"

BARE: dict[str, str] = {
    "grassroots.events.reported": SPREAD.format(
        grouped=_grouped(EVENT, "e.created_at", "count(*) AS n"), totals="sum(g.n)::float8"
    ),
    "grassroots.events.closed": SPREAD.format(
        grouped=_grouped(EVENT, "e.closed_at", "count(*) AS n", CLOSED),
        totals="sum(g.n)::float8",
    ),
    "grassroots.events.on_time_rate": SPREAD.format(
        grouped=_grouped(
            EVENT,
            "e.closed_at",
            f"count(*) AS n, count(*) FILTER (WHERE {LATE_EXISTS}) AS late",
            CLOSED,
        ),
        totals="(sum(g.n) - sum(g.late))::float8 / nullif(sum(g.n), 0)",
    ),
    "grassroots.events.satisfaction": SPREAD.format(
        grouped=_grouped(
            EVENT,
            "e.closed_at",
            "count(*) FILTER (WHERE rating <> '') AS rated, "
            "count(*) FILTER (WHERE rating = 'satisfied') AS satisfied",
            CLOSED,
        ),
        totals="sum(g.satisfied)::float8 / nullif(sum(g.rated), 0)",
    ),
    "grassroots.events.open": """
WITH grouped AS (
  SELECT region_path, greatest((created_at AT TIME ZONE %(zone)s)::date, %(first)s) AS day,
    count(*) AS n
  FROM grassroots_event WHERE created_at < %(end)s
    AND NOT (status IN ('closed', 'rejected', 'merged') AND closed_at IS NULL) GROUP BY 1, 2
  UNION ALL
  SELECT region_path, greatest((created_at AT TIME ZONE %(zone)s)::date,
    (closed_at AT TIME ZONE %(zone)s)::date, %(first)s), -count(*)
  FROM grassroots_event WHERE created_at < %(end)s AND closed_at < %(end)s GROUP BY 1, 2
),
lengths AS (SELECT DISTINCT length(path) AS len FROM directory_region
            WHERE level IN ('city', 'county', 'township')),
per_day AS (
  SELECT r.id, g.day, sum(g.n) AS n FROM grouped g CROSS JOIN lengths l
  JOIN directory_region r ON r.path = left(g.region_path, l.len)
    AND r.level IN ('city', 'county', 'township')
  GROUP BY r.id, g.day
),
cells AS (
  SELECT r.id, d::date AS day FROM directory_region r,
    generate_series(%(first)s::date, %(last)s::date, interval '1 day') AS d
  WHERE r.level IN ('city', 'county', 'township')
)
SELECT c.id, c.day, (sum(coalesce(p.n, 0)) OVER (PARTITION BY c.id ORDER BY c.day))::float8
FROM cells c LEFT JOIN per_day p ON p.id = c.id AND p.day = c.day
""",
    "government.applications.submitted": SPREAD.format(
        grouped=_grouped(APPLICATION, "a.submitted_at", "count(*) AS n"),
        totals="sum(g.n)::float8",
    ),
    "government.applications.online_rate": SPREAD.format(
        grouped=_grouped(
            APPLICATION,
            "a.submitted_at",
            "count(*) AS n, count(*) FILTER (WHERE online) AS online",
        ),
        totals="sum(g.online)::float8 / nullif(sum(g.n), 0)",
    ),
    "government.applications.on_time_rate": SPREAD.format(
        grouped=_grouped(
            APPLICATION,
            "a.decided_at",
            "count(*) AS n, count(*) FILTER (WHERE a.promised_by >= "
            + LOCAL.format(column="a.decided_at")
            + ") AS on_time",
            "a.promised_by IS NOT NULL",
        ),
        totals="sum(g.on_time)::float8 / nullif(sum(g.n), 0)",
    ),
    "government.materials.shared": SPREAD.format(
        grouped=_grouped(
            "government_suppliedmaterial m JOIN government_application a "
            "ON a.id = m.application_id",
            "a.submitted_at",
            "count(*) AS n",
            "m.source = 'shared'",
            path="a.region_path",
        ),
        totals="sum(g.n)::float8",
    ),
    "government.applications.satisfaction": SPREAD.format(
        grouped=_grouped(
            "government_rating g JOIN government_application a ON a.id = g.application_id",
            "g.rated_at",
            "count(*) AS n, count(*) FILTER (WHERE g.level >= 4) AS satisfied",
            path="a.region_path",
        ),
        totals="sum(g.satisfied)::float8 / nullif(sum(g.n), 0)",
    ),
}


def bare(days: list[date]) -> dict[str, dict[tuple[int, date], float | None]]:
    """Every measured figure for every refreshed region and day, by bare SQL (regions and days
    without rows count 0, or None for rates)."""
    from django.db import connection
    from django.utils import timezone

    from kuaiji.platform.metrics.refresh import refresh_regions
    from kuaiji.platform.metrics.registry import days_bounds

    start, end = days_bounds(days)
    params = {
        "start": start,
        "end": end,
        "first": days[0],
        "last": days[-1],
        "zone": timezone.get_current_timezone_name(),
    }
    regions = [region.pk for region in refresh_regions()]
    found: dict[str, dict[tuple[int, date], float | None]] = {}
    with connection.cursor() as cursor:
        for code in MEASURED:
            empty = 0.0 if code in COUNTS else None
            values: dict[tuple[int, date], float | None] = {
                (pk, day): empty for pk in regions for day in days
            }
            cursor.execute(BARE[code], params)
            for pk, day, value in cursor.fetchall():
                if (pk, day) in values:
                    values[(pk, day)] = value
            found[code] = values
    return found


def stored(days: list[date]) -> dict[str, dict[tuple[int, date], float | None]]:
    """The measured indicators' stored day values (None where none is stored)."""
    from kuaiji.platform.metrics.models import IndicatorValue
    from kuaiji.platform.metrics.refresh import refresh_regions

    regions = [region.pk for region in refresh_regions()]
    found: dict[str, dict[tuple[int, date], float | None]] = {
        code: {(pk, day): None for pk in regions for day in days} for code in MEASURED
    }
    for code, pk, day, value in IndicatorValue.objects.filter(
        indicator__code__in=MEASURED,
        period_kind="day",
        department__isnull=True,
        period__gte=days[0],
        period__lte=days[-1],
    ).values_list("indicator__code", "region_id", "period", "value"):
        found[code][(pk, day)] = value
    return found


def differences(
    left: dict[str, dict[tuple[int, date], float | None]],
    right: dict[str, dict[tuple[int, date], float | None]],
) -> list[str]:
    """The first few (indicator, region, day) whose values differ."""
    found = []
    for code in MEASURED:
        for key, value in left[code].items():
            if right[code].get(key) != value:
                found.append(f"{code} {key}: {value} != {right[code].get(key)}")
    return found[:5]


# ---------------------------------------------------------------------------------------------
# The endpoints.


def timed(work: Callable[[], Any], runs: int) -> tuple[Timing, Any]:
    """Run `work` a few times to warm up, then `runs` times."""
    answer = None
    for _ in range(min(5, runs)):
        answer = work()
    latencies = []
    for _ in range(runs):
        started = time.perf_counter()
        answer = work()
        latencies.append((time.perf_counter() - started) * 1000)
    return Timing(statistics.median(latencies), percentile(latencies, 0.95)), answer


def leader_client() -> Any:
    """A test client logged in as the city leader, with the second factor proven."""
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from kuaiji.platform.identity.models import User

    with contextlib.suppress(RuntimeError):  # already set up under pytest
        setup_test_environment()  # the test server's host name is allowed
    leader = User.objects.get(username=LEADER)
    client = Client()
    client.force_login(leader)
    device, _created = TOTPDevice.objects.get_or_create(
        user=leader, confirmed=True, defaults={"name": "bench"}
    )
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return client


BARE_SNAPSHOT = """
SELECT code, period, value, previous_period, previous FROM (
  SELECT i.code, v.period, v.value,
    lead(v.period) OVER w AS previous_period, lead(v.value) OVER w AS previous,
    row_number() OVER w AS n
  FROM metrics_indicator i JOIN metrics_indicatorvalue v ON v.indicator_id = i.id
  WHERE i.active AND v.region_id = %s AND v.period_kind = 'day' AND v.department_id IS NULL
  WINDOW w AS (PARTITION BY i.id ORDER BY v.period DESC)
) AS latest WHERE n = 1 ORDER BY code
"""
BARE_SERIES = """
SELECT v.period, v.value FROM metrics_indicatorvalue v JOIN metrics_indicator i
  ON i.id = v.indicator_id
WHERE i.code = %s AND v.region_id = %s AND v.period_kind = 'day' AND v.department_id IS NULL
  AND v.period BETWEEN %s AND %s ORDER BY v.period
"""


@dataclass(frozen=True)
class Endpoint:
    """One endpoint's latency and the bare read of the same values."""

    path: str
    api: Timing
    bare: Timing
    values: int

    @property
    def ratio(self) -> float:
        return self.api.median_ms / self.bare.median_ms


def endpoints(days: list[date], runs: int) -> list[Endpoint]:
    """Time the cockpit's data endpoints for the city and the bare reads of their values."""
    from django.db import connection

    from kuaiji.platform.directory.models import Region

    city = Region.objects.get(level="city")
    client = leader_client()

    def bare_read(sql: str, params: list[Any]) -> Callable[[], list[Any]]:
        def read() -> list[Any]:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                return cursor.fetchall()

        return read

    def call(path: str) -> Callable[[], Any]:
        def get() -> Any:
            response = client.get(path, secure=True)
            if response.status_code != 200:
                raise SystemExit(f"{path} answered {response.status_code}: {response.content!r}")
            return response.json()

        return get

    base = "/api/v1/metrics"
    span = f"start={days[0]}&end={days[-1]}"
    checks: list[tuple[str, Callable[[], list[Any]], Callable[[Any], int]]] = [
        (
            f"{base}/snapshot?region={city.code}",
            bare_read(BARE_SNAPSHOT, [city.pk]),
            lambda answer: len(answer["indicators"]),
        ),
        (
            f"{base}/indicators/{SERIES}/values?region={city.code}&{span}",
            bare_read(BARE_SERIES, [SERIES, city.pk, days[0], days[-1]]),
            lambda answer: len(answer["points"]),
        ),
    ]
    board = f"{base}/cockpit?region={city.code}&days={len(days)}"
    if client.get(board, secure=True).status_code == 200:
        checks.append(
            (
                board,
                bare_read(
                    "SELECT i.code, v.period, v.value FROM metrics_indicator i JOIN "
                    "metrics_indicatorvalue v ON v.indicator_id = i.id WHERE i.active AND "
                    "v.region_id = %s AND v.period_kind = 'day' AND v.department_id IS NULL "
                    "AND v.period BETWEEN %s AND %s ORDER BY i.code, v.period",
                    [city.pk, days[0], days[-1]],
                ),
                lambda answer: sum(len(row["points"]) for row in answer["indicators"]),
            )
        )
    found = []
    for path, read, size in checks:
        api, answer = timed(call(path), runs)
        base_timing, rows = timed(read, runs)
        if path.startswith(f"{base}/indicators/") and size(answer) != len(rows):
            raise SystemExit(f"{path}: {size(answer)} points, bare SQL {len(rows)}")
        found.append(Endpoint(path=path, api=api, bare=base_timing, values=size(answer)))
    return found


# ---------------------------------------------------------------------------------------------
# The run.


@dataclass(frozen=True)
class Result:
    """The figures of one run."""

    events: int
    applications: int
    days: int
    regions: int
    generate_seconds: float
    refresh_seconds: float
    compute_seconds: float
    bare_seconds: float
    all_seconds: float
    all_indicators: int
    values_stored: int
    agree: bool
    per_region_days: int
    per_region_seconds: float | None
    endpoints: list[Endpoint]

    @property
    def ratio(self) -> float:
        """refresh() of the measured indicators over the bare SQL."""
        return self.refresh_seconds / self.bare_seconds

    @property
    def compute_ratio(self) -> float:
        """The grouped computation alone over the bare SQL."""
        return self.compute_seconds / self.bare_seconds


def run(
    events: int = 1_000_000,
    applications: int = 100_000,
    days: int = 30,
    runs: int = 200,
    per_region_days: int = 0,
    size: str = "default",
) -> Result:
    """Measure on the PostgreSQL database Django is connected to."""
    from django.db import connection

    from kuaiji.platform.metrics.models import Indicator
    from kuaiji.platform.metrics.refresh import compute_values, refresh, refresh_regions
    from kuaiji.platform.metrics.registry import specs, sync_definitions

    if connection.vendor != "postgresql":
        raise SystemExit("The cockpit benchmark compares with bare PostgreSQL SQL.")
    ensure_city(size)
    measured_days = window(days)
    generate_seconds = generate(events, applications, measured_days)
    sync_definitions()
    regions = refresh_regions()
    declared = specs()

    started = time.perf_counter()
    values_stored = refresh(days=measured_days, indicators=MEASURED)
    refresh_seconds = time.perf_counter() - started

    started = time.perf_counter()
    for code in MEASURED:
        compute_values(declared[code], regions, measured_days)
    compute_seconds = time.perf_counter() - started

    started = time.perf_counter()
    baseline = bare(measured_days)
    bare_seconds = time.perf_counter() - started
    found = stored(measured_days)
    problems = differences(baseline, found)
    if problems:
        raise SystemExit("refresh() and the bare SQL disagree:\n  " + "\n  ".join(problems))

    per_region_seconds = None
    if per_region_days:
        plain = {code: replace(declared[code], grouped=None) for code in MEASURED}
        started = time.perf_counter()
        for code in MEASURED:
            compute_values(plain[code], regions, measured_days[-per_region_days:])
        per_region_seconds = time.perf_counter() - started

    active = Indicator.objects.filter(active=True, code__in=list(declared)).count()
    started = time.perf_counter()
    refresh(days=measured_days)
    all_seconds = time.perf_counter() - started

    return Result(
        events=events,
        applications=applications,
        days=days,
        regions=len(regions),
        generate_seconds=generate_seconds,
        refresh_seconds=refresh_seconds,
        compute_seconds=compute_seconds,
        bare_seconds=bare_seconds,
        all_seconds=all_seconds,
        all_indicators=active,
        values_stored=values_stored,
        agree=not problems,
        per_region_days=per_region_days,
        per_region_seconds=per_region_seconds,
        endpoints=endpoints(measured_days, runs),
    )


def report(result: Result) -> str:
    """The figures as printed."""
    from django.db import connection

    lines = [
        f"cockpit indicators on {connection.vendor} ({platform.python_implementation()} "
        f"{platform.python_version()}, {os.cpu_count()} cores)",
        f"  data: {result.events:,} grid events and {result.applications:,} applications over "
        f"{result.days} days, generated in the database in {result.generate_seconds:.1f} s",
        f"  refresh() of the {len(MEASURED)} grid-event and service indicators for "
        f"{result.regions} regions x {result.days} days: {result.refresh_seconds:.2f} s "
        f"({result.values_stored:,} day values stored, months rolled up)",
        f"    of which the grouped computation alone: {result.compute_seconds:.2f} s",
        f"  bare GROUP BY SQL of the same figures: {result.bare_seconds:.2f} s "
        f"(every value agrees: {'yes' if result.agree else 'NO'})",
        f"  ratio: {result.ratio:.2f} (refresh / bare SQL); {result.compute_ratio:.2f} "
        f"(computation alone / bare SQL)",
    ]
    if result.per_region_seconds is not None:
        per_day = result.per_region_seconds / result.per_region_days
        lines.append(
            f"  per-region computation (one query per indicator, region and day) of "
            f"{result.per_region_days} day(s): {result.per_region_seconds:.1f} s, about "
            f"{per_day * result.days:,.0f} s for {result.days} days "
            f"({per_day * result.days / result.compute_seconds:,.0f}x the grouped one)"
        )
    lines.append(
        f"  refresh() of every active indicator ({result.all_indicators}, the data and command "
        f"ones included): {result.all_seconds:.2f} s"
    )
    for endpoint in result.endpoints:
        lines.append(
            f"  GET {endpoint.path} ({endpoint.values} values): {endpoint.api.line()}; "
            f"bare SQL read {endpoint.bare.line()}; ratio {endpoint.ratio:.1f}"
        )
    return "\n".join(lines)


def figures(result: Result) -> list[Figure]:
    """refresh() and the grouped computation alone against the bare SQL, and each endpoint's
    median against the bare read of its values."""
    data = {"events": result.events, "applications": result.applications, "days": result.days}
    found = [
        Figure(
            benchmark="cockpit_metrics",
            label=f"refresh() of {len(MEASURED)} indicators",
            value=result.refresh_seconds,
            unit="s",
            baseline_label="bare GROUP BY SQL",
            baseline_value=result.bare_seconds,
            better="lower",
            details={**data, "regions": result.regions, "values_stored": result.values_stored},
        ),
        Figure(
            benchmark="cockpit_metrics",
            label="grouped computation alone",
            value=result.compute_seconds,
            unit="s",
            baseline_label="bare GROUP BY SQL",
            baseline_value=result.bare_seconds,
            better="lower",
            details=data,
        ),
    ]
    found.extend(
        endpoint.api.against(
            endpoint.bare,
            benchmark="cockpit_metrics",
            label=f"GET {endpoint.path} (median)",
            baseline_label="bare SQL read of the values",
            values=endpoint.values,
        )
        for endpoint in result.endpoints
    )
    return found


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--applications", type=int, default=100_000)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--runs", type=int, default=200, help="calls per endpoint")
    parser.add_argument(
        "--per-region-days",
        type=int,
        default=0,
        help="also time the per-region computation for this many days (slow at full size)",
    )
    parser.add_argument(
        "--size", default="default", choices=["small", "default", "large"], help="demo city"
    )
    parser.add_argument(
        "--database-url", default=DEFAULT_DATABASE, help="a PostgreSQL database, recreated"
    )
    add_figures_option(parser)
    arguments = parser.parse_args()
    if not arguments.database_url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("--database-url takes a postgresql:// URL: the baseline is bare SQL.")
    from bench.chains import prepare_database

    cleanup = prepare_database(arguments.database_url)
    try:
        result = run(
            arguments.events,
            arguments.applications,
            arguments.days,
            arguments.runs,
            arguments.per_region_days,
            arguments.size,
        )
        text = report(result)
    finally:
        cleanup()
    print(text)
    write_figures(arguments, figures(result))


if __name__ == "__main__":
    main()
