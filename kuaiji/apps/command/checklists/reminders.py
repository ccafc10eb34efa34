"""The daily reminder to lead units: tasks due in `DUE_SOON_DAYS` days, and tasks whose deadline
passed yesterday (now late, red). Meant to run once a day (the periodic job is declared in
``kuaiji/apps/command/tasks.py``); each task is reminded on those two days only."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kuaiji.apps.command.checklists.common import tell
from kuaiji.apps.command.models import Task, TaskListStatus, TaskStatus
from kuaiji.platform.core.actors import SYSTEM

DUE_SOON_DAYS = 3
WAITING = (TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS, TaskStatus.RETURNED)


@transaction.atomic
def remind_due(today: date | None = None) -> int:
    """Tell the lead units of open tasks due soon or just overdue; the number of tasks."""
    day = today or timezone.localdate()
    soon, late = day + timedelta(days=DUE_SOON_DAYS), day - timedelta(days=1)
    tasks = (
        Task.objects.filter(
            task_list__status=TaskListStatus.PUBLISHED,
            status__in=WAITING,
            deadline__in=[soon, late],
        )
        .select_related("task_list", "lead_department")
        .order_by("pk")
    )
    count = 0
    for task in tasks:
        if task.deadline == soon:
            title = _("Due in %(days)d days: %(title)s") % {
                "days": DUE_SOON_DAYS,
                "title": task.title,
            }
        else:
            title = _("Overdue: %(title)s") % {"title": task.title}
        body = _("Deadline %(deadline)s, progress %(progress)d%%.") % {
            "deadline": task.deadline.isoformat(),
            "progress": task.progress,
        }
        tell(SYSTEM, [task.lead_department], task, title, body)
        count += 1
    return count
