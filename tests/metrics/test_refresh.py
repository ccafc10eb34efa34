"""Refreshing computes each indicator for the city, counties and townships, as the apps'
own figures count, and stores it once (an upsert), with month values rolled up."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from click.testing import CliRunner

from kuaiji.apps.government import metrics as service_metrics
from kuaiji.apps.government.models import Rating
from kuaiji.apps.grassroots import metrics as event_metrics
from kuaiji.cli import main
from kuaiji.platform.metrics.models import Indicator, IndicatorValue
from kuaiji.platform.metrics.refresh import due_codes, refresh
from kuaiji.platform.metrics.registry import specs
from kuaiji.platform.metrics.tasks import refresh_metrics
from tests.directory.city import TinyCity
from tests.government.service_data import application
from tests.metrics.helpers import at, closed_events, yesterday

pytestmark = pytest.mark.django_db


def value(code: str, region: str, day: date, kind: str = "day") -> float | None:
    row = IndicatorValue.objects.filter(
        indicator__code=code, region__code=region, period=day, period_kind=kind
    ).first()
    return row.value if row else None


def test_grid_event_values_equal_the_apps_figures(city: TinyCity) -> None:
    day = yesterday()
    closed_events("330602001001001", day, 3)
    closed_events("330602001001002", day, 1, rating="unsatisfied")
    closed_events("330603001001001", day, 2)
    refresh(day=day)
    [whole, west, east] = event_metrics.figures(city.users["city_leader"])
    for region, figures in (("330600", whole), ("330602", west), ("330603", east)):
        assert value("grassroots.events.closed", region, day) == figures.closed
        assert value("grassroots.events.on_time_rate", region, day) == figures.on_time_rate
        assert value("grassroots.events.satisfaction", region, day) == figures.satisfaction
        assert value("grassroots.events.open", region, day) == figures.open == 0
    assert value("grassroots.events.reported", "330600", day) == 6
    assert value("grassroots.events.reported", "330602001", day) == 4
    assert value("grassroots.events.reported", "330602002", day) == 0
    assert value("grassroots.events.satisfaction", "330602002", day) is None
    assert value("grassroots.events.open", "330600", day - timedelta(days=1)) is None


def test_service_values_equal_the_apps_figures(city: TinyCity) -> None:
    day = yesterday()
    first = application(submitted_at=at(day, 9), decided_at=at(day, 15), shared=2, uploaded=1)
    application(submitted_at=at(day, 10), decided_at=at(day, 16), online=False, shared=1)
    application(
        region="330602002", submitted_at=at(day, 11), decided_at=at(day, 17), promised_by=day
    )
    application(
        region="330602002",
        submitted_at=at(day, 11),
        decided_at=at(day, 17),
        promised_by=day - timedelta(days=1),
    )
    Rating.objects.create(application=first, level=5, rated_at=at(day, 20))
    refresh(day=day)
    [_whole, west] = service_metrics.figures(city.users["county_officer"])
    assert value("government.applications.submitted", "330602", day) == west.applications == 4
    assert value("government.applications.online_rate", "330602", day) == west.online_rate
    assert value("government.applications.on_time_rate", "330602", day) == west.on_time_rate
    assert value("government.materials.shared", "330602", day) == west.shared_materials == 3
    assert value("government.applications.satisfaction", "330602", day) == west.satisfaction
    assert value("government.applications.on_time_rate", "330602002", day) == 0.5
    assert value("government.applications.submitted", "330603", day) == 0


def test_refreshing_again_updates_in_place(city: TinyCity) -> None:
    day = yesterday()
    closed_events("330602001001001", day, 2)
    stored = refresh(day=day)
    assert stored == IndicatorValue.objects.filter(period_kind="day").count() > 0
    before = set(IndicatorValue.objects.values_list("pk", "value"))
    assert refresh(day=day) == stored
    assert set(IndicatorValue.objects.values_list("pk", "value")) == before
    closed_events("330602001001001", day, 1)
    refresh(day=day, indicators=["grassroots.events.closed"])
    assert value("grassroots.events.closed", "330602", day) == 3
    assert IndicatorValue.objects.count() == len(before)


def test_month_values_sum_or_average_the_days(city: TinyCity) -> None:
    first, second = date(2026, 3, 10), date(2026, 3, 11)
    closed_events("330602001001001", first, 3)
    closed_events("330602001001001", second, 1, rating="unsatisfied")
    refresh(day=first)
    refresh(day=second)
    month = date(2026, 3, 1)
    assert value("grassroots.events.closed", "330602", month, "month") == 4
    assert value("grassroots.events.satisfaction", "330602", month, "month") == 0.5
    assert value("grassroots.events.satisfaction", "330603", month, "month") is None


def test_the_task_refreshes_what_is_due(city: TinyCity) -> None:
    assert len(due_codes()) == len(specs())
    assert refresh_metrics.delay().get() > 0
    assert due_codes() == []
    Indicator.objects.update(refreshed_at=at(yesterday(), 0))
    assert len(due_codes()) == len(specs())


def test_cli_backfills_days(city: TinyCity) -> None:
    closed_events("330602001001001", date(2026, 3, 9), 2)
    result = CliRunner().invoke(main, ["refresh-metrics", "--day", "2026-03-10", "--days", "3"])
    assert result.exit_code == 0, result.output
    assert "3 days up to 2026-03-10" in result.output
    assert value("grassroots.events.closed", "330600", date(2026, 3, 9)) == 2
    assert value("grassroots.events.closed", "330600", date(2026, 3, 8)) == 0
