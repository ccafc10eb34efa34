"""The data benchmarks still run, at a tiny scale (the real figures come from
`make bench-data-ingest` and `make bench-datastore`); both need PostgreSQL, so they are skipped
on SQLite, except the file the ingestion benchmark generates, which any database loads."""

from __future__ import annotations

import pytest
from django.db import connection

from bench import data_ingest, datastore_search
from kuaiji.platform.core.actors import SYSTEM
from kuaiji.platform.data.ingest.loading import load_file
from kuaiji.platform.data.models import BadRowHandling, LoadStatus
from tests.directory.city import TinyCity

pytestmark = pytest.mark.django_db


@pytest.fixture
def postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the data benchmarks compare with PostgreSQL's COPY and indexes")


def test_the_ingestion_benchmarks_file_loads_cleanly(city: TinyCity) -> None:
    resource = data_ingest.register()
    load = load_file(
        actor=SYSTEM,
        resource=resource,
        content=data_ingest.csv_file(50),
        file_name="bench.csv",
        on_bad_rows=BadRowHandling.REJECT,
    )
    assert (load.status, load.rows_inserted, load.rows_bad) == (LoadStatus.APPLIED, 50, 0)
    assert data_ingest.csv_file(50) == data_ingest.csv_file(50)


def test_ingestion_benchmark_runs_load_file_and_copy(postgresql: None, city: TinyCity) -> None:
    result = data_ingest.run(rows=200)
    assert result.rows_inserted == result.copied == 200
    assert result.load_per_second > 0 and result.copy_per_second > 0 and result.ratio > 0
    assert result.memory_after_mb >= result.memory_before_mb > 0
    assert "rows/s" in data_ingest.report(result)


def test_datastore_benchmark_runs_search_and_bare_sql(postgresql: None, city: TinyCity) -> None:
    result = datastore_search.run(rows=300, values=6, runs=6)
    assert result.matched == 50
    assert 0 < result.search.median_ms <= result.search.p95_ms
    assert 0 < result.bare.median_ms <= result.bare.p95_ms
    assert (result.ckan is not None) == datastore_search.ckan_installed()
    assert result.plan and "median" in datastore_search.report(result)
    assert datastore_search.percentile([4.0, 1.0, 3.0, 2.0], 0.95) == 4.0
