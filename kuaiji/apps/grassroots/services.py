"""Writes of grassroots governance: reporting events and classifying the unclear ones.

`report_event` is the one way in for every channel (work front, service front, hotline import,
Open311): it checks the report, places it in a grid, classifies it (the reporter's category, or
the triage model's when it is confident enough), suggests a duplicate, keeps the photos, and
starts the grid-event chain; an event the model is unsure of waits in the county centre's manual
triage queue until someone classifies it (`classify`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kuaiji.apps.grassroots import photos as event_photos
from kuaiji.apps.grassroots.location import Placed, place
from kuaiji.apps.grassroots.models import Event, EventSource, EventStatus, Urgency
from kuaiji.apps.grassroots.progress import BUSINESS_TYPE
from kuaiji.apps.grassroots.triage import taxonomy
from kuaiji.apps.grassroots.triage.classifier import current_model
from kuaiji.platform.access.services import authorize, has_permission
from kuaiji.platform.audit.services import record
from kuaiji.platform.chains import services as chains
from kuaiji.platform.core.actors import SYSTEM
from kuaiji.platform.core.errors import Forbidden, InvalidInput, NotFound
from kuaiji.platform.directory.models import Department
from kuaiji.platform.identity.models import AccountKind, User

DESCRIPTION_MIN, DESCRIPTION_MAX = 5, 2000
METRES_PER_DEGREE = 111_320.0
CITIZEN_KINDS = (AccountKind.CITIZEN, AccountKind.ENTERPRISE_OPERATOR)


def _may_report(actor: Any) -> bool:
    """Citizens and enterprises report as themselves; staff and machine clients need the
    permission."""
    if getattr(actor, "kind", None) in CITIZEN_KINDS:
        return bool(actor.is_authenticated)
    return has_permission(actor, "grassroots.event.report")


def _problems(text: str, category: str, urgency: str, source: str) -> dict[str, str]:
    """What is wrong with a report's fields, by field."""
    errors: dict[str, str] = {}
    if not DESCRIPTION_MIN <= len(text) <= DESCRIPTION_MAX:
        errors["description"] = _("Describe the problem in %(low)d to %(high)d characters.") % {
            "low": DESCRIPTION_MIN,
            "high": DESCRIPTION_MAX,
        }
    if category and category not in taxonomy.codes():
        errors["category"] = _("Unknown category.")
    if urgency not in Urgency.values:
        errors["urgency"] = _("Urgency is normal, urgent or critical.")
    if source not in EventSource.values:
        errors["source"] = _("Unknown source.")
    return errors


@transaction.atomic
def report_event(
    *,
    actor: Any,
    source: str,
    channel: str,
    description: str,
    longitude: float | None = None,
    latitude: float | None = None,
    address: str = "",
    category: str = "",
    urgency: str = Urgency.NORMAL,
    reporter_name: str = "",
    reporter_phone: str = "",
    photos: Sequence[UploadedFile[bytes]] = (),
    external_ref: str = "",
    reported_at: datetime | None = None,
) -> Event:
    """Take in a report from any channel and set it on its way. `external_ref` is the report's
    number at its source (a 12345 ticket), `reported_at` when the source took it."""
    if not _may_report(actor):
        raise Forbidden()
    text = (description or "").strip()
    errors = _problems(text, category, urgency, source)
    try:
        placed = place(longitude, latitude, address)
    except InvalidInput as refused:
        errors.update({name: str(message) for name, message in refused.fields.items()})
    if errors:
        raise InvalidInput(fields=errors)
    if getattr(actor, "kind", None) not in CITIZEN_KINDS:
        try:
            authorize(actor, "grassroots.event.report", placed.grid)
        except NotFound as outside:
            message = _("This place lies outside the area you report for.")
            raise InvalidInput(fields={"location": message}) from outside
    event_photos.check(list(photos))
    event = Event(
        source=source,
        channel=channel,
        description=text,
        longitude=placed.longitude,
        latitude=placed.latitude,
        address=address.strip()[:200],
        grid=placed.grid,
        region=placed.grid.region,
        region_path=placed.grid.region.path,
        reporter=actor if isinstance(actor, User) else None,
        reporter_name=reporter_name.strip()[:50],
        reporter_phone=reporter_phone.strip()[:20],
        urgency=urgency,
        external_ref=external_ref[:40],
        created_at=reported_at or timezone.now(),
    )
    _classify(event, category)
    event.duplicate_of = _duplicate_of(event, placed)
    event.save()
    for upload in photos:
        event_photos.attach(event, upload)
    record(
        actor=actor,
        action="grassroots.event.report",
        obj=event,
        changes={"category": [None, event.category], "source": [None, source]},
    )
    if event.category:
        _start_chain(event)
    return event


def _classify(event: Event, chosen: str) -> None:
    """The reporter's category, or the model's when it is confident; else manual triage."""
    prediction = current_model().predict(event.description)
    event.predicted_category, event.confidence = prediction.category, prediction.confidence
    threshold = float(settings.KUAIJI_TRIAGE_MIN_CONFIDENCE)
    code = chosen or (prediction.category if prediction.confidence >= threshold else "")
    if code:
        _set_category(event, code)
    else:
        event.status = EventStatus.TRIAGE
        event.status_note = _("Waiting for the county centre to classify it.")


def _set_category(event: Event, code: str) -> None:
    if code not in taxonomy.codes():
        raise InvalidInput(fields={"category": _("Unknown category.")})
    found = taxonomy.category(code)
    event.category, event.platform = found.code, found.platform
    county = event.region.path.strip("/").split("/")[:2][-1]
    event.department = Department.objects.filter(code=f"{county}-{found.department}").first()


def _duplicate_of(event: Event, placed: Placed) -> Event | None:
    """An open event of the same category near this one, reported recently."""
    if not event.category:
        return None
    metres = float(settings.KUAIJI_DUPLICATE_METRES)
    since = timezone.now() - timedelta(hours=int(settings.KUAIJI_DUPLICATE_HOURS))
    lat, lon = float(placed.latitude), float(placed.longitude)
    delta_lat = metres / METRES_PER_DEGREE
    delta_lon = metres / (METRES_PER_DEGREE * max(math.cos(math.radians(lat)), 0.01))
    nearby = Event.objects.open().filter(
        category=event.category,
        created_at__gte=since,
        latitude__range=(lat - delta_lat, lat + delta_lat),
        longitude__range=(lon - delta_lon, lon + delta_lon),
    )
    for other in nearby.order_by("-created_at")[:20]:
        if _metres(lat, lon, float(other.latitude or 0), float(other.longitude or 0)) <= metres:
            return other
    return None


def _metres(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Distance on the earth's surface (haversine), in metres."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * 6_371_000 * math.asin(math.sqrt(h))


def _start_chain(event: Event) -> None:
    name = taxonomy.category(event.category).name
    chains.start(
        actor=SYSTEM,
        definition="grid_event",
        title=f"{name}：{event.description[:40]}"[:200],
        business_type=BUSINESS_TYPE,
        business_id=str(event.pk),
        grid=event.grid,
        department=event.department,
        data={"category": event.category, "platform": event.platform},
        starter=event.reporter,
    )
    event.refresh_from_db(fields=["instance", "status", "status_note"])


@transaction.atomic
def classify(*, actor: Any, event: int, category: str) -> Event:
    """Classify an event of the manual triage queue; its chain starts."""
    found = (
        Event.objects.visible_to(actor, "grassroots.event.triage")
        .select_for_update(of=("self",))
        .select_related("region", "grid")
        .filter(pk=event)
        .first()
    )
    if found is None:
        raise NotFound()
    if found.status != EventStatus.TRIAGE or found.instance_id is not None:
        raise InvalidInput(fields={"category": _("This event is already classified.")})
    _set_category(found, category)
    found.save(update_fields=["category", "platform", "department", "updated_at"])
    record(
        actor=actor,
        action="grassroots.event.classify",
        obj=found,
        changes={"category": [found.predicted_category, found.category]},
    )
    _start_chain(found)
    return found


@transaction.atomic
def merge(*, actor: Any, event: int, into: int) -> Event:
    """Merge an event into the one it repeats: its chain is cancelled, it closes as merged, and
    its reporter follows the other event."""
    found = {
        item.pk: item
        for item in Event.objects.visible_to(actor, "grassroots.event.merge")
        .select_for_update(of=("self",))
        .filter(pk__in=[event, into])
    }
    if event == into or event not in found or into not in found:
        raise NotFound()
    duplicate, kept = found[event], found[into]
    if not duplicate.is_open or not kept.is_open:
        raise InvalidInput(fields={"into": _("Only open events are merged.")})
    if duplicate.instance_id is not None:
        chains.cancel(
            actor=actor,
            instance=duplicate.instance_id,
            reason=_("Merged into %(number)s.") % {"number": kept.number},
        )
    duplicate.status, duplicate.duplicate_of = EventStatus.MERGED, kept
    duplicate.status_note = (_("Merged into %(number)s.") % {"number": kept.number})[:200]
    duplicate.closed_at = timezone.now()
    duplicate.save(update_fields=["status", "duplicate_of", "status_note", "closed_at"])
    record(
        actor=actor,
        action="grassroots.event.merge",
        obj=duplicate,
        changes={"merged_into": [None, kept.number]},
    )
    return duplicate
