"""Datastore search: one equality filter on a resource of a million rows through the row query
every data interface shares (`kuaiji.platform.data.rows.search`), against the same question
asked in plain SQL of a bare typed table with an index on the filtered column.

The benchmark registers an open resource of eight typed fields and puts ROWS rows in it
directly (COPY into ``data_datarow``: the rows as a load stores them, typed JSON keyed by the
primary key; the GIN index of migration 0003 over the values is in place), and the same rows
into a bare table with the same columns typed, the primary key and a b-tree index on
``region_code``. Both are analyzed. ``region_code`` takes VALUES different values (about
ROWS / VALUES rows each), as village codes would.

Timed, RUNS times each, cycling through the values (after one warm-up round):

- search: ``rows.search(resource, RowQuery(filters={"region_code": value}, limit=100))`` — the
  total that matched and the first page of 100 rows (in row order), as ``datastore_search``
  returns them; the resource is read once beforehand with its schema prefetched;
- baseline: ``SELECT … FROM bare WHERE region_code = %s ORDER BY record_id LIMIT 100`` and
  ``SELECT count(*) FROM bare WHERE region_code = %s`` through the same connection;
- if the CKAN Action API is installed: ``GET /api/3/action/datastore_search`` with the same
  filter through Django's test client (an anonymous caller of an open resource; every call is
  logged as a DataCall, as in production).

Printed: the median and p95 latency of each, the ratio of the medians (search / bare SQL) and
the query plan of the search's page. The pages are checked to hold the same rows and totals.
PostgreSQL only: the database of the URL is dropped, created anew, migrated and dropped again.

    python -m bench.datastore_search [--rows 1000000] [--values 1000] [--runs 200]
    python -m bench.datastore_search --database-url postgresql://postgres@127.0.0.1:5432/kuaiji_bench_data
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import math
import os
import platform
import random
import statistics
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from bench.results import Figure, add_figures_option, write_figures

DEFAULT_DATABASE = "postgresql://postgres@127.0.0.1:5432/kuaiji_bench_data"
RESOURCE = "bench-datastore"
DEPARTMENT = "330602-SCJ"
BARE_TABLE = "bench_search_bare"
FILTERED = "region_code"
LIMIT = 100
# name, schema type, SQL type of the bare table, primary key
FIELDS: tuple[tuple[str, str, str, bool], ...] = (
    ("record_id", "string", "text", True),
    ("region_code", "string", "text", False),
    ("category", "string", "text", False),
    ("name", "string", "text", False),
    ("amount", "number", "double precision", False),
    ("quantity", "integer", "integer", False),
    ("reported_on", "date", "date", False),
    ("closed", "boolean", "boolean", False),
)
CATEGORIES = ("市容环境", "道路交通", "安全隐患", "矛盾纠纷", "环境保护", "公共服务", "市场监管")
WORDS = "恒盛永通华达新宏鑫兴祥瑞丰源泰隆金德利汇诚信佳美中天远海越舜"


def region_values(values: int) -> list[str]:
    """`values` village-like codes of Yuecheng's townships."""
    return [f"330602{n // 50 + 1:03d}{n % 50 + 1:03d}" for n in range(values)]


def rows_of(rows: int, values: int, seed: int = 2026) -> Iterator[dict[str, Any]]:
    """The rows as typed values, in record_id order."""
    rng = random.Random(seed)
    codes = region_values(values)
    start = date(2024, 1, 1)
    for n in range(rows):
        yield {
            "record_id": f"R{n:08d}",
            "region_code": rng.choice(codes),
            "category": rng.choice(CATEGORIES),
            "name": "".join(rng.choices(WORDS, k=4)),
            "amount": rng.randint(0, 10**7) / 100,
            "quantity": rng.randint(0, 1000),
            "reported_on": (start + timedelta(days=rng.randrange(700))).isoformat(),
            "closed": rng.random() < 0.8,
        }


def record() -> Any:
    """The resource as its department registers it: open, every field public."""
    from kuaiji.platform.data.records import ResourceRecord

    return ResourceRecord(
        code=RESOURCE,
        title="网格事件明细（基准测试）",
        title_en="Grid events in detail (benchmark)",
        department_code=DEPARTMENT,
        frequency="daily",
        licence="CC-BY-4.0",
        sharing="unconditional",
        opening="open",
        fields=[
            {"name": name, "type": kind, "level": 1, "primary_key": key, "required": key}
            for name, kind, _sql, key in FIELDS
        ],
    )


def register() -> Any:
    """Register the resource anew, empty, as the system (in the tiny city if need be)."""
    from bench.data_ingest import ensure_department
    from kuaiji.platform.core.actors import SYSTEM
    from kuaiji.platform.data.models import DataResource
    from kuaiji.platform.data.services import register_resource

    ensure_department()
    DataResource.objects.filter(code=RESOURCE).delete()
    return register_resource(actor=SYSTEM, resource=record())


def fill(target: Any, rows: int, values: int, seed: int = 2026) -> None:
    """COPY the rows into ``data_datarow`` (as data version 1 of the resource) and into the bare
    table (created anew, indexed on the filtered column); analyze both."""
    from django.db import connection, transaction
    from django.utils import timezone

    from kuaiji.platform.data.services import row_key

    now = timezone.now()
    names = [name for name, _type, _sql, _key in FIELDS]
    columns = ", ".join(f"{name} {sql}" for name, _type, sql, _key in FIELDS)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {BARE_TABLE}")
        cursor.execute(f"CREATE TABLE {BARE_TABLE} ({columns}, PRIMARY KEY (record_id))")
        raw = cursor.cursor
        with (
            raw.copy(
                "COPY data_datarow (resource_id, key, data, version, updated_at) FROM STDIN"
            ) as rows_copy,
        ):
            for row in rows_of(rows, values, seed):
                rows_copy.write_row(
                    (
                        target.pk,
                        row_key([row["record_id"]]),
                        json.dumps(row, ensure_ascii=False, separators=(",", ":")),
                        1,
                        now,
                    )
                )
        with raw.copy(f"COPY {BARE_TABLE} ({', '.join(names)}) FROM STDIN") as bare_copy:
            for row in rows_of(rows, values, seed):
                bare_copy.write_row([row[name] for name in names])
        cursor.execute(f"CREATE INDEX {BARE_TABLE}_{FILTERED} ON {BARE_TABLE} ({FILTERED})")
        target.data_version = 1
        target.row_count = rows
        target.data_updated_at = now
        target.save(update_fields=["data_version", "row_count", "data_updated_at"])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE data_datarow")
        cursor.execute(f"ANALYZE {BARE_TABLE}")


def percentile(values: Sequence[float], share: float) -> float:
    """The nearest-rank percentile (`share` between 0 and 1)."""
    ordered = sorted(values)
    return ordered[max(1, math.ceil(share * len(ordered))) - 1]


@dataclass(frozen=True)
class Timing:
    """Latencies of one kind of query, in ms."""

    median_ms: float
    p95_ms: float

    @classmethod
    def of(cls, latencies: Sequence[float]) -> Timing:
        return cls(statistics.median(latencies), percentile(latencies, 0.95))

    def line(self) -> str:
        return f"median {self.median_ms:.2f} ms, p95 {self.p95_ms:.2f} ms"

    def against(
        self, baseline: Timing, *, benchmark: str, label: str, baseline_label: str, **details: Any
    ) -> Figure:
        """This median as a figure, against the `baseline` median."""
        return Figure(
            benchmark=benchmark,
            label=label,
            value=self.median_ms,
            unit="ms",
            baseline_label=baseline_label,
            baseline_value=baseline.median_ms,
            better="lower",
            details={**details, "p95_ms": self.p95_ms, "baseline_p95_ms": baseline.p95_ms},
        )


def timed(work: Callable[[str], Any], values: Sequence[str], runs: int) -> tuple[Timing, list[Any]]:
    """Run `work` once per value to warm up, then `runs` times cycling through the values."""
    for value in values[: min(len(values), runs)]:
        work(value)
    latencies, answers = [], []
    for n in range(runs):
        value = values[n % len(values)]
        started = time.perf_counter()
        answers.append(work(value))
        latencies.append((time.perf_counter() - started) * 1000)
    return Timing.of(latencies), answers


def bare_search(value: str) -> tuple[int, list[str]]:
    """The baseline: the first page and the count, in plain SQL on the bare table."""
    from django.db import connection

    names = ", ".join(name for name, _type, _sql, _key in FIELDS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {names} FROM {BARE_TABLE} WHERE {FILTERED} = %s "  # noqa: S608
            f"ORDER BY record_id LIMIT {LIMIT}",
            [value],
        )
        page = [row[0] for row in cursor.fetchall()]
        cursor.execute(f"SELECT count(*) FROM {BARE_TABLE} WHERE {FILTERED} = %s", [value])  # noqa: S608
        return int(cursor.fetchone()[0]), page


def ckan_installed() -> bool:
    return importlib.util.find_spec("kuaiji.platform.data.ckan") is not None


@dataclass(frozen=True)
class Result:
    """The figures of one run."""

    rows: int
    values: int
    runs: int
    matched: float  # the mean total of a value
    search: Timing
    bare: Timing
    ckan: Timing | None
    plan: str

    @property
    def ratio(self) -> float:
        """The search's median over the bare SQL's."""
        return self.search.median_ms / self.bare.median_ms


def run(rows: int = 1_000_000, values: int = 1_000, runs: int = 200, seed: int = 2026) -> Result:
    """Measure on the PostgreSQL database Django is connected to."""
    from django.db import connection
    from django.test import Client

    from kuaiji.platform.data.models import DataResource, DataRow
    from kuaiji.platform.data.rows import RowQuery, matching, search

    if connection.vendor != "postgresql":
        raise SystemExit("The datastore benchmark needs PostgreSQL (COPY, the GIN index).")
    fill(register(), rows, values, seed)
    target = DataResource.objects.prefetch_related("fields").get(code=RESOURCE)
    codes = region_values(values)
    rng = random.Random(seed)
    order = rng.sample(codes, len(codes))

    def through_search(value: str) -> tuple[int, list[str]]:
        page = search(target, RowQuery(filters={FILTERED: value}, limit=LIMIT))
        return page.total, [record["record_id"] for record in page.records]

    search_timing, found = timed(through_search, order, runs)
    bare_timing, expected = timed(bare_search, order, runs)
    assert found == expected, "the search and the bare SQL disagree"
    ckan_timing = None
    if ckan_installed():
        client = Client(HTTP_HOST="localhost")  # a host the settings allow outside tests

        def through_ckan(value: str) -> int:
            query: dict[str, str | int] = {
                "resource_id": RESOURCE,
                "filters": json.dumps({FILTERED: value}),
                "limit": LIMIT,
            }
            answer = client.get("/api/3/action/datastore_search", query)
            assert answer.status_code == 200, answer.content[:300]
            body = answer.json()["result"]
            assert len(body["records"]) == min(LIMIT, body["total"])
            return int(body["total"])

        ckan_timing, totals = timed(through_ckan, order, runs)
        assert totals == [total for total, _page in expected]
    page = matching(target, filters={FILTERED: order[0]}).order_by("pk")[:LIMIT]
    assert DataRow.objects.filter(resource=target).count() == rows
    return Result(
        rows=rows,
        values=values,
        runs=runs,
        matched=statistics.mean(total for total, _page in expected),
        search=search_timing,
        bare=bare_timing,
        ckan=ckan_timing,
        plan=page.explain(),
    )


def report(result: Result) -> str:
    """The figures as printed."""
    from django.db import connection

    lines = [
        f"datastore search on {connection.vendor} ({platform.python_implementation()} "
        f"{platform.python_version()}, {os.cpu_count()} cores)",
        f"  {result.rows:,} rows x {len(FIELDS)} typed fields; {FILTERED} has {result.values:,} "
        f"values, {result.matched:,.0f} rows each on average; {result.runs} queries each",
        f"  rows.search (one equality filter, total and first {LIMIT} rows): "
        f"{result.search.line()}",
        f"  bare SQL on a typed table, b-tree on {FILTERED} (page and count): {result.bare.line()}",
        f"  ratio: {result.ratio:.3f} (search / bare SQL medians)",
    ]
    if result.ckan is not None:
        lines.append(
            f"  CKAN datastore_search over Django's test client: {result.ckan.line()} "
            f"({result.ckan.median_ms / result.bare.median_ms:.3f} x bare SQL)"
        )
    else:
        lines.append("  CKAN datastore_search: not installed, not measured")
    lines.append("  plan of the search's page:")
    lines.extend(f"    {line}" for line in result.plan.splitlines())
    return "\n".join(lines)


def figures(result: Result) -> list[Figure]:
    """The median of the search (and of CKAN's datastore_search, if installed) against the bare
    SQL's."""
    bare = "bare SQL on an indexed typed table"
    sizes = {"rows": result.rows, "values": result.values, "runs": result.runs}
    found = [
        result.search.against(
            result.bare,
            benchmark="datastore_search",
            label=f"rows.search, one equality filter (median of {result.runs})",
            baseline_label=bare,
            plan=result.plan,
            **sizes,
        )
    ]
    if result.ckan is not None:
        found.append(
            result.ckan.against(
                result.bare,
                benchmark="datastore_search",
                label=f"CKAN datastore_search (median of {result.runs})",
                baseline_label=bare,
                **sizes,
            )
        )
    return found


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--values", type=int, default=1_000, help="values of the filtered field")
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument(
        "--database-url", default=DEFAULT_DATABASE, help="a PostgreSQL database, recreated"
    )
    add_figures_option(parser)
    arguments = parser.parse_args()
    if not arguments.database_url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("--database-url takes a postgresql:// URL.")
    # Every CKAN call comes from one anonymous address: keep the per-address limit out of the way.
    os.environ.setdefault("KUAIJI_RATE_ANONYMOUS_PER_MINUTE", "100000000")
    from bench.chains import prepare_database

    cleanup = prepare_database(arguments.database_url)
    try:
        result = run(arguments.rows, arguments.values, arguments.runs)
        text = report(result)
    finally:
        cleanup()
    print(text)
    write_figures(arguments, figures(result))


if __name__ == "__main__":
    main()
