"""Directives over the API: issue (201, then 200 for the same key), lists, the read receipt
on opening, feedback, remind, close (409 after), statistics, and 4xx for bad input."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from kuaiji.apps.command.models import Directive
from tests.command.directives.conftest import Office, as_user

pytestmark = pytest.mark.django_db
BASE = "/api/v1/command/directives"


def post(client: Client, path: str, data: dict[str, Any]) -> Any:
    return client.post(path, data=data, content_type="application/json")


def payload(**changes: Any) -> dict[str, Any]:
    return {
        "submission_key": "api-1",
        "title": "关于开展安全生产大检查的通知",
        "body": "请各单位于本周内完成自查并反馈。",
        "priority": "urgent",
        "departments": ["330602-SCJ"],
        "regions": ["330602"],
        "roles": [],
        "deadline": (timezone.now() + timedelta(days=2)).isoformat(),
        **changes,
    }


def test_issue_read_feedback_close_over_the_api(office: Office) -> None:
    leader = as_user(office.leader)
    first = post(leader, BASE, payload())
    assert first.status_code == 201, first.content
    body = first.json()
    number = body["number"]
    assert body["departments"] == ["330602-SCJ"] and body["regions"] == ["330602"]
    assert {row["recipient"] for row in body["targets"]} == {
        str(office.department),
        str(office.clerk),
        str(office.county),
    }
    assert body["figures"]["targets"] == 3 and body["figures"]["read"] == 0
    again = post(leader, BASE, payload())
    assert again.status_code == 200 and again.json()["number"] == number
    assert Directive.objects.count() == 1

    clerk = as_user(office.clerk)
    inbox = clerk.get(BASE).json()
    assert [row["number"] for row in inbox] == [number] and inbox[0]["read_at"] is None
    opened = clerk.get(f"{BASE}/{number}").json()
    assert opened["mine"]["read_at"] is not None
    assert opened["targets"] is None and opened["figures"] is None  # a target sees only theirs
    assert clerk.get(BASE).json()[0]["read_at"] == opened["mine"]["read_at"]

    reported = post(clerk, f"{BASE}/{number}/feedback", {"state": "done", "body": "已完成自查"})
    assert reported.status_code == 201 and reported.json()["mine"]["latest"]["state"] == "done"
    assert clerk.get(BASE).json()[0]["feedback_state"] == "done"

    reminded = leader.post(f"{BASE}/{number}/remind")
    assert reminded.status_code == 200 and reminded.json() == {"reminded": 2}
    issued = leader.get(BASE, {"box": "issued"}).json()
    assert issued[0]["targets"] == 3 and issued[0]["read"] == 1 and issued[0]["answered"] == 1

    closed = post(leader, f"{BASE}/{number}/close", {"summary": "已汇总"})
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    late = post(
        as_user(office.department), f"{BASE}/{number}/feedback", {"state": "done", "body": "x"}
    )
    assert late.status_code == 409
    assert post(leader, f"{BASE}/{number}/close", {"summary": "again"}).status_code == 409

    figures = leader.get(f"{BASE}/statistics").json()
    assert figures["issued"] == 1 and figures["targets"] == 3 and figures["answered"] == 1
    assert {row["unit"] for row in figures["units"]} == {"西区市场监管局", "西区人民政府"}


def test_refusals_by_status_code(office: Office) -> None:
    leader = as_user(office.leader)
    township = as_user(office.township)
    clerk = as_user(office.clerk)
    assert post(leader, BASE, payload(departments=["NO-SUCH"])).status_code == 400
    assert post(leader, BASE, payload(title="")).status_code == 400
    assert post(leader, BASE, payload(priority="soon")).status_code == 400
    outside = post(township, BASE, payload(departments=["330603-SCJ"], regions=[]))
    assert outside.status_code == 400
    assert "departments" in outside.json()["error"]["fields"]
    assert post(clerk, BASE, payload()).status_code == 403
    number = post(leader, BASE, payload()).json()["number"]
    assert as_user(office.east).get(f"{BASE}/{number}").status_code == 404
    assert clerk.post(f"{BASE}/{number}/remind").status_code == 403
    assert (
        post(leader, f"{BASE}/{number}/feedback", {"state": "done", "body": "x"}).status_code == 403
    )
    bad = post(clerk, f"{BASE}/{number}/feedback", {"state": "done", "body": " "})
    assert bad.status_code == 400
    assert (
        leader.get(f"{BASE}/statistics", {"start": "2025-02-01", "end": "2025-01-01"}).status_code
        == 400
    )
    assert clerk.get(f"{BASE}/statistics").status_code == 403
    assert Client().get(BASE).status_code == 401
