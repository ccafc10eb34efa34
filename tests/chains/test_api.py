"""Chains over the API: start, worklists, actions with their 400/404/409, timeline, models."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client

from kuaiji.platform.chains import services
from kuaiji.platform.chains.models import ChainVersion, TaskStatus, WorkTask
from kuaiji.platform.core.errors import Conflict
from kuaiji.platform.identity.models import User
from tests.chains.conftest import THREE_STEP
from tests.directory.city import TinyCity

pytestmark = pytest.mark.django_db
API = "/api/v1/chains"


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post(client: Client, path: str, body: dict[str, Any] | None = None) -> Any:
    return client.post(f"{API}{path}", body or {}, content_type="application/json")


def test_a_chain_through_the_api(city: TinyCity, three_step: ChainVersion) -> None:
    worker = client_for(city.users["grid_worker"])
    township = client_for(city.users["township_officer"])
    started = post(
        worker,
        "/instances",
        {
            "definition": "three_step",
            "title": "垃圾满溢",
            "business_type": "test",
            "grid_code": "330602001001001",
        },
    )
    assert started.status_code == 201, started.content
    instance_id = started.json()["id"]
    mine = worker.get(f"{API}/tasks").json()["items"]
    assert [task["step"] for task in mine] == ["report"]
    report_id = mine[0]["id"]

    bad = post(worker, f"/tasks/{report_id}/complete", {"form": {}})
    assert bad.status_code == 400 and "opinion" in bad.json()["error"]["fields"]
    assert (
        post(township, f"/tasks/{report_id}/complete", {"form": {"opinion": "x"}}).status_code
        == 404
    )
    done = post(worker, f"/tasks/{report_id}/complete", {"form": {"opinion": "满了"}})
    assert done.status_code == 200 and done.json()["status"] == "done"
    again = post(worker, f"/tasks/{report_id}/complete", {"form": {"opinion": "满了"}})
    assert again.status_code == 409

    accept = township.get(f"{API}/tasks?view=unit").json()["items"][0]
    assert accept["light"] == "green" and accept["due_at"]
    assert post(township, f"/tasks/{accept['id']}/claim").status_code == 200
    returned = post(
        township, f"/tasks/{accept['id']}/return", {"step": "report", "reason": "补充照片"}
    )
    assert returned.status_code == 200

    detail = worker.get(f"{API}/instances/{instance_id}").json()
    actions = [entry["action"] for entry in detail["timeline"]]
    assert actions[:3] == ["start", "create", "complete"] and "return" in actions
    assert (
        client_for(city.users["department_officer"])
        .get(f"{API}/instances/{instance_id}")
        .status_code
        == 404
    )


def test_supervisors_cancel_a_chain(city: TinyCity, three_step: ChainVersion) -> None:
    worker = client_for(city.users["grid_worker"])
    started = post(
        worker,
        "/instances",
        {
            "definition": "three_step",
            "title": "重复上报",
            "business_type": "test",
            "grid_code": "330602001001001",
        },
    )
    instance_id = started.json()["id"]
    assert post(worker, f"/instances/{instance_id}/cancel", {"reason": "重复"}).status_code == 404
    county = client_for(city.users["county_officer"])
    cancelled = post(county, f"/instances/{instance_id}/cancel", {"reason": "重复"})
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert post(county, f"/instances/{instance_id}/cancel", {"reason": "再次"}).status_code == 409


def test_models_and_uploads(city: TinyCity) -> None:
    admin = client_for(city.users["platform_admin"])
    keys = [model["key"] for model in admin.get(f"{API}/models").json()]
    assert "grid_event" in keys
    source = admin.get(f"{API}/models/grid_event/versions/1.bpmn")
    assert source.status_code == 200 and b"bpmn:definitions" in source.content

    broken = THREE_STEP.read_bytes().replace(b'value="1d"', b'value="one day"')
    answer = admin.post(f"{API}/models", {"file": SimpleUploadedFile("m.bpmn", broken)})
    assert answer.status_code == 400 and "accept:" in answer.json()["error"]["message"]
    uploaded = admin.post(
        f"{API}/models", {"file": SimpleUploadedFile("m.bpmn", THREE_STEP.read_bytes())}
    )
    assert uploaded.status_code == 201 and uploaded.json()["number"] == 1
    same = admin.post(
        f"{API}/models", {"file": SimpleUploadedFile("m.bpmn", THREE_STEP.read_bytes())}
    )
    assert same.status_code == 400
    officer = client_for(city.users["township_officer"])
    forbidden = officer.post(
        f"{API}/models", {"file": SimpleUploadedFile("m.bpmn", THREE_STEP.read_bytes())}
    )
    assert forbidden.status_code == 403


def test_supervision_lists(city: TinyCity, three_step: ChainVersion) -> None:
    county = client_for(city.users["county_officer"])
    assert county.get(f"{API}/supervision/units").status_code == 200
    assert county.get(f"{API}/tasks?view=overdue").status_code == 200
    assert (
        client_for(city.users["department_officer"]).get(f"{API}/tasks?view=overdue").status_code
        == 403
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor == "sqlite", reason="SQLite writers never overlap")
def test_two_people_completing_at_once_exactly_one_wins(
    city: TinyCity, three_step: ChainVersion
) -> None:
    """Both take the same open task at the same moment, each in their own connection."""
    worker, township = city.users["grid_worker"], city.users["township_officer"]
    instance = services.start(
        actor=worker,
        definition="three_step",
        title="并发",
        business_type="test",
        grid=city.grid("330602001001001"),
    )
    report = instance.tasks.get(status=TaskStatus.OPEN)
    services.complete(actor=worker, task=report.pk, form={"opinion": "x"})
    accept = instance.tasks.get(status=TaskStatus.OPEN)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def attempt() -> None:
        try:
            barrier.wait()
            services.complete(actor=township, task=accept.pk, form={"decision": "accept"})
            outcomes.append("won")
        except Conflict:
            outcomes.append("409")
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["409", "won"]
    assert WorkTask.objects.filter(instance=instance, step="close").count() == 1
