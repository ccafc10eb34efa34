"""The shipped models: installed after migrate, serialize → store → load at every step (timers
included), and the grid event and the one-thing service application run end to end."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from SpiffWorkflow.util.task import TaskState

from kuaiji.platform.access.models import Role, RoleGrant
from kuaiji.platform.access.services import grant_role
from kuaiji.platform.chains import engine, services
from kuaiji.platform.chains.definitions import compile_model
from kuaiji.platform.chains.models import (
    ChainDefinition,
    ChainInstance,
    InstanceStatus,
    StepAction,
    TaskStatus,
    WorkTask,
)
from kuaiji.platform.chains.shipped import shipped_files
from kuaiji.platform.chains.supervision import supervise
from kuaiji.platform.core.actors import SYSTEM
from kuaiji.platform.directory.models import Department
from kuaiji.platform.identity.models import User
from tests.directory.city import TinyCity

pytestmark = pytest.mark.django_db


def test_every_shipped_model_is_installed() -> None:
    keys = {compile_model(path.read_bytes()).process_id for path in shipped_files()}
    assert keys == {
        "grid_event",
        "one_thing_service",
        "directive",
        "data_sharing",
        "data_rectification",
        "service_rectification",
    }
    assert set(ChainDefinition.objects.values_list("key", flat=True)) >= keys


def round_trip(instance: ChainInstance) -> None:
    """The stored state loads into a workflow that stores back to the same state."""
    instance.refresh_from_db()
    workflow = engine.load(instance.version, instance.state)
    assert engine.dump(workflow) == instance.state
    again = engine.load(instance.version, engine.dump(workflow))
    assert [t.task_spec.name for t in engine.ready_user_tasks(again)] == [
        t.task_spec.name for t in engine.ready_user_tasks(workflow)
    ]


def three_days_pass(instance: ChainInstance) -> None:
    """Move the instance's waiting timers three days back, as if that time had passed (the
    engine compares timers with the real clock)."""
    instance.refresh_from_db()
    workflow = engine.load(instance.version, instance.state)
    for task in workflow.get_tasks(state=TaskState.WAITING):
        fires = task._get_internal_data("event_value")
        if isinstance(fires, str):
            moved = datetime.fromisoformat(fires) - timedelta(days=3, minutes=1)
            task._set_internal_data(event_value=moved.isoformat())
    ChainInstance.objects.filter(pk=instance.pk).update(
        state=engine.dump(workflow), wakes_at=engine.next_wake(workflow)
    )


def step(instance: ChainInstance, actor: User, form: dict[str, Any], name: str = "") -> WorkTask:
    """Complete the instance's open task (the one named `name`, if several are open)."""
    round_trip(instance)
    tasks = instance.tasks.filter(status=TaskStatus.OPEN)
    task = tasks.get(step=name) if name else tasks.get()
    services.complete(actor=actor, task=task.pk, form=form)
    return task


def test_grid_event_up_to_a_department_and_closed_by_the_timer(
    city: TinyCity, calendar: None
) -> None:
    users = city.users
    department = Department.objects.get(code="330602-SCJ")
    instance = services.start(
        actor=users["grid_worker"],
        definition="grid_event",
        title="占道经营",
        business_type="grassroots.event",
        grid=city.grid("330602001001001"),
    )
    township = users["township_officer"]
    step(instance, township, {"decision": "accept"})
    step(instance, township, {"decision": "escalate", "opinion": "需执法部门"})
    county_task = step(
        instance, users["county_officer"], {"dispatch": "assign", "department": department.code}
    )
    assert county_task.step == "county_dispatch"
    handled = instance.tasks.get(status=TaskStatus.OPEN)
    assert handled.candidate_key == f"department_officer@department:{department.pk}"
    step(instance, users["department_officer"], {"opinion": "已清理"})
    step(instance, users["grid_worker"], {"opinion": "已反馈"})
    step(instance, township, {"result": "pass"})
    step(instance, township, {})
    evaluate = instance.tasks.get(status=TaskStatus.OPEN)
    assert (evaluate.step, evaluate.assignee) == ("evaluate", users["grid_worker"])
    round_trip(instance)
    instance.refresh_from_db()
    assert instance.wakes_at is not None

    assert supervise(instance.wakes_at - timedelta(minutes=1)).timers == 0
    three_days_pass(instance)
    assert supervise().timers == 1
    instance.refresh_from_db()
    assert instance.status == InstanceStatus.COMPLETED
    assert WorkTask.objects.get(pk=evaluate.pk).status == TaskStatus.CANCELLED
    assert instance.timeline.filter(action=StepAction.TIMER).exists()


def test_one_thing_service_handled_by_departments_in_parallel(
    city: TinyCity, calendar: None
) -> None:
    users = city.users
    second = User.objects.create_user("u_east_market", is_staff=True)
    grant_role(
        actor=SYSTEM,
        user=second,
        role=Role.objects.get(code="department_officer"),
        department=Department.objects.get(code="330603-SCJ"),
    )
    instance = services.start(
        actor=users["township_officer"],
        definition="one_thing_service",
        title="开办餐饮店一件事",
        business_type="government.application",
        region=city.grid("330602001001001").region,
        data={"departments": ["330602-SCJ", "330603-SCJ"]},
    )
    county = users["county_officer"]
    step(instance, county, {"decision": "correct", "opinion": "缺少租赁合同"})
    step(instance, users["township_officer"], {"opinion": "已补充"})
    step(instance, county, {"decision": "accept"})
    parallel = instance.tasks.filter(status=TaskStatus.OPEN)
    assert parallel.count() == 2
    assert {task.department_path for task in parallel} == {
        Department.objects.get(code=code).path for code in ("330602-SCJ", "330603-SCJ")
    }
    for task, officer in zip(
        parallel.order_by("department_path"), (users["department_officer"], second), strict=True
    ):
        round_trip(instance)
        services.complete(actor=officer, task=task.pk, form={"opinion": "同意"})
    step(instance, county, {"decision": "approve", "opinion": "准予许可"})
    step(instance, county, {})
    instance.refresh_from_db()
    assert instance.status == InstanceStatus.COMPLETED


@pytest.mark.parametrize(
    ("key", "data", "first_step"),
    [
        ("directive", {}, "receive"),
        ("data_sharing", {}, "provider_approval"),
    ],
)
def test_directive_and_data_sharing_start_where_expected(
    city: TinyCity, calendar: None, key: str, data: dict[str, Any], first_step: str
) -> None:
    instance = services.start(
        actor=city.users["county_officer"],
        definition=key,
        title="标题",
        business_type="test",
        region=city.grid("330602001001001").region,
        department=Department.objects.get(code="330602-SCJ"),
        data=data,
    )
    round_trip(instance)
    task = instance.tasks.get(status=TaskStatus.OPEN)
    assert task.step == first_step
    assert RoleGrant.objects.filter(user=city.users["department_officer"]).exists()
