"""Supervision: reminders at yellow, escalation of overdue work with a record, urging, and
deadlines that wait for an unpublished calendar year."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from kuaiji.platform.chains import services
from kuaiji.platform.chains.models import (
    ChainInstance,
    ChainVersion,
    OverdueRecord,
    StepAction,
    TaskStatus,
    WorkTask,
)
from kuaiji.platform.chains.supervision import supervise
from kuaiji.platform.core.errors import NotFound
from kuaiji.platform.messaging.models import Notification, NotificationKind
from kuaiji.platform.workdays.models import PublishedYear
from tests.conftest import publish_calendar
from tests.directory.city import TinyCity

pytestmark = pytest.mark.django_db


def waiting_for_township(city: TinyCity) -> WorkTask:
    instance = services.start(
        actor=city.users["grid_worker"],
        definition="three_step",
        title="路灯不亮",
        business_type="test.event",
        grid=city.grid("330602001001001"),
    )
    report = instance.tasks.get(status=TaskStatus.OPEN)
    services.complete(actor=city.users["grid_worker"], task=report.pk, form={"opinion": "x"})
    return instance.tasks.get(status=TaskStatus.OPEN)


def inbox(user: object, kind: str) -> int:
    return Notification.objects.filter(recipient=user, kind=kind).count()


def test_yellow_reminds_once_and_overdue_escalates_once(
    city: TinyCity, three_step: ChainVersion
) -> None:
    task = waiting_for_township(city)
    township, county = city.users["township_officer"], city.users["county_officer"]
    assert task.yellow_at is not None and task.due_at is not None
    assert supervise(task.yellow_at - timedelta(seconds=1)).reminders == 0
    assert supervise(task.yellow_at + timedelta(seconds=1)).reminders == 1
    assert supervise(task.yellow_at + timedelta(seconds=2)).reminders == 0
    assert inbox(township, NotificationKind.REMINDER) == 1

    overdue = supervise(task.due_at + timedelta(seconds=1))
    assert overdue.escalations == 1
    assert supervise(task.due_at + timedelta(seconds=2)).escalations == 0
    record = OverdueRecord.objects.get(task=task)
    assert record.escalated_to.startswith("county_officer@region:")
    assert inbox(county, NotificationKind.ESCALATION) == 1
    assert task.instance.timeline.filter(action=StepAction.OVERDUE).exists()


def test_supervisors_urge_the_handlers(city: TinyCity, three_step: ChainVersion) -> None:
    task = waiting_for_township(city)
    services.urge(actor=city.users["county_officer"], task=task.pk, message="请今天内受理")
    assert inbox(city.users["township_officer"], NotificationKind.URGE) == 1
    assert WorkTask.objects.get(pk=task.pk).urge_count == 1
    with pytest.raises(NotFound):
        services.urge(actor=city.users["grid_worker"], task=task.pk, message="快")
    with pytest.raises(NotFound):
        services.urge(actor=city.users["department_officer"], task=task.pk, message="快")


def test_a_deadline_in_an_unpublished_year_waits(city: TinyCity, three_step: ChainVersion) -> None:
    PublishedYear.objects.all().delete()
    task = waiting_for_township(city)
    assert task.due_pending and task.due_at is None
    assert supervise().deadlines == 0
    publish_calendar()
    assert supervise().deadlines == 1
    filled = WorkTask.objects.get(pk=task.pk)
    assert filled.due_at is not None and not filled.due_pending
    assert ChainInstance.objects.filter(pk=task.instance_id).exists()


def test_health_warns_while_supervision_is_behind(
    client: Client, city: TinyCity, three_step: ChainVersion
) -> None:
    assert client.get("/healthz").json()["checks"]["chains"]["detail"] == "up to date"
    task = waiting_for_township(city)
    WorkTask.objects.filter(pk=task.pk).update(due_at=timezone.now() - timedelta(hours=1))
    answer = client.get("/healthz")
    assert answer.status_code == 200
    assert "1 overdue tasks" in answer.json()["checks"]["chains"]["warning"]
    supervise()
    assert client.get("/healthz").json()["checks"]["chains"]["detail"] == "up to date"
