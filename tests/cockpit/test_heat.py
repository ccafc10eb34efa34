"""Event heat for the cockpit's grid map: events per grid of a township, within the scope."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.directory.city import TinyCity
from tests.metrics.helpers import closed_events
from tests.metrics.test_api import client_for

pytestmark = pytest.mark.django_db

URL = "/api/v1/grassroots/heat"


@pytest.fixture
def events(city: TinyCity) -> TinyCity:
    today = timezone.localdate()
    closed_events("330602001001001", today - timedelta(days=1), 3)
    closed_events("330602001002002", today - timedelta(days=29), 1)
    closed_events("330602001001001", today - timedelta(days=30), 5)  # before the 30 days
    closed_events("330603001001001", today - timedelta(days=1), 2)
    return city


def test_events_per_grid_of_a_township(events: TinyCity) -> None:
    body = client_for(events.users["county_officer"]).get(f"{URL}?region=330602001").json()
    assert (body["region"], body["region_name"]) == ("330602001", "001街道")
    assert body["end"] == timezone.localdate().isoformat()
    assert body["start"] == (timezone.localdate() - timedelta(days=29)).isoformat()
    assert [(grid["code"], grid["events"]) for grid in body["grids"]] == [
        ("330602001001001", 3),
        ("330602001001002", 0),
        ("330602001002001", 0),
        ("330602001002002", 1),
    ]
    assert body["grids"][0]["name"] == "001-1社区第1网格"
    longer = client_for(events.users["city_leader"]).get(
        f"{URL}?region=330602001&start={timezone.localdate() - timedelta(days=40)}"
    )
    assert longer.json()["grids"][0]["events"] == 8


def test_heat_stays_within_the_scope(events: TinyCity) -> None:
    county = client_for(events.users["county_officer"])
    for region in ("330603001", "330602", "330602001001", "999999999"):
        assert county.get(f"{URL}?region={region}").status_code == 404, region
    township = client_for(events.users["township_officer"])
    assert township.get(f"{URL}?region=330602002").status_code == 404
    assert township.get(f"{URL}?region=330602001").status_code == 200
    assert county.get(f"{URL}").status_code in (400, 422), "the township is required"
    backwards = county.get(f"{URL}?region=330602001&start=2026-03-02&end=2026-03-01")
    assert backwards.status_code == 400
