"""The service pages benchmark still runs (tiny scale, PostgreSQL only; the figures come from
`make bench-service-pages`)."""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import urlsplit

import pytest

from bench import service_pages

pytestmark = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")),
    reason="the service pages benchmark runs on PostgreSQL",
)


def test_service_pages_benchmark_against_a_live_server(
    transactional_db: None, live_server: Any
) -> None:
    address = urlsplit(str(live_server))
    assert address.hostname and address.port
    fixture = service_pages.set_up()
    chosen = service_pages.pages(fixture)
    assert [page.path for page in chosen] == [
        f"/services/items/{fixture.code}/",
        f"/api/v1/government/applications/{fixture.number}",
    ]
    result = service_pages.run(
        address.hostname, address.port, chosen, requests=3, concurrency=1, warmup=1
    )
    assert result.baseline.statuses == {200: 3}
    for _page, stats in result.pages:
        assert stats.statuses == {200: 3} and 0 < stats.p50_ms <= stats.p99_ms
        assert result.ratio(stats) > 0
    assert result.problems == []
    assert "ratio to the static file" in service_pages.report(result)
