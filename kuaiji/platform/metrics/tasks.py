"""Background jobs of the metrics layer."""

from __future__ import annotations

from celery import shared_task

from kuaiji.platform.metrics.refresh import due_codes, refresh


@shared_task(name="metrics.refresh")
def refresh_metrics() -> int:
    """Refresh yesterday's and today's values of every indicator that is due."""
    return refresh(indicators=due_codes())
