"""Read receipts: a target opening a directive (its page or the API) is recorded once, and the
directive's notification in their inbox is marked read with it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from kuaiji.apps.command.models import Directive, DirectiveTarget
from kuaiji.platform.messaging import services as messaging


@transaction.atomic
def mark_read(*, actor: Any, directive: Directive, now: datetime | None = None) -> bool:
    """Record that the actor, a target of the directive, has read it (the first reading
    counts). Returns whether this call recorded it; anyone else changes nothing."""
    target = (
        DirectiveTarget.objects.filter(directive=directive, recipient_id=getattr(actor, "pk", None))
        .only("pk", "notification_id", "read_at")
        .first()
    )
    if target is None or target.read_at is not None:
        return False
    recorded = DirectiveTarget.objects.filter(pk=target.pk, read_at__isnull=True).update(
        read_at=now or timezone.now()
    )
    if recorded and target.notification_id is not None:
        messaging.mark_read(actor=actor, notification=target.notification_id)
    return bool(recorded)
