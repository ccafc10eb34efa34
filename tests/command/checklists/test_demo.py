"""The demo task lists on the small demo city: two lists of the city government, tasks
accepted, submitted and late, the key accounts leading and cooperating; loading twice changes
nothing."""

from __future__ import annotations

from typing import Any

import pytest

from kuaiji.apps.command.checklists.demo import STEPS
from kuaiji.apps.command.checklists.selectors import my_tasks, with_clocks
from kuaiji.apps.command.models import Acceptance, Evidence, ProgressReport, TaskList
from kuaiji.platform.directory.demo import STEPS as DIRECTORY_STEPS
from kuaiji.platform.identity.models import User

pytestmark = pytest.mark.django_db


def test_demo_task_lists(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    for step in DIRECTORY_STEPS:
        step.run("small")
    assert STEPS[0].run("small") == "2 created, 0 unchanged"
    counts = (TaskList.objects.count(), ProgressReport.objects.count(), Evidence.objects.count())
    assert STEPS[0].run("small") == "0 created, 2 unchanged"
    again = (TaskList.objects.count(), ProgressReport.objects.count(), Evidence.objects.count())
    assert counts == again and counts[0] == 2
    lists = {found.title: found for found in TaskList.objects.all()}
    reform = lists["2026年数字化改革重点任务清单"]
    assert reform.status == "published" and reform.issuing_department.code == "330600-GOV"
    assert (
        reform.tasks.count() == 8 and lists["防汛防台安全隐患排查整治任务清单"].tasks.count() == 6
    )
    statuses = set(reform.tasks.values_list("status", flat=True))
    assert {"accepted", "submitted", "in_progress", "not_started"} <= statuses
    assert Acceptance.objects.filter(decision="returned").exists()
    assert Acceptance.objects.filter(on_time=False).exists()
    for username in ("county", "department"):
        user = User.objects.get(username=username)
        lights = {row.clock.light for row in with_clocks(my_tasks(user))}
        assert lights, username
    department = with_clocks(my_tasks(User.objects.get(username="department")))
    assert "red" in {row.clock.light for row in department}
