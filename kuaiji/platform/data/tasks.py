"""Background jobs of the data platform."""

from __future__ import annotations

from celery import shared_task

from kuaiji.platform.data import flowback, quality
from kuaiji.platform.data.ingest.pulling import pull_due_sources, round_summary


@shared_task(name="data.pull_sources")
def pull_sources() -> dict[str, int]:
    """Pull every data source whose period has passed."""
    return round_summary(pull_due_sources())


@shared_task(name="data.assess_quality")
def assess_quality() -> int:
    """Check the quality of every resource (daily); returns how many were checked."""
    return quality.assess_all()


@shared_task(name="data.deliver_flowback")
def deliver_flowback() -> int:
    """Deliver every due flow-back subscription; returns the deliveries made."""
    return flowback.deliver_due()
