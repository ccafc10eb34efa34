"""A scene of supervised work in the tiny city, built as the apps would leave it.

In the west county (330602), township 330602001:
- a grid event whose township step is two days overdue (red), and one still green;
- a service application whose acceptance is overdue (red);
- a checklist task two days past its deadline (red) and one due in two days (yellow);
- a directive whose deadline passed an hour ago without feedback from its target (red), and
  one due in twelve hours (yellow).
In the east county (330603): a grid event overdue (red) and a checklist task on track (green).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from kuaiji.apps.command.models import (
    Directive,
    DirectiveTarget,
    Task,
    TaskList,
    TaskListStatus,
    TaskStatus,
)
from kuaiji.platform.chains import services as chains
from kuaiji.platform.chains.models import TaskStatus as ChainTaskStatus
from kuaiji.platform.chains.models import WorkTask
from kuaiji.platform.directory.models import Department, Region
from tests.directory.city import TinyCity


@dataclass
class Scene:
    city: TinyCity
    event: WorkTask
    calm_event: WorkTask
    application: WorkTask
    east_event: WorkTask
    late_task: Task
    near_task: Task
    east_task: Task
    late_target: DirectiveTarget
    near_target: DirectiveTarget


def chain_task(
    city: TinyCity, business_type: str, business_id: str, grid: str, *, hours_late: float | None
) -> WorkTask:
    """A three-step chain waiting for the township, `hours_late` past its limit (None: due in
    ten days)."""
    starter = city.users["platform_admin"]
    instance = chains.start(
        actor=starter,
        definition="three_step",
        title=f"{business_type} {business_id}",
        business_type=business_type,
        business_id=business_id,
        grid=city.grid(grid),
    )
    report = instance.tasks.get(status=ChainTaskStatus.OPEN)
    chains.complete(actor=starter, task=report.pk, form={"opinion": "x"})
    task = instance.tasks.get(status=ChainTaskStatus.OPEN)
    now = timezone.now()
    if hours_late is None:
        due, yellow = now + timedelta(days=10), now + timedelta(days=8)
    else:
        due = now - timedelta(hours=hours_late)
        yellow = due - timedelta(hours=4)
    WorkTask.objects.filter(pk=task.pk).update(due_at=due, yellow_at=yellow)
    task.refresh_from_db()
    return task


def task_list(city: TinyCity, number: str, county: str) -> TaskList:
    region = Region.objects.get(code=county)
    office = Department.objects.get(code=f"{county}-SCJ")
    return TaskList.objects.create(
        number=number,
        submission_key=f"scene-{number}",
        title=f"清单{number}",
        origin="plan",
        issuing_department=office,
        region=region,
        region_path=region.path,
        department_path=office.path,
        status=TaskListStatus.PUBLISHED,
        created_by=city.users["county_officer"],
    )


def checklist_task(
    tasks: TaskList, sequence: int, township: str, deadline: date, **fields: Any
) -> Task:
    lead = Department.objects.get(code=f"{township}-OFFICE")
    values: dict[str, Any] = {
        "task_list": tasks,
        "sequence": sequence,
        "title": f"任务{sequence}",
        "target_value": 10,
        "unit": "个",
        "lead_department": lead,
        "region_path": Region.objects.get(code=township).path,
        "department_path": lead.path,
        "starts_on": deadline - timedelta(days=40),
        "deadline": deadline,
        "status": TaskStatus.IN_PROGRESS,
        "progress": 90,
    }
    values.update(fields)
    return Task.objects.create(**values)


def directive_target(city: TinyCity, number: str, hours_left: float) -> DirectiveTarget:
    region = Region.objects.get(code="330600")
    directive = Directive.objects.create(
        number=number,
        submission_key=f"key-{number}",
        title=f"指令{number}",
        body="请反馈",
        issuer=city.users["city_leader"],
        region=region,
        region_path=region.path,
        deadline=timezone.now() + timedelta(hours=hours_left),
    )
    township = Region.objects.get(code="330602001")
    return DirectiveTarget.objects.create(
        directive=directive,
        recipient=city.users["township_officer"],
        department=Department.objects.get(code="330602001-OFFICE"),
        region=township,
    )


def build_scene(city: TinyCity) -> Scene:
    today = timezone.localdate()
    west = task_list(city, "QD-W", "330602")
    east = task_list(city, "QD-E", "330603")
    return Scene(
        city=city,
        event=chain_task(city, "grassroots.event", "41", "330602001001001", hours_late=49),
        calm_event=chain_task(city, "grassroots.event", "42", "330602001001002", hours_late=None),
        application=chain_task(
            city, "government.application", "999999", "330602001001001", hours_late=3
        ),
        east_event=chain_task(city, "grassroots.event", "43", "330603001001001", hours_late=1),
        late_task=checklist_task(west, 1, "330602001", today - timedelta(days=2)),
        near_task=checklist_task(west, 2, "330602001", today + timedelta(days=2)),
        east_task=checklist_task(east, 1, "330603001", today + timedelta(days=30), progress=50),
        late_target=directive_target(city, "ZL-1", -1),
        near_target=directive_target(city, "ZL-2", 12),
    )
