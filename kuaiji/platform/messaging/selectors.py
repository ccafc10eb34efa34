"""Reads of messaging: a person's own inbox, and nobody else's."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from kuaiji.platform.core.errors import NotFound
from kuaiji.platform.messaging.models import Notification


def inbox(actor: Any, unread_only: bool = False) -> QuerySet[Notification]:
    """The actor's notifications, newest first (none for an actor who is not a person)."""
    owner = getattr(actor, "pk", None)
    if owner is None:
        return Notification.objects.none()
    found = Notification.objects.filter(recipient_id=owner)
    if unread_only:
        found = found.filter(read_at__isnull=True)
    return found.order_by("-created_at", "-pk")


def unread_count(actor: Any) -> int:
    """How many of the actor's notifications are unread."""
    return inbox(actor, unread_only=True).count()


def notification(actor: Any, pk: int) -> Notification:
    """One of the actor's notifications; anyone else's is NotFound like a missing one."""
    found = inbox(actor).filter(pk=pk).first()
    if found is None:
        raise NotFound()
    return found
