"""The cockpit benchmark still runs, at a tiny scale (the real figures come from
`make bench-cockpit`); it compares with bare PostgreSQL SQL, so it is skipped on SQLite."""

from __future__ import annotations

import pytest
from django.db import connection

from bench import cockpit_metrics
from tests.directory.city import TinyCity

pytestmark = pytest.mark.django_db


@pytest.fixture
def postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the cockpit benchmark compares with bare PostgreSQL SQL")


def test_cockpit_benchmark_refreshes_and_agrees_with_bare_sql(
    postgresql: None, city: TinyCity
) -> None:
    result = cockpit_metrics.run(events=600, applications=120, days=4, runs=3, per_region_days=1)
    assert result.agree and result.values_stored > 0
    assert result.refresh_seconds > 0 and result.bare_seconds > 0 and result.ratio > 0
    assert result.per_region_seconds is not None and result.per_region_seconds > 0
    paths = [endpoint.path for endpoint in result.endpoints]
    assert any("/snapshot?region=330600" in path for path in paths)
    assert any(f"/indicators/{cockpit_metrics.SERIES}/values" in path for path in paths)
    assert all(
        0 < e.api.median_ms <= e.api.p95_ms and e.bare.median_ms > 0 for e in result.endpoints
    )
    text = cockpit_metrics.report(result)
    assert "bare GROUP BY SQL" in text and "every value agrees: yes" in text


def test_the_bare_sql_notices_a_wrong_value(postgresql: None, city: TinyCity) -> None:
    """The agreement check can fail: a stored value changed behind refresh's back differs."""
    from kuaiji.platform.metrics.models import IndicatorValue

    days = cockpit_metrics.window(3)
    cockpit_metrics.ensure_city()
    cockpit_metrics.generate(300, 50, days)
    from kuaiji.platform.metrics.refresh import refresh

    refresh(days=days, indicators=cockpit_metrics.MEASURED)
    baseline = cockpit_metrics.bare(days)
    assert cockpit_metrics.differences(baseline, cockpit_metrics.stored(days)) == []
    IndicatorValue.objects.filter(
        indicator__code="grassroots.events.reported", region__code="330600", period=days[0]
    ).update(value=-1)
    assert cockpit_metrics.differences(baseline, cockpit_metrics.stored(days))
