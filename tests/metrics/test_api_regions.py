"""The metrics API for the cockpit: an indicator's values for the regions below a region (the
choropleth), the board (snapshot and trends in one answer), and their scope refusals."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kuaiji.platform.metrics.models import IndicatorValue, PeriodKind
from kuaiji.platform.metrics.refresh import refresh
from tests.directory.city import TinyCity
from tests.metrics.helpers import closed_events
from tests.metrics.test_api import client_for

pytestmark = pytest.mark.django_db

URL = "/api/v1/metrics"
CLOSED = "grassroots.events.closed"


def stored(code: str, region: str, day: date) -> float | None:
    """The day value refresh stored, straight from the table."""
    row = IndicatorValue.objects.filter(
        indicator__code=code,
        region__code=region,
        department__isnull=True,
        period_kind=PeriodKind.DAY,
        period=day,
    ).first()
    return None if row is None else row.value


@pytest.fixture
def refreshed(city: TinyCity) -> TinyCity:
    closed_events("330602001001001", date(2026, 3, 10), 3)
    closed_events("330602002001001", date(2026, 3, 11), 1)
    closed_events("330603001001001", date(2026, 3, 11), 2)
    refresh(day=date(2026, 3, 10))
    refresh(day=date(2026, 3, 11))
    return city


def test_values_of_the_counties_of_the_city(refreshed: TinyCity) -> None:
    client = client_for(refreshed.users["city_leader"])
    body = client.get(f"{URL}/indicators/{CLOSED}/regions?parent=330600&day=2026-03-11").json()
    assert (body["indicator"], body["parent"], body["day"]) == (CLOSED, "330600", "2026-03-11")
    assert [row["code"] for row in body["regions"]] == ["330602", "330603"]
    assert [row["name"] for row in body["regions"]] == ["西区", "东区"]
    for row in body["regions"]:
        assert row["value"] == stored(CLOSED, row["code"], date(2026, 3, 11))
    assert [row["value"] for row in body["regions"]] == [1.0, 2.0]

    latest = client.get(f"{URL}/indicators/{CLOSED}/regions?parent=330600").json()
    assert latest["day"] == "2026-03-11", "the latest day with a value by default"
    earlier = client.get(f"{URL}/indicators/{CLOSED}/regions?parent=330602&day=2026-03-10")
    assert [(row["code"], row["value"]) for row in earlier.json()["regions"]] == [
        ("330602001", 3.0),
        ("330602002", 0.0),
    ]
    nothing = client.get(f"{URL}/indicators/{CLOSED}/regions?parent=330600&day=2020-01-01")
    assert [row["value"] for row in nothing.json()["regions"]] == [None, None]


def test_values_of_the_regions_below_stay_within_the_grants(refreshed: TinyCity) -> None:
    county = client_for(refreshed.users["county_officer"])
    own = county.get(f"{URL}/indicators/{CLOSED}/regions").json()
    assert own["parent"] == "330602", "the reader's widest region by default"
    assert [row["code"] for row in own["regions"]] == ["330602001", "330602002"]
    for parent in ("330600", "330603", "999999"):
        answer = county.get(f"{URL}/indicators/{CLOSED}/regions?parent={parent}")
        assert answer.status_code == 404, parent
    township = client_for(refreshed.users["township_officer"])
    assert township.get(f"{URL}/indicators/{CLOSED}/regions?parent=330602").status_code == 404
    assert county.get(f"{URL}/indicators/no.such/regions").status_code == 404
    bad_day = county.get(f"{URL}/indicators/{CLOSED}/regions?day=yesterday")
    assert bad_day.status_code in (400, 422)
    grid_worker = client_for(refreshed.users["grid_worker"])
    assert grid_worker.get(f"{URL}/indicators/{CLOSED}/regions").status_code == 403


def test_board_has_the_snapshot_and_the_trends(refreshed: TinyCity) -> None:
    client = client_for(refreshed.users["city_leader"])
    board = client.get(f"{URL}/cockpit?region=330602").json()
    snapshot = client.get(f"{URL}/snapshot?region=330602").json()
    assert (board["region"], board["region_name"], board["level"]) == ("330602", "西区", "county")
    assert board["end"] == timezone.localdate().isoformat()
    assert board["start"] == (timezone.localdate() - timedelta(days=29)).isoformat()
    for key in ("code", "value", "previous", "period", "previous_period"):
        assert [row[key] for row in board["indicators"]] == [
            row[key] for row in snapshot["indicators"]
        ]
    closed = next(row for row in board["indicators"] if row["code"] == CLOSED)
    assert (closed["value"], closed["previous"]) == (1.0, 3.0)
    assert client.get(f"{URL}/cockpit?days=0").status_code in (400, 422)


def test_board_series_cover_the_last_days(city: TinyCity) -> None:
    yesterday = timezone.localdate() - timedelta(days=1)
    old = yesterday - timedelta(days=40)
    closed_events("330602001001001", yesterday, 2)
    closed_events("330602001001001", old, 5)
    refresh(day=yesterday)
    refresh(day=old)
    board = client_for(city.users["township_officer"]).get(f"{URL}/cockpit").json()
    assert board["region"] == "330602001"
    closed = next(row for row in board["indicators"] if row["code"] == CLOSED)
    assert closed["points"] == [{"period": yesterday.isoformat(), "value": 2.0}]
    assert closed["value"] == stored(CLOSED, "330602001", yesterday) == 2.0


def test_board_stays_within_the_grants(refreshed: TinyCity) -> None:
    for role in ("county_officer", "township_officer", "department_officer"):
        client = client_for(refreshed.users[role])
        assert client.get(f"{URL}/cockpit?region=330603").status_code == 404, role
        assert client.get(f"{URL}/cockpit?region=330600").status_code == 404, role
    assert client_for(refreshed.users["grid_worker"]).get(f"{URL}/cockpit").status_code == 403


def test_board_reads_a_fixed_number_of_queries(refreshed: TinyCity) -> None:
    client = client_for(refreshed.users["city_leader"])
    client.get(f"{URL}/cockpit")  # warm the session
    with CaptureQueriesContext(connection) as few:
        client.get(f"{URL}/cockpit?days=366")
    closed_events("330603001001001", date(2026, 3, 12), 4)
    closed_events("330602001001001", date(2026, 3, 13), 1)
    refresh(day=date(2026, 3, 12))
    refresh(day=date(2026, 3, 13))
    with CaptureQueriesContext(connection) as more:
        client.get(f"{URL}/cockpit?days=366")
    assert len(more) == len(few)
    with CaptureQueriesContext(connection) as regions:
        client.get(f"{URL}/indicators/{CLOSED}/regions?parent=330602")
    assert len(regions) <= len(few)


def test_additions_are_in_the_openapi_document(city: TinyCity) -> None:
    paths = client_for(city.users["city_leader"]).get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/metrics/indicators/{code}/regions" in paths
    assert "/api/v1/metrics/cockpit" in paths
    assert "/api/v1/grassroots/heat" in paths
