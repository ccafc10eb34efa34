"""Grid events over the API: report, list in scope with masked reporters, triage, figures."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from kuaiji.platform.identity.models import User
from tests.directory.city import TinyCity
from tests.grassroots.conftest import inside

pytestmark = pytest.mark.django_db
API = "/api/v1/grassroots"


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def report(client: Client, **fields: Any) -> Any:
    lon, lat = inside("330602001001001")
    body = {
        "description": "小区门口有车辆乱停乱放，堵住了消防通道",
        "longitude": lon,
        "latitude": lat,
        "category": "city.illegal_parking",
        "source": "hotline",
        "reporter_name": "王小明",
        "reporter_phone": "13912345678",
        **fields,
    }
    return client.post(f"{API}/events", body, content_type="application/json")


def test_report_and_read_in_scope(city: TinyCity, calendar: None) -> None:
    township = client_for(city.users["township_officer"])
    created = report(township)
    assert created.status_code == 201, created.content
    event = created.json()
    assert event["status"] == "accepting" and event["grid_code"] == "330602001001001"
    assert event["reporter_phone"] == "139****5678" and "小明" not in event["reporter_name"]
    listed = client_for(city.users["grid_worker"]).get(f"{API}/events?open=true").json()
    assert [item["number"] for item in listed["items"]] == [event["number"]]
    east = User.objects.create_user("east_officer", is_staff=True)
    assert client_for(east).get(f"{API}/events/{event['id']}").status_code == 404
    figures = township.get(f"{API}/metrics").json()
    assert figures[0]["open"] == 1 and figures[0]["today"] == 1
    assert figures[1]["code"] == "330602"


def test_bad_reports_and_the_triage_queue(city: TinyCity, calendar: None, settings: Any) -> None:
    township = client_for(city.users["township_officer"])
    bad = report(township, description="x", longitude=100.0, latitude=20.0)
    assert bad.status_code == 400
    assert {"description", "location"} <= set(bad.json()["error"]["fields"])
    settings.KUAIJI_TRIAGE_MIN_CONFIDENCE = 1.0
    queued = report(township, category="").json()
    assert queued["status"] == "triage"
    county = client_for(city.users["county_officer"])
    assert [item["id"] for item in county.get(f"{API}/triage").json()["items"]] == [queued["id"]]
    done = county.post(
        f"{API}/events/{queued['id']}/classify",
        {"category": "city.illegal_parking"},
        content_type="application/json",
    )
    assert done.status_code == 200 and done.json()["status"] == "accepting"
    again = county.post(
        f"{API}/events/{queued['id']}/classify",
        {"category": "city.garbage"},
        content_type="application/json",
    )
    assert again.status_code == 400
