"""Reads of grassroots governance: events within the reader's scope, one's own reports, the
manual triage queue, and the Open311 view of requests."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.db.models import QuerySet

from kuaiji.apps.grassroots.models import Event, EventStatus
from kuaiji.platform.core.errors import NotFound


def events(actor: Any) -> QuerySet[Event]:
    """Events in the actor's scope (a grid worker their grid, a township its township, the
    county centre its county), newest first."""
    return (
        Event.objects.visible_to(actor)
        .select_related("grid", "region")
        .order_by("-created_at", "-pk")
    )


def event(actor: Any, pk: int) -> Event:
    """One event in the actor's scope; NotFound otherwise."""
    found = events(actor).prefetch_related("photos").filter(pk=pk).first()
    if found is None:
        raise NotFound()
    return found


def my_reports(actor: Any) -> QuerySet[Event]:
    """The events the actor reported (citizens' tracking page)."""
    pk = getattr(actor, "pk", None)
    if pk is None:
        return Event.objects.none()
    return Event.objects.filter(reporter_id=pk).order_by("-created_at", "-pk")


def my_report(actor: Any, pk: int) -> Event:
    found = my_reports(actor).prefetch_related("photos").filter(pk=pk).first()
    if found is None:
        raise NotFound()
    return found


def triage_queue(actor: Any) -> QuerySet[Event]:
    """Events waiting for the county centre to classify them, oldest first."""
    return (
        Event.objects.visible_to(actor, "grassroots.event.triage")
        .filter(status=EventStatus.TRIAGE)
        .select_related("grid", "region")
        .order_by("created_at", "pk")
    )


def by_token(token: UUID) -> Event | None:
    """The event an Open311 token stands for."""
    return Event.objects.filter(token=token).first()
