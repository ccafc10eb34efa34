"""The lights: each rule as a function, and the database's expression agreeing with it."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from kuaiji.apps.command.models import Task, TaskStatus
from kuaiji.apps.command.supervision import lights
from kuaiji.platform.workdays.calendar import Light
from tests.command.supervision.scene import checklist_task, task_list
from tests.directory.city import TinyCity

NOW = datetime(2026, 3, 10, 9, 30, tzinfo=timezone.get_fixed_timezone(480))


def test_a_chain_task_is_red_when_due_and_yellow_from_its_yellow_moment() -> None:
    due, yellow = NOW + timedelta(hours=5), NOW - timedelta(hours=1)
    assert lights.chain_light(due, yellow, NOW) == Light.YELLOW
    assert lights.chain_light(due, NOW + timedelta(hours=1), NOW) == Light.GREEN
    assert lights.chain_light(NOW, yellow, NOW) == Light.RED
    assert lights.chain_light(None, None, NOW) == Light.GREEN


def test_a_directive_target_is_yellow_within_a_day_and_red_after_the_deadline() -> None:
    assert lights.directive_light(NOW + timedelta(hours=25), NOW) == Light.GREEN
    assert lights.directive_light(NOW + timedelta(hours=24), NOW) == Light.YELLOW
    assert lights.directive_light(NOW + timedelta(minutes=1), NOW) == Light.YELLOW
    assert lights.directive_light(NOW, NOW) == Light.RED
    assert lights.directive_light(None, NOW) == Light.GREEN


def test_a_checklist_task_follows_the_stopwatch() -> None:
    today = date(2026, 3, 10)
    task = {"starts_on": date(2026, 1, 1), "progress": 90, "status": TaskStatus.IN_PROGRESS}

    def light(days: int, **changes: object) -> str:
        values = {**task, **changes}
        return lights.checklist_light(deadline=today + timedelta(days=days), today=today, **values)

    assert light(-1) == "red"
    assert light(0) == "yellow"
    assert light(3) == "yellow"
    assert light(4) == "green"
    assert light(20, progress=10) == "yellow"  # the time gone runs ahead of the progress
    assert light(-5, status=TaskStatus.ACCEPTED) == "green"


def test_days_late_count_calendar_days() -> None:
    assert lights.days_late(None, NOW) == 0
    assert lights.days_late(NOW + timedelta(minutes=1), NOW) == 0
    assert lights.days_late(NOW - timedelta(minutes=1), NOW) == 1
    assert lights.days_late(NOW - timedelta(days=2, hours=1), NOW) == 2
    end_of_deadline = lights.checklist_due(date(2026, 3, 8))
    assert lights.days_late(end_of_deadline, NOW) == 2  # deadline the 8th, today the 10th


@pytest.mark.django_db
def test_the_database_gives_every_checklist_task_the_stopwatch_light(city: TinyCity) -> None:
    today = timezone.localdate()
    tasks = task_list(city, "QD-L", "330602")
    cases = []
    sequence = 0
    for starts in (-60, -30, -10, -1, 0, 2):
        for length in (0, 1, 3, 4, 10, 40, 99):
            for progress in (0, 1, 19, 20, 50, 51, 100):
                deadline = today + timedelta(days=starts + length)
                sequence += 1
                cases.append(
                    checklist_task(
                        tasks,
                        sequence,
                        "330602001",
                        deadline,
                        starts_on=today + timedelta(days=starts),
                        progress=progress,
                    )
                )
    found = dict(
        Task.objects.filter(task_list=tasks)
        .annotate(light=lights.checklist_light_expression(today))
        .values_list("pk", "light")
    )
    expected = {
        task.pk: lights.checklist_light(
            starts_on=task.starts_on,
            deadline=task.deadline,
            progress=task.progress,
            status=task.status,
            today=today,
        ).value
        for task in cases
    }
    assert found == expected
    assert set(found.values()) == {"red", "yellow", "green"}
