"""The checklist services: drawing up within one's scope, publishing tells the units, reports
with evidence, acceptance and its refusals, the revision check, the audit entries."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from kuaiji.apps.command.checklists import acceptance, drawing, progress
from kuaiji.apps.command.checklists.selectors import list_of, lists, my_tasks, task_of
from kuaiji.apps.command.models import Directive, Evidence, TaskStatus
from kuaiji.platform.audit.models import AuditEntry
from kuaiji.platform.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from kuaiji.platform.directory.models import Department, Region
from kuaiji.platform.messaging.models import Notification
from kuaiji.platform.metrics.models import Indicator, IndicatorValue, PeriodKind
from tests.command.checklists.story import Story, days, fake_png, first_task, pdf

pytestmark = pytest.mark.django_db


def test_draw_up_makes_a_draft_numbered_by_year(story: Story) -> None:
    made = story.draw(publish=False)
    year = timezone.localdate().year
    assert made.number == f"QD{year}0001" and made.status == "draft"
    assert made.issuing_department == story.office and made.region.code == "330600"
    task = first_task(made)
    assert task.region_path == story.lead.region.path and task.department_path == story.lead.path
    assert [unit.code for unit in task.cooperating_departments.all()] == ["330602001-OFFICE"]
    assert task.milestones.count() == 1
    second = story.draw(key="key-2", publish=False)
    assert second.number == f"QD{year}0002"
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"command.tasklist.create", "command.task.create"} <= actions


def test_the_same_submission_key_makes_one_list(story: Story) -> None:
    first = story.draw(publish=False)
    again = story.draw_as(story.leader, "key-1", title="另一份")
    assert again.pk == first.pk and again.created is False  # type: ignore[attr-defined]
    with pytest.raises(Conflict):
        story.draw_as(story.county, "key-1")


def test_units_outside_the_scope_and_bad_dates_are_refused(story: Story) -> None:
    # A county officer of the West district, working in its market regulation.
    from kuaiji.platform.directory.models import Staff

    Staff.objects.filter(employee_no="E002").update(user=story.county)
    east = Department.objects.get(code="330603-SCJ")
    with pytest.raises(InvalidInput) as refused:
        story.draw_as(
            story.county,
            "k",
            tasks=[
                story.draft(lead=east, cooperating=[]),
                story.draft(deadline=days(-20)),
                story.draft(target_value=Decimal("0"), unit=""),
            ],
        )
    fields = refused.value.fields
    assert "tasks[0].lead" in fields and "tasks[1].deadline" in fields
    assert "tasks[2].target_value" in fields and "tasks[2].unit" in fields
    assert "tasks[1].milestones" in fields  # the milestone falls after the new deadline
    made = story.draw_as(story.county, "k2")
    assert made.region.code == "330602" and made.issuing_department.code == "330602-SCJ"


def test_a_drawer_without_a_unit_or_permission(story: Story) -> None:
    with pytest.raises(Forbidden):  # no staff record, no department grant
        story.draw_as(story.city.users["platform_admin"], "k")
    with pytest.raises(Forbidden):  # department officers only view
        story.draw_as(story.lead_user, "k")


def test_a_directive_of_origin_must_be_visible(story: Story) -> None:
    east = Region.objects.get(code="330603")
    directive = Directive.objects.create(
        number="ZL20260001",
        submission_key="d1",
        title="关于开展防汛隐患排查的通知",
        body="各单位开展排查",
        issuer=story.leader,
        region=east,
        region_path=east.path,
    )
    base: dict[str, Any] = {
        "submission_key": "k",
        "title": "t",
        "origin": "directive",
        "tasks": [story.draft()],
    }
    with pytest.raises(InvalidInput) as missing:
        drawing.draw_up(actor=story.leader, **base)
    assert "directive" in missing.value.fields
    made = drawing.draw_up(actor=story.leader, directive=directive, **base)
    assert made.directive == directive
    with pytest.raises(InvalidInput):  # the meeting needs its reference
        drawing.draw_up(actor=story.leader, **{**base, "origin": "meeting", "submission_key": "m"})
    from kuaiji.platform.directory.models import Staff

    Staff.objects.filter(employee_no="E002").update(user=story.county)
    with pytest.raises(InvalidInput) as hidden:  # the West county officer does not see it
        drawing.draw_up(actor=story.county, directive=directive, **{**base, "submission_key": "x"})
    assert "directive" in hidden.value.fields


def test_publish_tells_the_lead_and_cooperating_units(story: Story) -> None:
    made = story.draw(publish=False)
    assert not Notification.objects.exists()
    assert [found.number for found in lists(story.lead_user)] == []  # a draft is the office's
    drawing.publish(actor=story.leader, task_list=made)
    told = Notification.objects.order_by("recipient_id")
    assert {n.recipient_id for n in told} == {story.lead_user.pk, story.helper.pk}
    assert all(n.link == f"/work/checklists/{made.number}/#task-1" for n in told)
    with pytest.raises(Conflict):
        drawing.publish(actor=story.leader, task_list=made)
    assert [found.number for found in lists(story.lead_user)] == [made.number]
    assert [task.pk for task in my_tasks(story.helper)] == [first_task(made).pk]
    with pytest.raises(NotFound):
        list_of(story.stranger, made.number)
    with pytest.raises(NotFound):
        drawing.publish(actor=story.county, task_list=made)


def test_tasks_added_after_publishing_and_deadlines_need_a_reason(story: Story) -> None:
    made = story.draw()
    added = drawing.add_task(
        actor=story.leader, task_list=made, task=story.draft(title="新增任务", cooperating=[])
    )
    assert added.sequence == 2
    assert Notification.objects.filter(recipient=story.lead_user).count() == 2
    task = first_task(made)
    with pytest.raises(InvalidInput) as refused:
        drawing.change_deadline(actor=story.leader, task=task, revision=0, deadline=days(30))
    assert "reason" in refused.value.fields
    moved = drawing.change_deadline(
        actor=story.leader, task=task, revision=0, deadline=days(30), reason="汛期提前"
    )
    assert moved.deadline == days(30) and moved.revision == 1
    entry = AuditEntry.objects.filter(action="command.task.deadline").get()
    assert entry.changes["reason"] == [None, "汛期提前"]
    with pytest.raises(Conflict):  # the page showed revision 0
        drawing.edit_task(
            actor=story.leader,
            task=task,
            revision=0,
            title="改",
            description="",
            target_value=Decimal("1"),
            unit="户",
            cooperating=[],
        )


def test_report_with_evidence_moves_the_task(story: Story) -> None:
    made = story.draw()
    task = first_task(made)
    milestone = task.milestones.get()
    made_report = progress.report(
        actor=story.lead_user,
        task=task,
        progress=40,
        achieved_value="2000",
        summary="已归集2000户",
        milestone=milestone,
        files=[pdf()],
    )
    task.refresh_from_db()
    assert (task.status, task.progress, task.achieved_value) == (
        TaskStatus.IN_PROGRESS,
        40,
        Decimal("2000.00"),
    )
    milestone.refresh_from_db()
    assert milestone.done_at is not None
    evidence = Evidence.objects.get(report=made_report)
    assert evidence.name == "验收材料.pdf" and evidence.content_type == "application/pdf"
    assert len(evidence.sha256) == 64 and evidence.size > 0
    # The cooperating unit reports its part: recorded, the task's figures stay the lead's.
    progress.report(actor=story.helper, task=task, progress=90, summary="配合完成数据核对")
    task.refresh_from_db()
    assert task.progress == 40
    with pytest.raises(InvalidInput):
        progress.report(
            actor=story.lead_user, task=task, progress=50, summary="x", files=[fake_png()]
        )
    with pytest.raises(InvalidInput):
        progress.report(actor=story.lead_user, task=task, progress=101, summary="x")
    for outsider in (story.stranger, story.county, story.leader):
        with pytest.raises(NotFound):
            progress.report(actor=outsider, task=task, progress=50, summary="x")
    with pytest.raises(Conflict):
        progress.report(actor=story.lead_user, task=task, progress=50, summary="x", revision=0)


def test_indicator_tasks_read_the_metrics_layer(story: Story) -> None:
    indicator = Indicator.objects.create(code="test.count", name="数", unit="户", owner="test")
    IndicatorValue.objects.create(
        indicator=indicator,
        region=story.lead.region,
        period=timezone.localdate() - timedelta(days=1),
        period_kind=PeriodKind.DAY,
        value=3210.0,
    )
    task = first_task(story.draw(tasks=[story.draft(indicator=indicator)]))
    progress.report(
        actor=story.lead_user, task=task, progress=60, summary="按指标", achieved_value=1
    )
    task.refresh_from_db()
    assert task.achieved_value == Decimal("3210.00")


def test_acceptance_state_machine(story: Story) -> None:
    made = story.draw(tasks=[story.draft(), story.draft(title="第二项")])
    task = first_task(made)
    with pytest.raises(NotFound):  # only the lead unit submits
        acceptance.submit(actor=story.helper, task=task)
    with pytest.raises(Conflict):  # nothing submitted yet
        acceptance.decide(actor=story.leader, task=task, accept=True)
    acceptance.submit(actor=story.lead_user, task=task)
    with pytest.raises(Conflict):
        acceptance.submit(actor=story.lead_user, task=task)
    with pytest.raises(Conflict):  # waiting for the decision
        progress.report(actor=story.lead_user, task=task, progress=50, summary="x")
    with pytest.raises(NotFound):  # the lead unit does not accept its own work
        acceptance.decide(actor=story.lead_user, task=task, accept=True)
    with pytest.raises(InvalidInput):  # returning says what is missing
        acceptance.decide(actor=story.leader, task=task, accept=False)
    returned = acceptance.decide(actor=story.leader, task=task, accept=False, comment="缺少佐证")
    task.refresh_from_db()
    assert task.status == TaskStatus.RETURNED and returned.on_time
    told = Notification.objects.filter(recipient=story.lead_user).latest("pk")
    assert told.body == "缺少佐证" and told.link.endswith("#task-1")
    progress.report(actor=story.lead_user, task=task, progress=100, summary="补齐材料")
    task.refresh_from_db()
    assert task.status == TaskStatus.IN_PROGRESS
    acceptance.submit(actor=story.lead_user, task=task)
    accepted = acceptance.decide(actor=story.leader, task=task, accept=True)
    task.refresh_from_db()
    assert task.status == TaskStatus.ACCEPTED and task.accepted_at and accepted.on_time
    with pytest.raises(Conflict):
        progress.report(actor=story.lead_user, task=task, progress=100, summary="x")
    with pytest.raises(Conflict):  # the second task is not accepted
        acceptance.close(actor=story.leader, task_list=made)
    second = made.tasks.get(sequence=2)
    acceptance.submit(actor=story.lead_user, task=second)
    acceptance.decide(actor=story.leader, task=second, accept=True)
    closed = acceptance.close(actor=story.leader, task_list=made)
    assert closed.status == "closed" and closed.closed_at
    with pytest.raises(Conflict):
        acceptance.close(actor=story.leader, task_list=made)


def test_late_submission_is_not_on_time(story: Story) -> None:
    task = first_task(
        story.draw(tasks=[story.draft(starts_on=days(-30), deadline=days(-2), milestones=[])])
    )
    acceptance.submit(actor=story.lead_user, task=task)
    decided = acceptance.decide(actor=story.leader, task=task, accept=True)
    assert decided.on_time is False
    assert task_of(story.lead_user, task.task_list.number, 1).status == TaskStatus.ACCEPTED


def test_daily_reminder_of_due_and_overdue_tasks(story: Story) -> None:
    from kuaiji.apps.command.checklists.reminders import remind_due

    story.draw(
        tasks=[
            story.draft(title="三天后到期", deadline=days(3), milestones=[]),
            story.draft(title="昨天到期", starts_on=days(-20), deadline=days(-1), milestones=[]),
            story.draft(title="还早", deadline=days(9), milestones=[]),
        ]
    )
    Notification.objects.all().delete()
    assert remind_due() == 2
    titles = sorted(
        Notification.objects.filter(recipient=story.lead_user).values_list("title", flat=True)
    )
    assert (
        len(titles) == 2
        and any("三天后到期" in t for t in titles)
        and any("昨天到期" in t for t in titles)
    )
    assert not Notification.objects.filter(recipient=story.helper).exists()  # the lead unit's
    assert remind_due(days(1)) == 0
