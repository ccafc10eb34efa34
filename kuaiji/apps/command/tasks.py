"""Background jobs of holistic governance."""

from __future__ import annotations

from celery import shared_task

from kuaiji.apps.command.checklists.reminders import remind_due
from kuaiji.apps.command.directives.reminders import remind_round


@shared_task(name="command.remind_directives")
def remind_directives() -> dict[str, int]:
    """Remind the targets who have not read a directive, and those whose feedback is due."""
    done = remind_round()
    return {"unread": done.unread, "deadline": done.deadline}


@shared_task(name="command.remind_due_tasks")
def remind_due_tasks() -> int:
    """Tell lead units of their tasks due in three days or overdue since yesterday."""
    return remind_due()
