"""The task-list indicators: open and overdue tasks at the end of a day, the on-time rate of
the day's acceptances, for a region and what lies below it."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from kuaiji.apps.command.checklists import acceptance, drawing
from kuaiji.apps.command.checklists.indicators import (
    INDICATORS,
    on_time_rate,
    open_tasks,
    overdue_tasks,
)
from kuaiji.platform.directory.models import Region
from kuaiji.platform.metrics.registry import specs
from tests.command.checklists.story import Story

pytestmark = pytest.mark.django_db
DAY = date(2026, 3, 10)


def at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def test_declared_for_the_metrics_layer() -> None:
    declared = specs()
    assert {spec.code for spec in INDICATORS} <= set(declared)
    assert declared["command.tasks.on_time_rate"].owner == "command"


def test_open_overdue_and_on_time(story: Story) -> None:
    west, east, city = (Region.objects.get(code=code) for code in ("330602", "330603", "330600"))
    made = drawing.draw_up(
        actor=story.leader,
        submission_key="i",
        title="清单",
        origin="plan",
        origin_reference="预案",
        tasks=[
            story.draft(
                starts_on=DAY - timedelta(days=20), deadline=DAY - timedelta(days=1), milestones=[]
            ),
            story.draft(starts_on=DAY - timedelta(days=20), deadline=DAY, milestones=[]),
            story.draft(
                starts_on=DAY - timedelta(days=20), deadline=DAY + timedelta(days=5), milestones=[]
            ),
        ],
        at=at(DAY - timedelta(days=21), 9),
    )
    assert open_tasks(city, DAY) == 0  # a draft counts nowhere
    drawing.publish(actor=story.leader, task_list=made, at=at(DAY - timedelta(days=20), 9))
    first, second, third = made.tasks.order_by("sequence")
    acceptance.submit(actor=story.lead_user, task=second, at=at(DAY, 9))
    acceptance.decide(actor=story.leader, task=second, accept=True, at=at(DAY, 15))
    acceptance.submit(actor=story.lead_user, task=first, at=at(DAY, 10))
    acceptance.decide(actor=story.leader, task=first, accept=True, at=at(DAY, 16))
    before = DAY - timedelta(days=1)
    assert (open_tasks(west, before), overdue_tasks(west, before)) == (3, 0)
    assert (open_tasks(west, DAY), overdue_tasks(west, DAY)) == (1, 0)
    assert open_tasks(city, DAY) == 1 and open_tasks(east, DAY) == 0
    assert on_time_rate(west, DAY) == 0.5  # the first was submitted a day late
    assert on_time_rate(west, before) is None
    later = DAY + timedelta(days=6)
    assert (open_tasks(west, later), overdue_tasks(west, later)) == (1, 1)
    assert third.deadline < later
