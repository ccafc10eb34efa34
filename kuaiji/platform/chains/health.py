"""The chains' line in the health report: warns when supervision has fallen behind (timers or
overdue tasks waiting longer than three rounds of the job), which means the job is not running."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError
from django.utils import timezone

from kuaiji.platform.chains.models import ChainInstance, InstanceStatus, WorkTask
from kuaiji.platform.core.health import CheckResult

ROUNDS_BEHIND = 3


def check_supervision() -> CheckResult:
    """Healthy either way (serving goes on); a backlog is a warning for operators."""
    behind = timezone.now() - timedelta(
        seconds=ROUNDS_BEHIND * int(settings.KUAIJI_SUPERVISION_SECONDS)
    )
    try:
        timers = ChainInstance.objects.filter(
            status=InstanceStatus.RUNNING, wakes_at__lt=behind
        ).count()
        overdue = WorkTask.objects.open().filter(due_at__lt=behind, escalated_at=None).count()
    except DatabaseError as exc:
        return {"ok": True, "detail": "unknown", "warning": str(exc)}
    if timers or overdue:
        return {
            "ok": True,
            "detail": "behind",
            "warning": f"{timers} timers and {overdue} overdue tasks wait for the supervision job",
        }
    return {"ok": True, "detail": "up to date"}
