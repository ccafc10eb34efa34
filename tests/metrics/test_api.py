"""The metrics API: definitions, series by day and month, the snapshot, and scope refusals."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from kuaiji.platform.identity.models import User
from kuaiji.platform.metrics.refresh import refresh
from kuaiji.platform.metrics.registry import specs
from tests.directory.city import TinyCity
from tests.metrics.helpers import closed_events

pytestmark = pytest.mark.django_db

URL = "/api/v1/metrics"


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def refreshed(city: TinyCity) -> TinyCity:
    closed_events("330602001001001", date(2026, 3, 10), 3)
    closed_events("330602001001001", date(2026, 3, 11), 1, rating="unsatisfied")
    closed_events("330603001001001", date(2026, 3, 11), 2)
    refresh(day=date(2026, 3, 10))
    refresh(day=date(2026, 3, 11))
    return city


def test_definitions(city: TinyCity) -> None:
    rows = client_for(city.users["township_officer"]).get(f"{URL}/indicators").json()
    reported = next(row for row in rows if row["code"] == "grassroots.events.reported")
    assert reported["owner"] == "grassroots" and reported["aggregate"] == "sum"
    assert client_for(city.users["grid_worker"]).get(f"{URL}/indicators").status_code == 403


def test_series_by_day_and_month(refreshed: TinyCity) -> None:
    client = client_for(refreshed.users["county_officer"])
    path = f"{URL}/indicators/grassroots.events.closed/values"
    days = client.get(f"{path}?region=330602&start=2026-03-09&end=2026-03-11").json()
    assert days["region"] == "330602" and days["unit"] == "events"
    assert days["points"] == [
        {"period": "2026-03-10", "value": 3.0},
        {"period": "2026-03-11", "value": 1.0},
    ]
    months = client.get(f"{path}?region=330602&start=2026-03-01&end=2026-03-31&period=month")
    assert months.json()["points"] == [{"period": "2026-03-01", "value": 4.0}]
    rate = f"{URL}/indicators/grassroots.events.satisfaction/values"
    mean = client.get(f"{rate}?region=330602&start=2026-03-01&end=2026-03-31&period=month")
    assert mean.json()["points"] == [{"period": "2026-03-01", "value": 0.5}]
    default = client.get(f"{path}?start=2026-03-10&end=2026-03-10").json()
    assert default["region"] == "330602", "the reader's widest region by default"
    bad = client.get(f"{path}?start=2026-03-11&end=2026-03-10")
    assert bad.status_code == 400 and "start" in bad.json()["error"]["fields"]
    assert client.get(f"{URL}/indicators/no.such/values").status_code == 404


def test_regions_outside_the_grants_answer_404(refreshed: TinyCity) -> None:
    path = f"{URL}/indicators/grassroots.events.closed/values?region=330603"
    for role in ("county_officer", "township_officer", "department_officer"):
        client = client_for(refreshed.users[role])
        assert client.get(path).status_code == 404, role
        assert client.get(f"{URL}/snapshot?region=330603").status_code == 404, role
        assert client.get(f"{URL}/snapshot?region=999999").status_code == 404, role
    assert client_for(refreshed.users["city_leader"]).get(path).status_code == 200


def test_snapshot(refreshed: TinyCity) -> None:
    body = client_for(refreshed.users["city_leader"]).get(f"{URL}/snapshot").json()
    assert body["region"] == "330600"
    closed = next(row for row in body["indicators"] if row["code"] == "grassroots.events.closed")
    assert (closed["period"], closed["value"]) == ("2026-03-11", 3.0)
    assert (closed["previous_period"], closed["previous"]) == ("2026-03-10", 3.0)
    township = client_for(refreshed.users["township_officer"]).get(f"{URL}/snapshot").json()
    assert township["region"] == "330602001"
    assert len(township["indicators"]) == len(specs())
