"""Urging each kind of work: the chains' urge, a checklist task's count and its unit's inbox, a
directive target's reminder; audit entries; refusals; one urging per submission key."""

from __future__ import annotations

import pytest

from kuaiji.apps.command.models import DirectiveTarget, Feedback, Task, TaskStatus
from kuaiji.apps.command.supervision import urging
from kuaiji.platform.audit.models import AuditEntry
from kuaiji.platform.chains.models import StepAction, WorkTask
from kuaiji.platform.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from kuaiji.platform.directory.models import Department, Staff
from kuaiji.platform.messaging.models import Notification, NotificationKind
from tests.command.supervision.scene import Scene

pytestmark = pytest.mark.django_db


def urged(user: object) -> list[Notification]:
    return list(
        Notification.objects.filter(recipient=user, kind=NotificationKind.URGE).order_by("pk")
    )


def test_urging_a_chain_task_goes_through_the_chain(scene: Scene) -> None:
    leader = scene.city.users["city_leader"]
    done = urging.urge(actor=leader, items=[f"chain:{scene.event.pk}"], message="请今天办结")
    assert done.keys == (f"chain:{scene.event.pk}",)
    assert WorkTask.objects.get(pk=scene.event.pk).urge_count == 1
    assert scene.event.instance.timeline.filter(action=StepAction.URGE).exists()
    assert [n.body for n in urged(scene.city.users["township_officer"])] == ["请今天办结"]
    assert AuditEntry.objects.filter(action__endswith="task.urge").count() == 1


def test_urging_a_checklist_task_counts_and_tells_its_unit(scene: Scene) -> None:
    leader = scene.city.users["city_leader"]
    officer = scene.city.users["township_officer"]
    Staff.objects.create(  # the lead unit's member of staff who may see task lists
        employee_no="E900",
        name="王芳",
        department=Department.objects.get(code="330602001-OFFICE"),
        user=officer,
    )
    urging.urge(actor=leader, items=[f"checklist:{scene.late_task.pk}"], message="抓紧")
    urging.urge(
        actor=leader,
        items=[f"checklist:{scene.near_task.pk}", f"checklist:{scene.late_task.pk}"],
        message="再催",
    )
    assert Task.objects.get(pk=scene.late_task.pk).urge_count == 2
    assert Task.objects.get(pk=scene.near_task.pk).urge_count == 1
    notes = urged(officer)
    assert [n.body for n in notes] == ["抓紧", "再催", "再催"]
    assert notes[0].link == "/work/checklists/QD-W/#task-1"
    entry = AuditEntry.objects.filter(action="command.task.urge").order_by("pk").last()
    assert entry is not None and entry.changes == {"urge_count": [1, 2]}


def test_urging_a_directive_target_reminds_the_person(scene: Scene) -> None:
    leader = scene.city.users["city_leader"]
    urging.urge(actor=leader, items=[f"directive:{scene.late_target.pk}"], message="请反馈")
    target = DirectiveTarget.objects.get(pk=scene.late_target.pk)
    assert target.reminders == 1 and target.reminded_at is not None
    notes = urged(scene.city.users["township_officer"])
    assert [(n.body, n.link) for n in notes] == [("请反馈", "/work/directives/ZL-1/")]
    assert AuditEntry.objects.filter(action="command.directive.urge").exists()


def test_green_work_and_work_outside_the_scope_are_not_urged(scene: Scene) -> None:
    officer = scene.city.users["county_officer"]
    with pytest.raises(Conflict):
        urging.urge(
            actor=officer,
            items=[f"chain:{scene.event.pk}", f"chain:{scene.calm_event.pk}"],
            message="快",
        )
    assert WorkTask.objects.get(pk=scene.event.pk).urge_count == 0  # nothing half done
    with pytest.raises(NotFound):
        urging.urge(actor=officer, items=[f"chain:{scene.east_event.pk}"], message="快")
    with pytest.raises(NotFound):
        urging.urge(actor=officer, items=["checklist:999999"], message="快")
    with pytest.raises(Forbidden):
        urging.urge(
            actor=scene.city.users["township_officer"],
            items=[f"chain:{scene.event.pk}"],
            message="快",
        )


def test_bad_input_is_refused_by_name(scene: Scene) -> None:
    leader = scene.city.users["city_leader"]
    for items, message, field in (
        ([f"chain:{scene.event.pk}"], "  ", "message"),
        ([f"chain:{scene.event.pk}"], "x" * 501, "message"),
        ([], "快", "items"),
        (["event:1"], "快", "items"),
        (["chain:abc"], "快", "items"),
    ):
        with pytest.raises(InvalidInput) as refused:
            urging.urge(actor=leader, items=items, message=message)
        assert field in refused.value.fields


def test_work_done_meanwhile_is_a_conflict(scene: Scene) -> None:
    leader = scene.city.users["city_leader"]
    Task.objects.filter(pk=scene.late_task.pk).update(status=TaskStatus.ACCEPTED)
    with pytest.raises(NotFound):  # accepted work is no longer supervised
        urging.urge(actor=leader, items=[f"checklist:{scene.late_task.pk}"], message="快")
    Feedback.objects.create(
        directive=scene.late_target.directive, target=scene.late_target, state="done", body="已办"
    )
    with pytest.raises(NotFound):
        urging.urge(actor=leader, items=[f"directive:{scene.late_target.pk}"], message="快")


def test_the_same_submission_urges_once(scene: Scene) -> None:
    leader = scene.city.users["city_leader"]
    items = [f"chain:{scene.event.pk}", f"directive:{scene.late_target.pk}"]
    first = urging.urge(actor=leader, items=items, message="快", submission_key="k-1")
    again = urging.urge(actor=leader, items=items, message="快", submission_key="k-1")
    assert not first.repeated and again.repeated and again.keys == first.keys
    assert WorkTask.objects.get(pk=scene.event.pk).urge_count == 1
    assert DirectiveTarget.objects.get(pk=scene.late_target.pk).reminders == 1
    with pytest.raises(Conflict):
        urging.urge(
            actor=leader, items=[f"chain:{scene.calm_event.pk}"], message="快", submission_key="k-2"
        )
    retried = urging.urge(actor=leader, items=items, message="快", submission_key="k-2")
    assert not retried.repeated  # a refused submission may be sent again
