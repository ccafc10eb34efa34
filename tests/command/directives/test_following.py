"""After issuing: read receipts, reminders, feedback and its consolidation, closing,
statistics and indicators."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from kuaiji.apps.command.directives import selectors
from kuaiji.apps.command.directives.feedback import close, submit_feedback
from kuaiji.apps.command.directives.indicators import feedback_rate, issued, read_rate
from kuaiji.apps.command.directives.reading import mark_read
from kuaiji.apps.command.directives.reminders import MAX_REMINDERS, remind_round, remind_unread
from kuaiji.apps.command.directives.statistics import directive_figures, overview
from kuaiji.apps.command.models import DirectiveStatus, DirectiveTarget, Feedback
from kuaiji.apps.command.tasks import remind_directives
from kuaiji.platform.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from kuaiji.platform.messaging.models import Notification, NotificationKind
from tests.command.directives.conftest import Office, later, pdf

pytestmark = pytest.mark.django_db


def reminders_of(office: Office) -> int:
    return Notification.objects.filter(kind=NotificationKind.REMINDER).count()


def test_reading_is_recorded_once_and_marks_the_notification(office: Office) -> None:
    directive = office.issue()
    first = later(1)
    assert mark_read(actor=office.clerk, directive=directive, now=first)
    assert not mark_read(actor=office.clerk, directive=directive, now=later(2))
    target = directive.targets.get(recipient=office.clerk)
    assert target.read_at == first
    assert Notification.objects.get(pk=target.notification_id).read_at is not None
    # the issuer opening it is no read receipt
    assert not mark_read(actor=office.leader, directive=directive)
    assert directive.targets.filter(read_at__isnull=False).count() == 1


def test_unread_targets_are_reminded_once_a_round_and_at_most_three_times(office: Office) -> None:
    directive = office.issue(deadline=None)  # urgent: every 4 hours
    mark_read(actor=office.department, directive=directive)
    start = directive.issued_at
    assert remind_round(later(3, start)).unread == 0
    assert remind_round(later(5, start)).unread == 1
    assert remind_round(later(5.5, start)).unread == 0  # the same round again: nobody twice
    assert remind_round(later(10, start)).unread == 1
    assert remind_round(later(15, start)).unread == 1
    assert remind_round(later(40, start)).unread == 0  # three is the most
    target = directive.targets.get(recipient=office.clerk)
    assert target.reminders == MAX_REMINDERS
    assert reminders_of(office) == MAX_REMINDERS
    assert (
        Notification.objects.filter(
            kind=NotificationKind.REMINDER, recipient=office.department
        ).count()
        == 0
    )


def test_routine_directives_wait_a_day_and_closed_ones_are_left_alone(office: Office) -> None:
    routine = office.issue(priority="routine", deadline=None)
    assert remind_round(later(20, routine.issued_at)).unread == 0
    assert remind_round(later(25, routine.issued_at)).unread == 2
    close(actor=office.leader, directive=routine, summary="已完成")
    assert remind_round(later(50, routine.issued_at)).unread == 0


def test_feedback_due_soon_is_reminded_once(office: Office) -> None:
    directive = office.issue(priority="routine", deadline=later(30))
    mark_read(actor=office.clerk, directive=directive)
    mark_read(actor=office.department, directive=directive)
    submit_feedback(actor=office.department, directive=directive, state="done", body="已排查")
    assert remind_round(later(2)).deadline == 0  # 30 hours ahead: not yet
    assert remind_round(later(8)).deadline == 1  # 22 hours ahead: the clerk owes feedback
    assert remind_round(later(9)).deadline == 0
    assert (
        Notification.objects.filter(kind=NotificationKind.REMINDER, recipient=office.clerk).count()
        == 1
    )


def test_the_periodic_task_runs_a_round(office: Office) -> None:
    office.issue(priority="critical", deadline=None)
    DirectiveTarget.objects.update(delivered_at=timezone.now() - timedelta(hours=2))
    assert remind_directives() == {"unread": 2, "deadline": 0}
    assert remind_directives() == {"unread": 0, "deadline": 0}


def test_the_issuer_reminds_the_unread_now(office: Office) -> None:
    directive = office.issue()
    mark_read(actor=office.clerk, directive=directive)
    assert remind_unread(actor=office.leader, directive=directive) == 1
    assert directive.targets.get(recipient=office.department).reminders == 1
    with pytest.raises(Forbidden):
        remind_unread(actor=office.clerk, directive=directive)
    with pytest.raises(NotFound):
        remind_unread(actor=office.east, directive=directive)


def test_feedback_latest_per_target_counts(office: Office) -> None:
    directive = office.issue(roles=[office.role("township_officer")])
    submit_feedback(
        actor=office.clerk, directive=directive, state="in_progress", body="排查中", now=later(1)
    )
    latest = submit_feedback(
        actor=office.clerk,
        directive=directive,
        state="done",
        body="已完成",
        attachment=pdf("照片.pdf"),
        now=later(2),
    )
    submit_feedback(
        actor=office.east, directive=directive, state="difficulty", body="缺少沙袋", now=later(3)
    )
    assert Feedback.objects.count() == 3
    assert latest.attachment_name == "照片.pdf"
    # a report counts as reading
    assert directive.targets.get(recipient=office.clerk).read_at is not None
    rows = selectors.target_rows(directive)
    summary = selectors.consolidate(rows)
    assert {state: n for state, _label, n in summary.states} == {
        "done": 1,
        "in_progress": 0,
        "difficulty": 1,
    }
    assert {row.target.recipient.username for row in summary.unanswered} == {
        "u_township_officer",
        "u_department_officer",
    }
    by_unit = {unit.unit: unit for unit in summary.units}
    market = by_unit["西区市场监管局"]
    assert market.targets == 2 and market.answered == 1
    assert market.latest is not None and market.latest.body == "已完成"
    # the issuer hears at once when a unit needs help
    assert Notification.objects.filter(recipient=office.leader, kind="notice").count() == 1


def test_only_targets_report_and_bad_feedback_is_refused(office: Office) -> None:
    directive = office.issue()
    with pytest.raises(Forbidden):
        submit_feedback(actor=office.leader, directive=directive, state="done", body="x")
    with pytest.raises(NotFound):
        submit_feedback(actor=office.east, directive=directive, state="done", body="x")
    with pytest.raises(InvalidInput) as refused:
        submit_feedback(actor=office.clerk, directive=directive, state="maybe", body=" ")
    assert set(refused.value.fields) == {"state", "body"}
    assert not Feedback.objects.exists()


def test_close_then_feedback_is_a_conflict(office: Office) -> None:
    directive = office.issue()
    with pytest.raises(Forbidden):
        close(actor=office.clerk, directive=directive, summary="x")
    with pytest.raises(InvalidInput):
        close(actor=office.leader, directive=directive, summary=" ")
    closed = close(actor=office.leader, directive=directive, summary="各单位均已落实")
    assert closed.status == DirectiveStatus.CLOSED and closed.closed_at is not None
    with pytest.raises(Conflict):
        close(actor=office.leader, directive=directive, summary="again")
    with pytest.raises(Conflict):
        submit_feedback(actor=office.clerk, directive=directive, state="done", body="迟到")
    with pytest.raises(Conflict):
        remind_unread(actor=office.leader, directive=directive)


def test_statistics_of_one_directive_and_of_a_period(office: Office) -> None:
    start = timezone.now() - timedelta(days=5)
    late = office.issue(
        key="late",
        regions=[office.region("330602"), office.region("330602001")],
        deadline=start + timedelta(days=1),
        now=start,
    )
    # department officer on time, clerk late, county read without feedback, township unread
    submit_feedback(
        actor=office.department, directive=late, state="done", body="好", now=later(2, start)
    )
    submit_feedback(
        actor=office.clerk, directive=late, state="done", body="迟", now=later(30, start)
    )
    mark_read(actor=office.county, directive=late, now=later(3, start))
    figures = directive_figures(late)
    assert figures.as_dict() == {
        "targets": 4,
        "delivered": 4,
        "read": 3,
        "read_rate": 0.75,
        "expected": 4,
        "answered": 2,
        "feedback_rate": 0.5,
        "late": 1,
        "overdue": 2,
    }
    office.issue(key="fresh", feedback_required=False)
    seen = overview(office.leader)
    assert seen.issued == 2
    assert seen.figures.targets == 6 and seen.figures.expected == 4
    assert seen.figures.overdue == 2
    units = {row.unit: row.figures for row in seen.units}
    assert units["西区市场监管局"].targets == 4 and units["西区市场监管局"].late == 1
    assert units["西区人民政府"].overdue == 1
    # the county officer views only directives of the county: none issued by the city
    assert overview(office.county).issued == 0
    with pytest.raises(InvalidInput):
        overview(office.leader, start=timezone.localdate(), end=timezone.localdate() - timedelta(1))


def test_indicators_count_by_the_targets_region(office: Office) -> None:
    directive = office.issue(roles=[office.role("township_officer")])
    mark_read(actor=office.east, directive=directive)
    submit_feedback(actor=office.east, directive=directive, state="done", body="已落实")
    today = timezone.localdate()
    west, east, city = office.region("330602"), office.region("330603"), office.region("330600")
    assert issued(city, today) == 1 and issued(west, today) == 1 and issued(east, today) == 1
    assert read_rate(east, today) == 1.0
    assert read_rate(west, today) == 0.0
    assert read_rate(city, today) == 0.25
    assert feedback_rate(city, today) == 0.25
    assert issued(city, today - timedelta(days=1)) == 0
    assert read_rate(city, today - timedelta(days=1)) is None
