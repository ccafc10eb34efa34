"""Running chains through the services: start, claim, complete, return, transfer, co-handle,
suspend, resume, withdraw, and the 409 of two people completing one task."""

from __future__ import annotations

import pytest

from kuaiji.platform.chains import services
from kuaiji.platform.chains.models import (
    ChainInstance,
    ChainVersion,
    InstanceStatus,
    StepAction,
    TaskStatus,
    WorkTask,
)
from kuaiji.platform.core.errors import Conflict, InvalidInput, NotFound
from kuaiji.platform.directory.models import Region
from kuaiji.platform.messaging.models import Notification
from tests.directory.city import TinyCity

pytestmark = pytest.mark.django_db


def start(city: TinyCity, starter: str = "grid_worker") -> ChainInstance:
    return services.start(
        actor=city.users[starter],
        definition="three_step",
        title="井盖缺失",
        business_type="test.event",
        business_id="E1",
        grid=city.grid("330602001001001"),
    )


def open_task(instance: ChainInstance) -> WorkTask:
    return instance.tasks.get(status=TaskStatus.OPEN)


def test_a_chain_runs_from_start_to_end(city: TinyCity, three_step: ChainVersion) -> None:
    worker, township, county = (
        city.users[code] for code in ("grid_worker", "township_officer", "county_officer")
    )
    instance = start(city)
    report = open_task(instance)
    assert (report.step, report.assignee) == ("report", worker)
    services.complete(actor=worker, task=report.pk, form={"opinion": "东街井盖缺失"})

    accept = open_task(instance)
    tashan = Region.objects.get(code="330602001")
    assert accept.candidate_key == f"township_officer@region:{tashan.pk}"
    assert accept.due_at is not None and accept.yellow_at is not None
    assert Notification.objects.filter(recipient=township, title__contains="受理").exists()
    services.claim(actor=township, task=accept.pk)
    services.complete(actor=township, task=accept.pk, form={"decision": "accept"})

    close = open_task(instance)
    assert close.candidate_key.startswith("county_officer@region:")
    services.complete(actor=county, task=close.pk, form={"result": "已补装"}, comment="好")

    instance.refresh_from_db()
    assert instance.status == InstanceStatus.COMPLETED and instance.ended_at is not None
    actions = list(instance.timeline.values_list("action", flat=True))
    assert actions[0] == StepAction.START and actions[-1] == StepAction.END
    assert actions.count(StepAction.COMPLETE) == 3


def test_only_candidates_see_and_claim(city: TinyCity, three_step: ChainVersion) -> None:
    instance = start(city)
    services.complete(
        actor=city.users["grid_worker"], task=open_task(instance).pk, form={"opinion": "x"}
    )
    accept = open_task(instance)
    with pytest.raises(NotFound):
        services.claim(actor=city.users["county_officer"], task=accept.pk)
    services.claim(actor=city.users["township_officer"], task=accept.pk)
    with pytest.raises(Conflict):
        services.claim(actor=city.users["township_officer"], task=accept.pk)


def test_form_data_is_checked(city: TinyCity, three_step: ChainVersion) -> None:
    instance = start(city)
    task = open_task(instance)
    with pytest.raises(InvalidInput) as raised:
        services.complete(actor=city.users["grid_worker"], task=task.pk, form={"colour": "red"})
    assert set(raised.value.fields) == {"colour", "opinion"}
    assert open_task(instance).pk == task.pk


def test_the_second_completion_gets_a_conflict(city: TinyCity, three_step: ChainVersion) -> None:
    instance = start(city)
    task = open_task(instance)
    services.complete(actor=city.users["grid_worker"], task=task.pk, form={"opinion": "x"})
    with pytest.raises(Conflict):
        services.complete(actor=city.users["grid_worker"], task=task.pk, form={"opinion": "y"})


def test_a_stale_revision_is_refused(city: TinyCity, three_step: ChainVersion) -> None:
    instance = start(city)
    with pytest.raises(Conflict):
        services.complete(
            actor=city.users["grid_worker"],
            task=open_task(instance).pk,
            form={"opinion": "x"},
            revision=instance.revision - 1,
        )


def test_return_to_an_earlier_step(city: TinyCity, three_step: ChainVersion) -> None:
    worker, township = city.users["grid_worker"], city.users["township_officer"]
    instance = start(city)
    services.complete(actor=worker, task=open_task(instance).pk, form={"opinion": "x"})
    accept = open_task(instance)
    with pytest.raises(InvalidInput):
        services.return_to(actor=township, task=accept.pk, step="close", reason="r")
    services.return_to(actor=township, task=accept.pk, step="report", reason="照片不清楚")
    again = open_task(instance)
    assert (again.step, again.assignee) == ("report", worker)
    assert WorkTask.objects.get(pk=accept.pk).status == TaskStatus.RETURNED
    assert instance.timeline.filter(action=StepAction.RETURN, comment="照片不清楚").exists()


def test_transfer_and_co_handler(city: TinyCity, three_step: ChainVersion) -> None:
    worker, township = city.users["grid_worker"], city.users["township_officer"]
    head = city.users["grid_head"]
    instance = start(city)
    report = open_task(instance)
    services.add_co_handler(actor=worker, task=report.pk, user=head.pk)
    services.add_opinion(actor=head, task=report.pk, comment="建议先拍照")
    with pytest.raises(NotFound):
        services.complete(actor=head, task=report.pk, form={"opinion": "x"})
    services.transfer(actor=worker, task=report.pk, to=township.pk, reason="请乡镇处理")
    assert WorkTask.objects.get(pk=report.pk).assignee == township
    services.complete(actor=township, task=report.pk, form={"opinion": "x"})


def test_suspend_and_resume_move_the_deadline(city: TinyCity, three_step: ChainVersion) -> None:
    worker = city.users["grid_worker"]
    supervisor = city.users["county_officer"]
    instance = start(city)
    services.complete(actor=worker, task=open_task(instance).pk, form={"opinion": "x"})
    accept = open_task(instance)
    services.suspend(actor=supervisor, instance=instance.pk, reason="等待鉴定")
    with pytest.raises(Conflict):
        services.claim(actor=city.users["township_officer"], task=accept.pk)
    services.resume(actor=supervisor, instance=instance.pk)
    resumed = WorkTask.objects.get(pk=accept.pk)
    assert resumed.status == TaskStatus.OPEN
    assert resumed.due_at is not None and accept.due_at is not None
    assert resumed.due_at >= accept.due_at


def test_withdraw_only_while_untouched(city: TinyCity, three_step: ChainVersion) -> None:
    worker = city.users["grid_worker"]
    instance = start(city)
    services.complete(actor=worker, task=open_task(instance).pk, form={"opinion": "x"})
    with pytest.raises(NotFound):
        services.withdraw(actor=city.users["township_officer"], instance=instance.pk, reason="r")
    services.withdraw(actor=worker, instance=instance.pk, reason="重复上报")
    instance.refresh_from_db()
    assert instance.status == InstanceStatus.WITHDRAWN
    assert not instance.tasks.filter(status=TaskStatus.OPEN).exists()

    second = start(city)
    services.complete(actor=worker, task=open_task(second).pk, form={"opinion": "x"})
    services.claim(actor=city.users["township_officer"], task=open_task(second).pk)
    with pytest.raises(Conflict):
        services.withdraw(actor=worker, instance=second.pk, reason="r")


def test_starting_needs_a_region_in_scope(city: TinyCity, three_step: ChainVersion) -> None:
    with pytest.raises(NotFound):
        services.start(
            actor=city.users["township_officer"],
            definition="three_step",
            title="t",
            business_type="test",
            region=Region.objects.get(code="330603"),
        )
    with pytest.raises(InvalidInput):
        services.start(
            actor=city.users["township_officer"],
            definition="nope",
            title="t",
            business_type="test",
            region=Region.objects.get(code="330602001"),
        )


def test_listeners_follow_their_business_type(
    city: TinyCity, three_step: ChainVersion, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kuaiji.platform.chains import listeners

    monkeypatch.setattr(listeners, "_LISTENERS", {})
    seen: list[tuple[str, list[str]]] = []
    listeners.listen(
        "test.event", lambda i, tasks: seen.append((i.status, [t.step for t in tasks]))
    )
    instance = start(city)
    services.complete(
        actor=city.users["grid_worker"], task=open_task(instance).pk, form={"opinion": "x"}
    )
    services.suspend(actor=city.users["county_officer"], instance=instance.pk, reason="r")
    assert seen == [("running", ["report"]), ("running", ["accept"]), ("suspended", ["accept"])]
