"""Applications over the API: multipart submission (201, then 200 for the same key), the
applicant's and staff's views (identity masked for staff), every step, refusals by status code."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from tests.directory.city import TinyCity
from tests.government.application_story import MOTHER_ID, Story, build, pdf, png

pytestmark = pytest.mark.django_db
BASE = "/api/v1/government"


@pytest.fixture
def story(city: TinyCity, calendar: None) -> Story:
    return build(city)


def as_user(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def submit(client: Client, story: Story, key: str = "api-1", **changes: Any) -> Any:
    data: dict[str, Any] = {
        "submission_key": key,
        "bundle": "birth",
        "answers": json.dumps(story.answers),
        "consent": "birth-proof,household",
        "photo": png(),
        **changes,
    }
    return client.post(f"{BASE}/applications", data=data)


def test_submit_twice_and_follow(story: Story) -> None:
    mother = as_user(story.citizen)
    first = submit(mother, story)
    assert first.status_code == 201, first.content
    body = first.json()
    number = body["number"]
    assert body["status"] == "submitted" and body["id_number"] == MOTHER_ID
    assert {item["code"] for item in body["items"]} == {"WJW-001", "GAJ-001", "YBJ-001", "RSJ-001"}
    shared = {m["code"]: m for m in body["materials"] if m["source"] == "shared"}
    assert shared["birth-proof"]["record"]["mother_id"] == MOTHER_ID
    assert [step["kind"] for step in body["timeline"]] == ["submitted"]
    again = submit(mother, story)
    assert again.status_code == 200 and again.json()["number"] == number
    listed = mother.get(f"{BASE}/applications").json()
    assert [row["number"] for row in listed] == [number]

    staff = as_user(story.window).get(f"{BASE}/applications/{number}").json()
    assert staff["id_number"] != MOTHER_ID and staff["id_number"].endswith(MOTHER_ID[-4:])
    shared_staff = {m["code"]: m for m in staff["materials"] if m["source"] == "shared"}
    assert shared_staff["birth-proof"]["record"]["mother_id"] != MOTHER_ID
    assert as_user(story.stranger).get(f"{BASE}/applications/{number}").status_code == 404


def test_every_step_over_the_api(story: Story) -> None:
    mother = as_user(story.citizen)
    number = submit(mother, story).json()["number"]
    window = as_user(story.window)
    assert mother.post(f"{BASE}/applications/{number}/accept").status_code == 404
    accepted = window.post(f"{BASE}/applications/{number}/accept")
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    early = window.post(
        f"{BASE}/applications/{number}/decide",
        data={"approve": True, "note": "准予"},
        content_type="application/json",
    )
    assert early.status_code == 409
    for code, department in [
        ("WJW-001", "330602-WJW"),
        ("GAJ-001", "330602-GAJ"),
        ("YBJ-001", "330602-YBJ"),
        ("RSJ-001", "330602-RSJ"),
    ]:
        wrong = as_user(story.officers["330602-SCJ"]).post(
            f"{BASE}/applications/{number}/items/{code}/handle",
            data={"opinion": "同意"},
            content_type="application/json",
        )
        assert wrong.status_code == 404
        handled = as_user(story.officers[department]).post(
            f"{BASE}/applications/{number}/items/{code}/handle",
            data={"opinion": "同意"},
            content_type="application/json",
        )
        assert handled.status_code == 200, handled.content
    decided = window.post(
        f"{BASE}/applications/{number}/decide",
        data={"approve": True, "note": "准予"},
        content_type="application/json",
    )
    assert decided.status_code == 200 and decided.json()["status"] == "decided"
    withdrawn = mother.post(
        f"{BASE}/applications/{number}/withdraw",
        data={"reason": "不办了"},
        content_type="application/json",
    )
    assert withdrawn.status_code == 409
    delivered = window.post(f"{BASE}/applications/{number}/deliver")
    assert delivered.status_code == 200
    code = delivered.json()["certificate"]["verification_code"]
    response = mother.get(f"{BASE}/applications/{number}/certificate")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]
    assert as_user(story.stranger).get(f"{BASE}/applications/{number}/certificate").status_code == (
        404
    )
    checked = Client().get(f"{BASE}/certificates/{code}/verify").json()
    assert checked["valid"] is True and checked["application"] == number
    assert checked["holder"] == "李*"
    assert Client().get(f"{BASE}/certificates/ABCDEFGHJKLM/verify").json() == {
        "valid": False,
        "number": "",
        "title": "",
        "application": "",
        "holder": "",
        "issued_at": None,
    }


def test_correction_once_then_resubmit(story: Story) -> None:
    mother = as_user(story.citizen)
    number = submit(mother, story).json()["number"]
    window = as_user(story.window)
    problems = {"problems": [{"material": "photo", "what": "照片模糊"}]}
    asked = window.post(
        f"{BASE}/applications/{number}/correction", data=problems, content_type="application/json"
    )
    assert asked.status_code == 200 and asked.json()["status"] == "correction"
    assert asked.json()["correction"]["problems"] == [{"material": "photo", "what": "照片模糊"}]
    missing = mother.post(f"{BASE}/applications/{number}/resubmit", data={"answers": "{}"})
    assert missing.status_code == 400 and "photo" in missing.json()["error"]["fields"]
    resubmitted = mother.post(
        f"{BASE}/applications/{number}/resubmit", data={"answers": "{}", "photo": png("b.png")}
    )
    assert resubmitted.status_code == 200 and resubmitted.json()["status"] == "submitted"
    again = window.post(
        f"{BASE}/applications/{number}/correction", data=problems, content_type="application/json"
    )
    assert again.status_code == 409


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"answers": "not json"}, "answers"),
        ({"answers": json.dumps({"child_name": "李小明"})}, "birth_date"),
        ({"photo": pdf("x.pdf", b"GIF89a nope")}, "photo"),
        ({"bundle": "no-such-bundle"}, "bundle"),
    ],
)
def test_bad_submissions_name_the_field(story: Story, changes: Any, field: str) -> None:
    response = submit(as_user(story.citizen), story, **changes)
    assert response.status_code == 400, response.content
    assert field in response.json()["error"]["fields"]


def test_anonymous_cannot_submit(story: Story) -> None:
    assert submit(Client(), story).status_code == 401
