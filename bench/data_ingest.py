"""Data ingestion: a CSV file of a million rows loaded by `load_file`, against PostgreSQL's own
COPY of the same file into a bare table.

The benchmark registers a resource of eleven typed fields (text, integer, number, date, date
and time, yes/no; a text primary key), the kind of register a department uploads, and generates
ROWS rows of it as one CSV file (seeded, so every run loads the same file; about 130 bytes a
row). Then, in the same run:

- the load: `kuaiji.platform.data.ingest.loading.load_file` of the file into the empty resource
  (rejecting bad rows; there are none): reading, checking every value against the schema,
  computing keys, writing the rows as JSON with their data version and auditing the load —
  rows/s, and the process's peak resident memory (resource.getrusage) before and after it;
- the baseline: ``COPY … FROM STDIN (FORMAT csv, HEADER)`` of the same bytes, through psycopg's
  ``cursor.copy``, into an empty bare table with the same columns typed and the same primary
  key — rows/s.

Printed: both rates, the ratio (load / COPY) and the memory. PostgreSQL only: the database of
the URL is dropped, created anew, migrated and dropped again at the end.

    python -m bench.data_ingest [--rows 1000000]
    python -m bench.data_ingest --database-url postgresql://postgres@127.0.0.1:5432/kuaiji_bench_data
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import random
import resource
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from bench.results import Figure, add_figures_option, write_figures

DEFAULT_DATABASE = "postgresql://postgres@127.0.0.1:5432/kuaiji_bench_data"
RESOURCE = "bench-enterprise-register"
DEPARTMENT = "330602-SCJ"  # the tiny city's market regulation bureau of Yuecheng
BARE_TABLE = "bench_ingest_bare"
COPY_CHUNK = 1 << 20
# name, schema type, SQL type of the bare table, primary key
FIELDS: tuple[tuple[str, str, str, bool], ...] = (
    ("record_id", "string", "text", True),
    ("credit_code", "string", "text", False),
    ("name", "string", "text", False),
    ("region_code", "string", "text", False),
    ("industry", "string", "text", False),
    ("employees", "integer", "integer", False),
    ("capital", "number", "double precision", False),
    ("revenue", "number", "double precision", False),
    ("founded", "date", "date", False),
    ("inspected_at", "datetime", "timestamptz", False),
    ("active", "boolean", "boolean", False),
)
TOWNSHIPS = tuple(f"330602{n:03d}{v:03d}" for n in range(1, 13) for v in range(1, 21))
INDUSTRIES = ("C17", "C18", "C26", "C28", "C34", "C38", "F51", "F52", "G54", "I65")
WORDS = "恒盛永通华达新宏鑫兴祥瑞丰源泰隆金德利汇诚信佳美中天远海越舜"


def peak_memory_mb() -> float:
    """The process's peak resident memory so far, in MB (Linux reports it in KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def field_names() -> list[str]:
    return [name for name, _type, _sql, _key in FIELDS]


def record() -> Any:
    """The resource as its department registers it."""
    from kuaiji.platform.data.records import ResourceRecord

    return ResourceRecord(
        code=RESOURCE,
        title="企业登记名册（基准测试）",
        title_en="Register of enterprises (benchmark)",
        department_code=DEPARTMENT,
        frequency="daily",
        sharing="unconditional",
        opening="not_open",
        fields=[
            {"name": name, "type": kind, "level": 1, "primary_key": key, "required": key}
            for name, kind, _sql, key in FIELDS
        ],
    )


def lines(rows: int, seed: int = 2026) -> Iterator[str]:
    """The CSV file's lines (header first), drawn from `seed`."""
    rng = random.Random(seed)
    start = date(1990, 1, 1)
    inspected = datetime(2025, 1, 1, 8, 0)
    yield ",".join(field_names()) + "\n"
    for n in range(rows):
        name = "".join(rng.choices(WORDS, k=4)) + "有限公司"
        yield (
            f"R{n:08d},91330602MA2{n:07d},{name},{rng.choice(TOWNSHIPS)},"
            f"{rng.choice(INDUSTRIES)},{rng.randint(1, 5000)},{rng.randint(10, 500_000) / 10},"
            f"{rng.randint(0, 10**9) / 100},{start + timedelta(days=rng.randrange(12_000))},"
            f"{inspected + timedelta(minutes=rng.randrange(500_000))}+08:00,"
            f"{'true' if rng.random() < 0.9 else 'false'}\n"
        )


def csv_file(rows: int, seed: int = 2026) -> bytes:
    """The whole file, UTF-8 (encoded line by line, so making it takes little more memory than
    the file itself and the load's peak shows above it)."""
    buffer = io.BytesIO()
    for line in lines(rows, seed):
        buffer.write(line.encode("utf-8"))
    return buffer.getvalue()


def ensure_department() -> None:
    """The tiny city (with the department that owns the resource) if the database lacks it."""
    from kuaiji.platform.directory.models import Department

    if not Department.objects.filter(code=DEPARTMENT).exists():
        from tests.directory.city import build_tiny_city

        build_tiny_city()


def register() -> Any:
    """Register the benchmark's resource (anew, empty) as the system."""
    from kuaiji.platform.core.actors import SYSTEM
    from kuaiji.platform.data.models import DataResource
    from kuaiji.platform.data.services import register_resource

    ensure_department()
    DataResource.objects.filter(code=RESOURCE).delete()
    return register_resource(actor=SYSTEM, resource=record())


def create_bare_table() -> None:
    """The bare table: the same columns, typed, the same primary key, empty."""
    from django.db import connection

    columns = ", ".join(f"{name} {sql}" for name, _type, sql, _key in FIELDS)
    keys = ", ".join(name for name, _type, _sql, key in FIELDS if key)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {BARE_TABLE}")
        cursor.execute(f"CREATE TABLE {BARE_TABLE} ({columns}, PRIMARY KEY ({keys}))")


def copy_file(content: bytes) -> int:
    """COPY the file into the bare table in one transaction; return the rows it holds."""
    from django.db import connection, transaction

    names = ", ".join(field_names())
    with transaction.atomic(), connection.cursor() as cursor:
        statement = f"COPY {BARE_TABLE} ({names}) FROM STDIN (FORMAT csv, HEADER true)"
        with cursor.cursor.copy(statement) as copy:
            view = memoryview(content)
            for start in range(0, len(view), COPY_CHUNK):
                copy.write(view[start : start + COPY_CHUNK])
        cursor.execute(f"SELECT count(*) FROM {BARE_TABLE}")  # noqa: S608
        return int(cursor.fetchone()[0])


@dataclass(frozen=True)
class Result:
    """The figures of one run."""

    rows: int
    file_bytes: int
    load_seconds: float
    validate_seconds: float
    write_seconds: float
    rows_inserted: int
    copy_seconds: float
    copied: int
    memory_before_mb: float
    memory_after_mb: float

    @property
    def load_per_second(self) -> float:
        return self.rows / self.load_seconds

    @property
    def copy_per_second(self) -> float:
        return self.rows / self.copy_seconds

    @property
    def ratio(self) -> float:
        """load_file rows/s over COPY rows/s."""
        return self.load_per_second / self.copy_per_second


def run(rows: int = 1_000_000, seed: int = 2026) -> Result:
    """Measure on the PostgreSQL database Django is connected to."""
    from django.db import connection

    from kuaiji.platform.core.actors import SYSTEM
    from kuaiji.platform.data.ingest.loading import load_file
    from kuaiji.platform.data.models import BadRowHandling, LoadStatus

    if connection.vendor != "postgresql":
        raise SystemExit("The ingestion benchmark compares with COPY: it needs PostgreSQL.")
    target = register()
    create_bare_table()
    content = csv_file(rows, seed)
    before = peak_memory_mb()
    started = time.perf_counter()
    load = load_file(
        actor=SYSTEM,
        resource=target,
        content=content,
        file_name=f"{RESOURCE}.csv",
        on_bad_rows=BadRowHandling.REJECT,
    )
    load_seconds = time.perf_counter() - started
    after = peak_memory_mb()
    if load.status != LoadStatus.APPLIED or load.rows_inserted != rows:
        raise SystemExit(
            f"The load was {load.status} ({load.rows_inserted} of {rows} rows inserted): "
            f"{load.message} {load.problems[:3]}"
        )
    started = time.perf_counter()
    copied = copy_file(content)
    copy_seconds = time.perf_counter() - started
    assert copied == rows, (copied, rows)
    return Result(
        rows=rows,
        file_bytes=len(content),
        load_seconds=load_seconds,
        validate_seconds=load.validate_seconds,
        write_seconds=load.write_seconds,
        rows_inserted=load.rows_inserted,
        copy_seconds=copy_seconds,
        copied=copied,
        memory_before_mb=before,
        memory_after_mb=after,
    )


def report(result: Result) -> str:
    """The figures as printed."""
    from django.db import connection

    return "\n".join(
        [
            f"data ingestion on {connection.vendor} ({platform.python_implementation()} "
            f"{platform.python_version()}, "
            f"{os.cpu_count()} cores)",
            f"  file: {result.rows:,} rows x {len(FIELDS)} typed fields, "
            f"{result.file_bytes / 2**20:,.1f} MB of CSV",
            f"  load_file: {result.load_seconds:.1f} s, {result.load_per_second:,.0f} rows/s "
            f"(read and checked {result.validate_seconds:.1f} s, written "
            f"{result.write_seconds:.1f} s; {result.rows_inserted:,} rows inserted)",
            f"  COPY into a bare typed table with the same primary key: "
            f"{result.copy_seconds:.1f} s, {result.copy_per_second:,.0f} rows/s",
            f"  ratio: {result.ratio:.3f} (load_file / COPY rows per second; "
            f"{1 / result.ratio:,.1f}x slower)",
            f"  peak resident memory of the process: {result.memory_before_mb:,.0f} MB before "
            f"the load (making the file, which stays in memory), {result.memory_after_mb:,.0f} "
            f"MB after it (+{result.memory_after_mb - result.memory_before_mb:,.0f} MB; +0 means "
            f"the load stayed under the earlier peak)",
        ]
    )


def figures(result: Result) -> list[Figure]:
    """The figure of the run: load_file rows/s against COPY's."""
    return [
        Figure(
            benchmark="data_ingest",
            label=f"load_file of a {result.rows:,}-row CSV",
            value=result.load_per_second,
            unit="rows/s",
            baseline_label="COPY into a bare typed table",
            baseline_value=result.copy_per_second,
            details={
                "rows": result.rows,
                "file_bytes": result.file_bytes,
                "load_seconds": result.load_seconds,
                "validate_seconds": result.validate_seconds,
                "write_seconds": result.write_seconds,
                "copy_seconds": result.copy_seconds,
                "memory_before_mb": result.memory_before_mb,
                "memory_after_mb": result.memory_after_mb,
            },
        )
    ]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument(
        "--database-url", default=DEFAULT_DATABASE, help="a PostgreSQL database, recreated"
    )
    add_figures_option(parser)
    arguments = parser.parse_args()
    if not arguments.database_url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("--database-url takes a postgresql:// URL: the baseline is COPY.")
    from bench.chains import prepare_database

    cleanup = prepare_database(arguments.database_url)
    try:
        result = run(arguments.rows)
        text = report(result)
    finally:
        cleanup()
    print(text)
    write_figures(arguments, figures(result))


if __name__ == "__main__":
    main()
