"""The chain screens of the work front: worklist, task and its actions, start, instance with its
timeline and attachments, models with upload, supervision; each for the right people only."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from kuaiji.platform.chains import services
from kuaiji.platform.chains.models import (
    ChainInstance,
    ChainVersion,
    InstanceStatus,
    StepAction,
    TaskStatus,
    WorkTask,
)
from kuaiji.platform.identity.models import User
from tests.chains.conftest import THREE_STEP
from tests.directory.city import TinyCity

pytestmark = pytest.mark.django_db

BASE = "/work/chains/"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


def start(city: TinyCity, starter: str = "grid_worker") -> ChainInstance:
    return services.start(
        actor=city.users[starter],
        definition="three_step",
        title="井盖缺失",
        business_type="test.event",
        grid=city.grid("330602001001001"),
    )


def open_task(instance: ChainInstance) -> WorkTask:
    return instance.tasks.get(status=TaskStatus.OPEN)


def reported(city: TinyCity) -> tuple[ChainInstance, WorkTask]:
    """A chain whose report is done: the township's acceptance is open."""
    instance = start(city)
    services.complete(
        actor=city.users["grid_worker"], task=open_task(instance).pk, form={"opinion": "东街"}
    )
    return instance, open_task(instance)


def signed_in(user: User, language: str = "zh-hans") -> Client:
    client = Client()
    client.force_login(user)
    client.cookies["kuaiji_language"] = language
    return client


def page(response: Any) -> str:
    return str(response.content.decode())


def test_screens_send_visitors_to_sign_in_and_refuse_citizens(
    client: Client, citizen_user: User, city: TinyCity, three_step: ChainVersion
) -> None:
    instance, task = reported(city)
    urls = [
        BASE,
        f"{BASE}tasks/{task.pk}/",
        f"{BASE}start/",
        f"{BASE}instances/{instance.pk}/",
        f"{BASE}models/",
        f"{BASE}models/three_step/",
        f"{BASE}models/three_step/1.bpmn",
        f"{BASE}supervision/",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/work/login/")
    client.force_login(citizen_user)
    for url in urls:
        assert client.get(url).status_code == 403, url


def test_menu_entries_follow_permissions(city: TinyCity) -> None:
    worker = page(signed_in(city.users["grid_worker"]).get("/work/"))
    assert f'href="{BASE}"' in worker and f'href="{BASE}models/"' in worker
    assert f'href="{BASE}supervision/"' not in worker
    leader = page(signed_in(city.users["city_leader"]).get("/work/"))
    assert f'href="{BASE}supervision/"' in leader and f'href="{BASE}"' not in leader


def test_worklist_tabs_with_lights_and_english_step_names(
    city: TinyCity, three_step: ChainVersion
) -> None:
    _instance, task = reported(city)
    officer = signed_in(city.users["township_officer"], "en")
    mine = page(officer.get(BASE))
    assert f'data-task="{task.pk}"' in mine
    assert "Accept" in mine and 'data-light="green"' in mine and "On time" in mine
    assert "Unclaimed" in mine and 'data-testid="start-link"' in mine
    unit = page(officer.get(f"{BASE}?tab=unit"))
    assert f'data-task="{task.pk}"' in unit
    WorkTask.objects.filter(pk=task.pk).update(due_at=timezone.now() - timezone.timedelta(hours=1))
    assert 'data-light="red"' in page(officer.get(BASE))
    assert "受理" in page(signed_in(city.users["township_officer"]).get(BASE))
    worker = page(signed_in(city.users["grid_worker"]).get(BASE))
    assert f'data-task="{task.pk}"' not in worker
    assert signed_in(city.users["city_leader"]).get(BASE).status_code == 403


def test_claim_and_complete_from_the_task_page(city: TinyCity, three_step: ChainVersion) -> None:
    instance, task = reported(city)
    officer = signed_in(city.users["township_officer"], "en")
    url = f"{BASE}tasks/{task.pk}/"
    shown = page(officer.get(url))
    assert 'data-testid="claim"' in shown and 'type="radio" name="form-decision"' in shown
    assert "(optional)" in shown and 'data-testid="timeline"' in shown
    assert f'data-bpmn-source="{BASE}models/three_step/1.bpmn"' in shown
    assert 'data-current="accept"' in shown

    response = officer.post(f"{url}claim/")
    assert response.status_code == 302 and response["Location"] == url
    claimed = page(officer.get(url))
    assert "The task is yours now." in claimed and 'data-testid="claim"' not in claimed

    response = officer.post(
        f"{url}complete/",
        {"form-decision": "accept", "comment": "属实"},
    )
    assert response.status_code == 302
    done = page(officer.get(url))
    assert 'data-status="done"' in done and "The task is completed." in done
    assert "decision" in done and "accept" in done and "属实" in done
    assert open_task(instance).step == "close"


def test_completing_a_completed_task_is_a_conflict(
    city: TinyCity, three_step: ChainVersion
) -> None:
    instance = start(city)
    task = open_task(instance)
    worker = signed_in(city.users["grid_worker"], "en")
    url = f"{BASE}tasks/{task.pk}/complete/"
    assert worker.post(url, {"form-opinion": "东街"}).status_code == 302
    again = worker.post(url, {"form-opinion": "再来"})
    assert again.status_code == 409
    assert "This task is already done." in page(again)


def test_a_bad_form_is_refused_with_its_field_errors(
    city: TinyCity, three_step: ChainVersion
) -> None:
    _instance, task = reported(city)
    officer = signed_in(city.users["township_officer"], "en")
    response = officer.post(
        f"{BASE}tasks/{task.pk}/complete/", {"form-decision": "maybe", "comment": "c"}
    )
    assert response.status_code == 400
    shown = page(response)
    assert "Choose one of: accept, send back." in shown
    assert 'data-testid="failure"' in shown
    assert WorkTask.objects.get(pk=task.pk).status == TaskStatus.OPEN
    missing = officer.post(f"{BASE}tasks/{task.pk}/complete/", {})
    assert missing.status_code == 400 and "This field is required." in page(missing)


def test_people_outside_the_chain_get_404(city: TinyCity, three_step: ChainVersion) -> None:
    instance, task = reported(city)
    outsider = signed_in(city.users["department_officer"])
    assert outsider.get(f"{BASE}tasks/{task.pk}/").status_code == 404
    assert outsider.get(f"{BASE}instances/{instance.pk}/").status_code == 404
    assert outsider.post(f"{BASE}tasks/{task.pk}/claim/").status_code == 404
    assert (
        outsider.post(f"{BASE}instances/{instance.pk}/suspend/", {"reason": "r"}).status_code == 404
    )
    assert signed_in(city.users["grid_worker"]).get(f"{BASE}tasks/999999/").status_code == 404
    # The starter sees the chain, but may not act on the township's task.
    worker = signed_in(city.users["grid_worker"])
    shown = page(worker.get(f"{BASE}tasks/{task.pk}/"))
    assert 'data-testid="claim"' not in shown and 'data-testid="complete-form"' not in shown
    assert worker.post(f"{BASE}tasks/{task.pk}/claim/").status_code == 404
    assert worker.get(f"{BASE}tasks/{task.pk}/claim/").status_code == 405


def test_return_to_an_earlier_step(city: TinyCity, three_step: ChainVersion) -> None:
    instance, task = reported(city)
    officer = signed_in(city.users["township_officer"], "en")
    shown = page(officer.get(f"{BASE}tasks/{task.pk}/"))
    assert '<option value="report">Report</option>' in shown
    url = f"{BASE}tasks/{task.pk}/return/"
    empty = officer.post(url, {"step": "report", "reason": ""})
    assert empty.status_code == 400 and "This field is required." in page(empty)
    wrong = officer.post(url, {"step": "close", "reason": "r"})
    assert wrong.status_code == 400 and "The chain has not passed this step." in page(wrong)
    assert officer.post(url, {"step": "report", "reason": "照片不清楚"}).status_code == 302
    again = open_task(instance)
    assert again.step == "report" and again.assignee == city.users["grid_worker"]
    assert instance.timeline.filter(action=StepAction.RETURN, comment="照片不清楚").exists()


def test_transfer_co_handler_and_opinion(city: TinyCity, three_step: ChainVersion) -> None:
    instance = start(city)
    task = open_task(instance)
    worker = signed_in(city.users["grid_worker"], "en")
    url = f"{BASE}tasks/{task.pk}/"
    unknown = worker.post(f"{url}co-handlers/", {"user": "nobody"})
    assert unknown.status_code == 400
    assert "No active member of staff has this user name." in page(unknown)
    assert worker.post(f"{url}co-handlers/", {"user": "u_grid_head"}).status_code == 302
    twice = worker.post(f"{url}co-handlers/", {"user": "u_grid_head"})
    assert twice.status_code == 400 and "They already work on this task." in page(twice)

    head = signed_in(city.users["grid_head"], "en")
    shown = page(head.get(url))
    assert 'data-testid="opinion-form"' in shown and 'data-testid="complete-form"' not in shown
    assert head.post(f"{url}opinions/", {"comment": "建议先拍照"}).status_code == 302
    assert "建议先拍照" in page(head.get(url))
    assert head.post(f"{url}opinions/", {"comment": " "}).status_code == 400

    no_reason = worker.post(f"{url}transfer/", {"to": "u_township_officer", "reason": ""})
    assert no_reason.status_code == 400
    response = worker.post(f"{url}transfer/", {"to": "u_township_officer", "reason": "请乡镇处理"})
    assert response.status_code == 302
    assert WorkTask.objects.get(pk=task.pk).assignee == city.users["township_officer"]
    assert "u_township_officer" in page(worker.get(url))


def test_supervisors_urge_from_the_task_and_the_supervision_page(
    city: TinyCity, three_step: ChainVersion
) -> None:
    _instance, task = reported(city)
    WorkTask.objects.filter(pk=task.pk).update(due_at=timezone.now() - timezone.timedelta(hours=2))
    county = signed_in(city.users["county_officer"], "en")
    url = f"{BASE}tasks/{task.pk}/"
    assert 'data-testid="urge-form"' in page(county.get(url))
    assert county.post(f"{url}urge/", {"message": ""}).status_code == 400
    assert county.post(f"{url}urge/", {"message": "请今天处理"}).status_code == 302

    board = page(county.get(f"{BASE}supervision/"))
    assert f'data-task="{task.pk}"' in board and 'data-light="red"' in board
    assert "Times urged" in board
    back = county.post(f"{url}urge/", {"message": "再催", "next": f"{BASE}supervision/"})
    assert back.status_code == 302 and back["Location"] == f"{BASE}supervision/"
    foreign = county.post(f"{url}urge/", {"message": "x", "next": "https://evil.example/"})
    assert foreign["Location"] == url
    assert WorkTask.objects.get(pk=task.pk).urge_count == 3

    worker = signed_in(city.users["grid_worker"])
    assert 'data-testid="urge-form"' not in page(worker.get(url))
    assert worker.post(f"{url}urge/", {"message": "x"}).status_code == 404
    assert worker.get(f"{BASE}supervision/").status_code == 403


def test_start_a_chain(city: TinyCity, three_step: ChainVersion) -> None:
    worker = signed_in(city.users["grid_worker"], "en")
    form = page(worker.get(f"{BASE}start/"))
    assert 'value="three_step"' in form and 'value="one_thing_service"' in form
    nothing = worker.post(f"{BASE}start/", {"definition": "three_step", "title": "t"})
    assert nothing.status_code == 400
    assert "Choose a region, or give a grid code." in page(nothing)
    foreign = worker.post(
        f"{BASE}start/", {"definition": "three_step", "title": "t", "grid": "330603001001001"}
    )
    assert foreign.status_code == 400 and "No grid in your scope has this code." in page(foreign)

    response = worker.post(
        f"{BASE}start/",
        {"definition": "three_step", "title": "路灯不亮", "grid": "330602001001001"},
    )
    assert response.status_code == 302
    instance = ChainInstance.objects.get(title="路灯不亮")
    assert response["Location"] == f"{BASE}instances/{instance.pk}/"
    assert instance.business_type == "workbench.manual"
    assert instance.starter == city.users["grid_worker"]
    assert open_task(instance).step == "report"
    assert signed_in(city.users["city_leader"]).get(f"{BASE}start/").status_code == 403


def test_the_one_thing_service_takes_departments(city: TinyCity, calendar: None) -> None:
    county = signed_in(city.users["county_officer"], "en")
    form = page(county.get(f"{BASE}start/"))
    assert 'value="330602"' in form and 'value="330603"' not in form
    data = {"definition": "one_thing_service", "title": "开办企业", "region": "330602"}
    missing = county.post(f"{BASE}start/", data)
    assert missing.status_code == 400
    assert "List the codes of the departments handling it." in page(missing)
    unknown = county.post(f"{BASE}start/", {**data, "departments": "330602-SCJ, NOPE"})
    assert unknown.status_code == 400 and "NOPE" in page(unknown)
    started = county.post(f"{BASE}start/", {**data, "departments": "330602-SCJ，330600-DSJ"})
    assert started.status_code == 302
    instance = ChainInstance.objects.get(title="开办企业")
    assert instance.region.code == "330602" and instance.version.definition.key == (
        "one_thing_service"
    )


def test_instance_page_suspend_resume_withdraw(city: TinyCity, three_step: ChainVersion) -> None:
    instance, _task = reported(city)
    url = f"{BASE}instances/{instance.pk}/"
    worker = signed_in(city.users["grid_worker"], "en")
    shown = page(worker.get(url))
    assert "Three steps" in shown and 'data-testid="withdraw-form"' in shown
    assert 'data-testid="suspend-form"' not in shown and 'data-testid="timeline"' in shown
    assert 'data-action="start"' in shown and 'data-action="complete"' in shown
    assert 'data-current="accept"' in shown

    county = signed_in(city.users["county_officer"], "en")
    assert 'data-testid="suspend-form"' in page(county.get(url))
    empty = county.post(f"{url}suspend/", {"reason": ""})
    assert empty.status_code == 400 and "This field is required." in page(empty)
    assert county.post(f"{url}suspend/", {"reason": "等待鉴定"}).status_code == 302
    suspended = page(county.get(url))
    assert 'data-status="suspended"' in suspended and 'data-testid="resume-form"' in suspended
    assert county.post(f"{url}suspend/", {"reason": "again"}).status_code == 409
    assert county.post(f"{url}resume/").status_code == 302
    assert ChainInstance.objects.get(pk=instance.pk).status == InstanceStatus.RUNNING

    assert worker.post(f"{url}withdraw/", {"reason": "重复上报"}).status_code == 302
    assert ChainInstance.objects.get(pk=instance.pk).status == InstanceStatus.WITHDRAWN
    again = worker.post(f"{url}withdraw/", {"reason": "x"})
    assert again.status_code == 409 and "Only a running chain can be withdrawn." in page(again)
    assert (
        signed_in(city.users["township_officer"])
        .post(f"{url}withdraw/", {"reason": "x"})
        .status_code
        == 404
    )


def test_attachments_are_kept_and_downloaded_by_those_who_see_the_chain(
    city: TinyCity, three_step: ChainVersion
) -> None:
    instance = start(city)
    worker = signed_in(city.users["grid_worker"], "en")
    task = open_task(instance)
    bad = worker.post(
        f"{BASE}tasks/{task.pk}/complete/",
        {"form-opinion": "x", "files": [SimpleUploadedFile("a.exe", b"MZ")]},
    )
    assert bad.status_code == 400 and "Attach JPEG, PNG, PDF, DOCX or XLSX files." in page(bad)
    response = worker.post(
        f"{BASE}tasks/{task.pk}/complete/",
        {"form-opinion": "东街", "files": [SimpleUploadedFile("现场.png", PNG)]},
    )
    assert response.status_code == 302
    entry = instance.timeline.get(action=StepAction.COMPLETE)
    attachment = entry.attachments.get()
    link = f"{BASE}attachments/{attachment.pk}/"
    assert link in page(worker.get(f"{BASE}instances/{instance.pk}/"))

    download = signed_in(city.users["township_officer"]).get(link)
    assert download.status_code == 200
    assert download["Content-Type"] == "image/png"
    assert download["Content-Disposition"].startswith("attachment;")
    assert b"".join(download.streaming_content) == PNG  # type: ignore[attr-defined]
    assert signed_in(city.users["department_officer"]).get(link).status_code == 404
    assert worker.get(f"{BASE}attachments/999999/").status_code == 404


def test_models_list_page_and_source(city: TinyCity, three_step: ChainVersion) -> None:
    officer = signed_in(city.users["township_officer"], "en")
    listing = page(officer.get(f"{BASE}models/"))
    assert 'data-key="three_step"' in listing and 'data-key="grid_event"' in listing
    assert "Shipped with Kuaiji" in listing and 'data-testid="upload-form"' not in listing

    model = page(officer.get(f"{BASE}models/three_step/"))
    assert "Three steps" in model and "Reporter" in model and "1d" in model
    assert "decision" in model and "accept / send back" in model and "(optional)" in model
    assert 'data-current=""' in model
    chosen = page(officer.get(f"{BASE}models/three_step/?version=1&step=accept"))
    assert 'data-current="accept"' in chosen
    assert officer.get(f"{BASE}models/three_step/?version=9").status_code == 404
    assert officer.get(f"{BASE}models/three_step/?version=x").status_code == 400
    assert officer.get(f"{BASE}models/nothing/").status_code == 404

    source = officer.get(f"{BASE}models/three_step/1.bpmn")
    assert source.status_code == 200
    assert source["Content-Type"].startswith("application/xml")
    assert source.content == THREE_STEP.read_bytes()
    assert officer.get(f"{BASE}models/three_step/2.bpmn").status_code == 404

    nobody = signed_in(User.objects.create(username="nogrant", is_staff=True))
    assert nobody.get(f"{BASE}models/").status_code == 403
    assert nobody.get(f"{BASE}models/three_step/").status_code == 404
    assert nobody.get(f"{BASE}models/three_step/1.bpmn").status_code == 404


def test_uploading_models(city: TinyCity, three_step: ChainVersion) -> None:
    admin = signed_in(city.users["platform_admin"], "en")
    assert 'data-testid="upload-form"' in page(admin.get(f"{BASE}models/"))
    source = THREE_STEP.read_bytes()

    broken = source.replace(b'name="time_limit" value="1d"', b'name="time_limit" value="1 day"')
    response = admin.post(
        f"{BASE}model-upload/", {"file": SimpleUploadedFile("three_step.bpmn", broken)}
    )
    assert response.status_code == 400
    assert "accept: A time limit is written like 3d" in page(response)
    same = admin.post(f"{BASE}model-upload/", {"file": SimpleUploadedFile("m.bpmn", source)})
    assert same.status_code == 400
    assert "This model is the same as the latest version." in page(same)

    changed = source.replace(b'value="1d"', b'value="2d"')
    response = admin.post(f"{BASE}model-upload/", {"file": SimpleUploadedFile("m.bpmn", changed)})
    assert response.status_code == 302
    assert response["Location"] == f"{BASE}models/three_step/?version=2"
    assert (
        ChainVersion.objects.get(definition__key="three_step", number=2).uploaded_by
        == (city.users["platform_admin"])
    )
    assert "Version 2 of Three steps is uploaded." in page(admin.get(response["Location"]))

    officer = signed_in(city.users["township_officer"])
    refused = officer.post(f"{BASE}model-upload/", {"file": SimpleUploadedFile("m.bpmn", source)})
    assert refused.status_code == 403


def test_supervision_page(city: TinyCity, three_step: ChainVersion) -> None:
    _instance, task = reported(city)
    county = signed_in(city.users["county_officer"], "en")
    board = page(county.get(f"{BASE}supervision/"))
    assert 'data-testid="units"' in board and task.unit_label in board
    assert "Nothing is overdue." in board and "No overdue record." in board
    leader = signed_in(city.users["city_leader"], "en")
    assert task.unit_label in page(leader.get(f"{BASE}supervision/"))
