"""Background jobs of chains."""

from __future__ import annotations

from dataclasses import asdict

from celery import shared_task

from kuaiji.platform.chains.supervision import supervise


@shared_task(name="chains.supervise")
def supervise_chains() -> dict[str, int]:
    """One round of supervision: timers, reminders, escalation of overdue tasks."""
    return asdict(supervise())
