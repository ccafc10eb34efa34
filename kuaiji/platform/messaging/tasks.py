"""Sending deliveries through their channels' senders."""

from __future__ import annotations

import logging

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from kuaiji.platform.messaging.models import Delivery, DeliveryStatus
from kuaiji.platform.messaging.senders import sender_for

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5


@shared_task(name="messaging.deliver")
def deliver(delivery_ids: list[int]) -> dict[str, int]:
    """Send each delivery that is not sent yet; returns how many were sent, failed, skipped.

    Idempotent: each delivery is sent under a lock on its row and marked sent in the same
    transaction, so running the task again (a retry, a duplicate message) never sends a sent
    delivery twice. A failed one is tried again up to MAX_ATTEMPTS times in all.
    """
    counts = {"sent": 0, "failed": 0, "skipped": 0}
    for pk in delivery_ids:
        with transaction.atomic():
            delivery = (
                Delivery.objects.select_for_update()
                .select_related("notification__recipient")
                .filter(pk=pk)
                .first()
            )
            if (
                delivery is None
                or delivery.status == DeliveryStatus.SENT
                or delivery.attempts >= MAX_ATTEMPTS
            ):
                counts["skipped"] += 1
                continue
            delivery.attempts += 1
            try:
                sender_for(delivery.channel).send(delivery.notification)
            except Exception as exc:  # any failure of a sender is recorded, not raised
                delivery.status = DeliveryStatus.FAILED
                delivery.last_error = f"{type(exc).__name__}: {exc}"[:500]
                logger.warning(
                    "delivery %s by %s failed (attempt %s): %s",
                    delivery.pk,
                    delivery.channel,
                    delivery.attempts,
                    type(exc).__name__,
                )
                counts["failed"] += 1
            else:
                delivery.status = DeliveryStatus.SENT
                delivery.sent_at = timezone.now()
                delivery.last_error = ""
                counts["sent"] += 1
            delivery.save(update_fields=["status", "attempts", "last_error", "sent_at"])
    return counts
