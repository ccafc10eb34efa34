"""Task lists over the API: drawing up (201, then 200 for the same key), publishing, reports
with evidence (multipart), submission and acceptance, the 404s and 409s."""

from __future__ import annotations

from typing import Any

import pytest

from tests.command.checklists.story import Story, as_user, days, pdf

pytestmark = pytest.mark.django_db
BASE = "/api/v1/command/checklists"


def body(story: Story, key: str = "api-1") -> dict[str, Any]:
    return {
        "submission_key": key,
        "title": "防汛防台安全隐患排查整治任务清单",
        "origin": "plan",
        "origin_reference": "《绍兴市防汛防台应急预案》",
        "tasks": [
            {
                "title": "排查地质灾害隐患点",
                "target_value": "120",
                "unit": "处",
                "lead_unit": "330602-SCJ",
                "cooperating_units": ["330602001-OFFICE"],
                "starts_on": days(-5).isoformat(),
                "deadline": days(10).isoformat(),
                "milestones": [{"title": "完成一轮排查", "due_on": days(3).isoformat()}],
            }
        ],
    }


def test_the_whole_way_over_the_api(story: Story) -> None:
    leader = as_user(story.leader)
    first = leader.post(BASE, body(story), content_type="application/json")
    assert first.status_code == 201, first.content
    number = first.json()["number"]
    assert first.json()["status"] == "draft"
    again = leader.post(BASE, body(story), content_type="application/json")
    assert again.status_code == 200 and again.json()["number"] == number
    unit = as_user(story.lead_user)
    assert unit.get(f"{BASE}/{number}").status_code == 404  # a draft is the office's
    published = leader.post(f"{BASE}/{number}/publish")
    assert published.status_code == 200 and published.json()["status"] == "published"
    assert leader.post(f"{BASE}/{number}/publish").status_code == 409

    mine = unit.get(f"{BASE}/tasks/mine").json()
    assert [(row["list_number"], row["sequence"]) for row in mine] == [(number, 1)]
    assert mine[0]["stopwatch"]["light"] in ("green", "yellow")
    milestone = unit.get(f"{BASE}/{number}").json()["tasks"][0]["milestones"][0]["id"]
    reported = unit.post(
        f"{BASE}/{number}/tasks/1/reports",
        {
            "progress": "60",
            "summary": "已排查72处",
            "achieved_value": "72",
            "milestone": str(milestone),
            "files": [pdf(), pdf("照片.pdf")],
        },
    )
    assert reported.status_code == 201, reported.content
    task = reported.json()
    assert task["status"] == "in_progress" and task["progress"] == 60
    assert [e["name"] for e in task["reports"][0]["evidence"]] == ["验收材料.pdf", "照片.pdf"]
    assert task["milestones"][0]["done_at"] is not None

    stale = unit.post(f"{BASE}/{number}/tasks/1/submit", {"revision": 0}, "application/json")
    assert stale.status_code == 409
    submitted = unit.post(f"{BASE}/{number}/tasks/1/submit", {}, "application/json")
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    accept = {"decision": "accepted", "comment": "材料齐全"}
    assert (
        unit.post(f"{BASE}/{number}/tasks/1/acceptance", accept, "application/json").status_code
        == 404
    )
    decided = leader.post(f"{BASE}/{number}/tasks/1/acceptance", accept, "application/json")
    assert decided.status_code == 200
    assert decided.json()["acceptances"][0]["on_time"] is True
    late = unit.post(f"{BASE}/{number}/tasks/1/reports", {"progress": "100", "summary": "x"})
    assert late.status_code == 409 and late.json()["error"]["code"] == "conflict"
    closed = leader.post(f"{BASE}/{number}/close")
    assert closed.status_code == 200 and closed.json()["status"] == "closed"


def test_refusals(story: Story) -> None:
    leader = as_user(story.leader)
    wrong = body(story)
    wrong["tasks"][0]["lead_unit"] = "330699-NONE"
    wrong["tasks"][0]["deadline"] = days(-10).isoformat()
    refused = leader.post(BASE, wrong, content_type="application/json")
    assert refused.status_code == 400
    assert set(refused.json()["error"]["fields"]) == {"tasks[0].lead"}
    wrong["tasks"][0]["lead_unit"] = "330602-SCJ"
    refused = leader.post(BASE, wrong, content_type="application/json")
    assert {"tasks[0].deadline", "tasks[0].milestones"} == set(refused.json()["error"]["fields"])
    from_directive = {**body(story, "d"), "origin": "directive", "directive": "ZL-NONE"}
    assert leader.post(BASE, from_directive, content_type="application/json").status_code == 400
    number = leader.post(BASE, body(story), content_type="application/json").json()["number"]
    leader.post(f"{BASE}/{number}/publish")
    stranger = as_user(story.stranger)
    assert stranger.get(f"{BASE}/{number}").status_code == 404
    assert (
        stranger.post(
            f"{BASE}/{number}/tasks/1/reports", {"progress": "1", "summary": "x"}
        ).status_code
        == 404
    )
    assert stranger.get(f"{BASE}/tasks/mine").json() == []
    assert (
        as_user(story.lead_user)
        .post(f"{BASE}/{number}/tasks", body(story)["tasks"][0], content_type="application/json")
        .status_code
        == 404
    )
    added = leader.post(
        f"{BASE}/{number}/tasks", body(story)["tasks"][0], content_type="application/json"
    )
    assert added.status_code == 201 and added.json()["sequence"] == 2
    bad_file = as_user(story.lead_user).post(
        f"{BASE}/{number}/tasks/1/reports",
        {"progress": "10", "summary": "x", "files": [pdf("x.exe")]},
    )
    assert bad_file.status_code == 400 and "files" in bad_file.json()["error"]["fields"]
    assert leader.get(BASE).json()[0]["number"] == number
