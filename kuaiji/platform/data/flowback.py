"""Data flow-back (数据回流): counties and townships receive the rows of a resource that concern
their region.

A holder of ``data.flowback.subscribe`` subscribes a region within their scope to a resource
(any but a "not shared" one), naming the text field that holds region codes. On schedule
(Celery task ``data.deliver_flowback``) every subscription whose resource moved to a new data
version since its last delivery, and whose interval has passed, receives a `Delivery`: the rows
whose region field holds the code of the region or of any region below it.

Only fields of classification level 1 and 2 are delivered — whatever the resource's sharing
type or the subscriber's grants: restricted and sensitive fields never flow back. Every
delivery is logged as a `DataCall` on the flow-back channel (sealed in the audit chain).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from kuaiji.platform.access.scoping import grants_with, is_unrestricted
from kuaiji.platform.access.services import authorize
from kuaiji.platform.audit.services import record
from kuaiji.platform.core.errors import InvalidInput, NotFound
from kuaiji.platform.data.calls import log_call
from kuaiji.platform.data.models import (
    CallChannel,
    DataResource,
    Delivery,
    FieldType,
    Level,
    ResourceField,
    SharingType,
    Subscription,
)
from kuaiji.platform.data.rows import MAX_FILTER_VALUES, every_row
from kuaiji.platform.directory.models import Region

PERMISSION = "data.flowback.subscribe"
DELIVERED_LEVELS = (Level.PUBLIC, Level.INTERNAL)
MIN_MINUTES = 5
MAX_MINUTES = 31 * 24 * 60
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def delivered_fields(resource: DataResource) -> list[ResourceField]:
    """The fields a delivery carries: levels 1 and 2, in schema order."""
    return [
        item
        for item in sorted(resource.fields.all(), key=lambda item: item.position)
        if item.level in DELIVERED_LEVELS
    ]


def regions_of(actor: Any) -> QuerySet[Region]:
    """The regions the actor may subscribe for (its own grants' regions and those below)."""
    return Region.objects.visible_to(actor, PERMISSION)


def home_regions(actor: Any) -> list[Region]:
    """The regions of the actor's flow-back grants (the top of what it may subscribe for)."""
    regions = [grant.region for grant in grants_with(actor, PERMISSION) if grant.region]
    if not regions and is_unrestricted(actor):
        regions = list(Region.objects.filter(parent__isnull=True))
    return sorted({region.pk: region for region in regions}.values(), key=lambda r: r.path)


def _check_field(resource: DataResource, region_field: str) -> None:
    found = resource.fields.filter(name=region_field).first()
    if found is None:
        raise InvalidInput(fields={"region_field": _("The resource has no such field.")})
    if found.type != FieldType.STRING:
        raise InvalidInput(fields={"region_field": _("Region codes are kept in a text field.")})


@transaction.atomic
def subscribe(
    *,
    actor: Any,
    resource: DataResource,
    region: Region,
    region_field: str,
    every_minutes: int = 1440,
) -> Subscription:
    """Subscribe `region` (within the actor's scope) to the rows of `resource` whose
    `region_field` lies in it; subscribing again reactivates and reschedules."""
    authorize(actor, PERMISSION, region)
    if resource.sharing == SharingType.NOT_SHARED:
        raise InvalidInput(fields={"resource": _("This resource is not shared.")})
    _check_field(resource, region_field)
    if not MIN_MINUTES <= every_minutes <= MAX_MINUTES:
        raise InvalidInput(
            fields={"every_minutes": _("Between 5 minutes and 31 days (44640 minutes).")}
        )
    person = getattr(actor, "user", actor)  # an API key's owner for a key
    subscription, created = Subscription.objects.select_for_update().get_or_create(
        resource=resource,
        region=region,
        region_field=region_field,
        defaults={"every_minutes": every_minutes, "subscriber": person},
    )
    was_active = None if created else subscription.active
    was_every = None if created else subscription.every_minutes
    if not created:
        subscription.active = True
        subscription.every_minutes = every_minutes
        subscription.subscriber = person
        subscription.save(update_fields=["active", "every_minutes", "subscriber"])
    subscription.region = region
    record(
        actor=actor,
        action="data.flowback.subscribe",
        obj=subscription,
        changes={
            "resource": [None, resource.code],
            "region": [None, region.code],
            "region_field": [None, region_field],
            "active": [was_active, True],
            "every_minutes": [was_every, every_minutes],
        },
    )
    return subscription


def _visible_subscriptions(actor: Any) -> QuerySet[Subscription]:
    return Subscription.objects.filter(region__in=regions_of(actor))


@transaction.atomic
def unsubscribe(*, actor: Any, subscription: int) -> Subscription:
    """Stop a subscription of a region within the actor's scope (its deliveries stay)."""
    authorize(actor, PERMISSION)
    found = (
        _visible_subscriptions(actor)
        .select_related("region", "resource")
        .filter(pk=subscription)
        .first()
    )
    if found is None:
        raise NotFound()
    if found.active:
        found.active = False
        found.save(update_fields=["active"])
        record(
            actor=actor,
            action="data.flowback.unsubscribe",
            obj=found,
            changes={"active": [True, False]},
        )
    return found


def region_codes(region: Region) -> list[str]:
    """The codes of the region and of every region below it (by path prefix)."""
    return list(
        Region.objects.filter(path__startswith=region.path)
        .order_by("path")
        .values_list("code", flat=True)
    )


def _rows(
    resource: DataResource, region_field: str, codes: list[str], names: list[str]
) -> Iterator[dict[str, Any]]:
    """The rows whose region field is one of `codes` (asked in groups of at most 100)."""
    for start in range(0, len(codes), MAX_FILTER_VALUES):
        group = codes[start : start + MAX_FILTER_VALUES]
        yield from every_row(resource, fields=names, filters={region_field: group})


@transaction.atomic
def deliver(subscription: Subscription) -> Delivery | None:
    """Deliver the region's rows of the resource's current data version, unless the
    subscription already has them (or stopped, or the resource is no longer shared)."""
    subscription = (
        Subscription.objects.select_for_update()
        .select_related("resource", "region", "subscriber")
        .get(pk=subscription.pk)
    )
    resource = subscription.resource
    if (
        not subscription.active
        or resource.sharing == SharingType.NOT_SHARED
        or resource.data_version == subscription.last_delivered_version
        or not resource.fields.filter(name=subscription.region_field).exists()
    ):
        return None
    fields = delivered_fields(resource)
    names = [item.name for item in fields]
    codes = region_codes(subscription.region)
    rows = list(_rows(resource, subscription.region_field, codes, names)) if names else []
    now = timezone.now()
    delivery = Delivery.objects.create(
        subscription=subscription,
        at=now,
        data_version=resource.data_version,
        row_count=len(rows),
        rows=rows,
    )
    subscription.last_delivered_at = now
    subscription.last_delivered_version = resource.data_version
    subscription.save(update_fields=["last_delivered_at", "last_delivered_version"])
    withheld = [item.name for item in resource.fields.all() if item.level not in DELIVERED_LEVELS]
    log_call(
        actor=subscription.subscriber,
        resource=resource,
        channel=CallChannel.FLOWBACK,
        fields=names,
        rows=len(rows),
        purpose=_("Data flow-back to %(region)s") % {"region": subscription.region.code},
        query={
            "subscription": subscription.pk,
            "delivery": delivery.pk,
            "region": subscription.region.code,
            "region_field": subscription.region_field,
            "data_version": resource.data_version,
            "withheld": withheld,
        },
    )
    return delivery


def due(now: datetime | None = None) -> list[Subscription]:
    """Active subscriptions whose resource moved on and whose interval has passed."""
    now = now or timezone.now()
    moved = (
        Subscription.objects.filter(active=True)
        .exclude(last_delivered_version=F("resource__data_version"))
        .exclude(resource__sharing=SharingType.NOT_SHARED)
        .order_by("pk")
    )
    return [
        item
        for item in moved
        if item.last_delivered_at is None
        or item.last_delivered_at + timedelta(minutes=item.every_minutes) <= now
    ]


def deliver_due(now: datetime | None = None) -> int:
    """Deliver every due subscription (the scheduled job); returns the deliveries made."""
    return sum(1 for subscription in due(now) if deliver(subscription) is not None)


def my_subscriptions(actor: Any) -> QuerySet[Subscription]:
    """The subscriptions of the regions in the actor's scope, active ones first."""
    authorize(actor, PERMISSION)
    return (
        _visible_subscriptions(actor)
        .select_related("resource", "region", "subscriber")
        .order_by("-active", "resource__code", "region__path", "pk")
    )


def subscription_of(actor: Any, pk: int) -> Subscription:
    """One subscription within the actor's scope."""
    found = my_subscriptions(actor).filter(pk=pk).first()
    if found is None:
        raise NotFound()
    return found


def deliveries(actor: Any, subscription: int) -> QuerySet[Delivery]:
    """A subscription's deliveries, newest first, without their rows."""
    found = subscription_of(actor, subscription)
    return found.deliveries.defer("rows").order_by("-at", "-pk")


def delivery(actor: Any, pk: int) -> Delivery:
    """One delivery, with its rows, of a subscription within the actor's scope."""
    authorize(actor, PERMISSION)
    found = (
        Delivery.objects.filter(Q(subscription__in=_visible_subscriptions(actor)), pk=pk)
        .select_related("subscription__resource", "subscription__region")
        .first()
    )
    if found is None:
        raise NotFound()
    return found


def columns(found: Delivery) -> list[str]:
    """The field names of a delivery, as its rows carry them."""
    first = found.rows[0] if found.rows else None
    if isinstance(first, dict):
        return list(first)
    return [item.name for item in delivered_fields(found.subscription.resource)]


def as_csv(found: Delivery) -> str:
    """A delivery's rows as CSV text (UTF-8 with a BOM, so spreadsheets read Chinese)."""
    names = columns(found)
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow(names)
    for row in found.rows:
        writer.writerow([_cell(row.get(name)) for name in names])
    return buffer.getvalue()


def _cell(value: Any) -> Any:
    """A value as a CSV cell; text a spreadsheet would take for a formula is quoted."""
    if value is None:
        return ""
    if isinstance(value, str) and value[:1] in FORMULA_STARTS:
        return "'" + value
    return value
