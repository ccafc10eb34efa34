"""The supervision API: the summary's exact shape (the cockpit reads it), items, urging and the
reports, with their refusals."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from kuaiji.platform.chains.models import WorkTask
from tests.command.supervision.scene import Scene

pytestmark = pytest.mark.django_db
BASE = "/api/v1/command/supervision"


def signed_in(client: Client, scene: Scene, role: str = "city_leader") -> Client:
    client.force_login(scene.city.users[role])
    client.cookies["kuaiji_language"] = "en"
    return client


def test_the_summary_has_exactly_the_cockpit_shape(client: Client, scene: Scene) -> None:
    answer = signed_in(client, scene).get(f"{BASE}/summary", {"region": "330602"})
    assert answer.status_code == 200
    body = answer.json()
    assert set(body) == {
        "region",
        "region_name",
        "counts",
        "by_kind",
        "by_region",
        "by_unit",
        "alerts",
    }
    assert body["region"] == "330602" and body["region_name"] == "西区"
    assert body["counts"] == {"red": 4, "yellow": 2, "green": 1}
    assert {tuple(sorted(row)) for row in body["by_kind"]} == {
        ("green", "kind", "label", "link", "red", "yellow")
    }
    event = next(row for row in body["by_kind"] if row["kind"] == "event")
    assert event["label"] == "Grid event" and event["red"] == 1 and event["green"] == 1
    assert event["link"] == "/work/supervision/?region=330602&kind=event"
    assert body["by_region"][0] == {
        "code": "330602001",
        "name": "001街道",
        "red": 4,
        "yellow": 2,
        "green": 1,
    }
    assert {tuple(sorted(row)) for row in body["by_unit"]} == {("open", "red", "unit", "yellow")}
    alert = body["alerts"][0]
    assert set(alert) == {"kind", "label", "title", "unit", "region", "due_at", "light", "link"}
    assert alert["light"] == "red" and alert["link"] == "/work/events/41/"
    assert alert["region"] == "001街道" and alert["due_at"].endswith(("Z", "+00:00", "+08:00"))
    assert len(body["alerts"]) == 4


def test_without_a_region_the_widest_is_read(client: Client, scene: Scene) -> None:
    body = signed_in(client, scene, "county_officer").get(f"{BASE}/summary").json()
    assert body["region"] == "330602"
    body = signed_in(client, scene, "city_leader").get(f"{BASE}/summary").json()
    assert body["region"] == "330600" and body["counts"]["red"] == 5


def test_refusals(client: Client, scene: Scene) -> None:
    assert client.get(f"{BASE}/summary").status_code == 401
    officer = signed_in(client, scene, "county_officer")
    answer = officer.get(f"{BASE}/summary", {"region": "330603"})
    assert answer.status_code == 404 and answer.json()["error"]["code"] == "not_found"
    assert officer.get(f"{BASE}/items", {"light": "blue"}).status_code == 400
    clerk = signed_in(Client(), scene, "department_officer")
    assert clerk.get(f"{BASE}/summary").status_code == 403
    assert clerk.get(f"{BASE}/report.pdf").status_code == 403


def test_items_are_paginated(client: Client, scene: Scene) -> None:
    leader = signed_in(client, scene)
    body = leader.get(f"{BASE}/items", {"limit": 2, "offset": 1}).json()
    assert body["count"] == 9
    assert [item["key"] for item in body["items"]] == [
        f"checklist:{scene.late_task.pk}",
        f"chain:{scene.application.pk}",
    ]
    item = body["items"][0]
    assert item["county"] == {"code": "330602", "name": "西区"}
    assert item["days_late"] == 2 and item["link"] == "/work/checklists/QD-W/"
    red_events = leader.get(f"{BASE}/items", {"kind": "event", "light": "red"}).json()
    assert red_events["count"] == 2


def test_urging_over_the_api(client: Client, scene: Scene) -> None:
    leader = signed_in(client, scene)
    payload = {"items": [f"chain:{scene.event.pk}"], "message": "请办结", "submission_key": "a1"}
    answer = leader.post(f"{BASE}/urge", payload, content_type="application/json")
    assert answer.status_code == 200, answer.content
    assert answer.json() == {"urged": [f"chain:{scene.event.pk}"], "count": 1, "repeated": False}
    again = leader.post(f"{BASE}/urge", payload, content_type="application/json")
    assert again.json()["repeated"] is True
    assert WorkTask.objects.get(pk=scene.event.pk).urge_count == 1
    green = {"items": [f"chain:{scene.calm_event.pk}"], "message": "快"}
    assert leader.post(f"{BASE}/urge", green, content_type="application/json").status_code == 409
    empty = {"items": [f"chain:{scene.event.pk}"], "message": ""}
    answer = leader.post(f"{BASE}/urge", empty, content_type="application/json")
    assert answer.status_code == 400 and "message" in answer.json()["error"]["fields"]
    township = signed_in(Client(), scene, "township_officer")
    forbidden = township.post(f"{BASE}/urge", payload, content_type="application/json")
    assert forbidden.status_code == 403


def test_the_reports_download(client: Client, scene: Scene) -> None:
    leader = signed_in(client, scene)
    pdf = leader.get(f"{BASE}/report.pdf", {"region": "330602"})
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")
    assert 'filename="supervision-330602.pdf"' in pdf["Content-Disposition"]
    xlsx = leader.get(f"{BASE}/report.xlsx", {"start": "2020-01-01", "end": "2020-12-31"})
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row if cell]
    assert any(str(value).startswith("Work due from 2020-01-01 to 2020-12-31") for value in values)
    assert (
        leader.get(f"{BASE}/report.xlsx", {"start": "2021-01-01", "end": "2020-01-01"}).status_code
        == 400
    )
