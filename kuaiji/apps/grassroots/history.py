"""Events handled before the platform went live, brought over from the grid system it replaces:
closed, with their outcome and rating, and without a chain (their handling happened there).
They count in the statistics like any other closed event."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from kuaiji.apps.grassroots.models import Channel, Event, EventStatus, Rating, Urgency
from kuaiji.apps.grassroots.triage import taxonomy
from kuaiji.platform.access.services import authorize
from kuaiji.platform.audit.services import Change, record_changes
from kuaiji.platform.core.errors import InvalidInput
from kuaiji.platform.directory.models import Grid


@dataclass(frozen=True)
class PastEvent:
    """One closed event of the former system."""

    reference: str
    source: str
    category: str
    description: str
    grid: Grid
    longitude: Decimal
    latitude: Decimal
    reported_at: datetime
    closed_at: datetime
    rating: str = Rating.SATISFIED
    urgency: str = Urgency.NORMAL


@transaction.atomic
def bring_over(*, actor: Any, events: list[PastEvent]) -> int:
    """Store past closed events not stored yet (by source and reference); returns how many."""
    authorize(actor, "grassroots.event.triage")
    for past in events:
        if past.category not in taxonomy.codes() or past.closed_at < past.reported_at:
            raise InvalidInput(
                _("%(reference)s: unknown category or closed before reported.")
                % {"reference": past.reference}
            )
    known = set(
        Event.objects.filter(external_ref__in=[past.reference for past in events]).values_list(
            "source", "external_ref"
        )
    )
    fresh = [past for past in events if (past.source, past.reference) not in known]
    created = Event.objects.bulk_create(
        Event(
            source=past.source,
            channel=Channel.FORMER_SYSTEM,
            external_ref=past.reference,
            category=past.category,
            platform=taxonomy.category(past.category).platform,
            description=past.description,
            longitude=past.longitude,
            latitude=past.latitude,
            grid=past.grid,
            region=past.grid.region,
            region_path=past.grid.region.path,
            urgency=past.urgency,
            status=EventStatus.CLOSED,
            status_note=_("Handled in the former grid system."),
            rating=past.rating,
            created_at=past.reported_at,
            closed_at=past.closed_at,
        )
        for past in fresh
    )
    record_changes(
        Change(
            actor=actor,
            action="grassroots.event.bring_over",
            object_type="grassroots.event",
            object_id=str(event.pk),
            object_label=event.external_ref,
            region_path=event.region_path,
            changes={"category": [None, event.category], "status": [None, event.status]},
        )
        for event in created
    )
    return len(created)
