"""Writes of messaging: sending notifications and read receipts.

`notify` is called by other services (chains, reform, apps) once they have authorised their own
action, so it checks no permission of its own; it checks its input, writes the inbox rows and
one delivery per external channel, and hands the deliveries to the `deliver` task only after
the surrounding transaction commits: a rolled-back change sends nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kuaiji.platform.audit.services import Change, record_changes
from kuaiji.platform.core.errors import InvalidInput, NotFound
from kuaiji.platform.messaging.models import (
    Channel,
    Delivery,
    Notification,
    NotificationKind,
)

logger = logging.getLogger(__name__)

TITLE_MAX = Notification._meta.get_field("title").max_length or 200
LINK_MAX = Notification._meta.get_field("link").max_length or 500


def _checked(kind: str, title: str, link: str, channels: Iterable[str]) -> list[str]:
    errors: dict[str, str] = {}
    if kind not in NotificationKind.values:
        errors["kind"] = _("Unknown kind of notification.")
    if not title.strip():
        errors["title"] = _("A notification needs a title.")
    elif len(title) > TITLE_MAX:
        errors["title"] = _("At most %(count)d characters.") % {"count": TITLE_MAX}
    if link and (not link.startswith("/") or link.startswith("//") or len(link) > LINK_MAX):
        errors["link"] = _("A path on this site, beginning with a single /.")
    wanted = list(dict.fromkeys(channels))
    if any(channel not in Channel.values for channel in wanted):
        errors["channels"] = _("Channels are e-mail and SMS.")
    if errors:
        raise InvalidInput(fields=errors)
    return wanted


@transaction.atomic
def notify(
    *,
    actor: Any,
    recipients: Iterable[Any],
    kind: str,
    title: str,
    body: str,
    link: str = "",
    channels: Iterable[str] = (),
) -> list[Notification]:
    """Put a notification in each recipient's inbox and, after commit, send it through
    `channels` ("email", "sms"). Returns the notifications in the order of `recipients`."""
    wanted = _checked(kind, title, link, channels)
    people = list({person.pk: person for person in recipients}.values())
    now = timezone.now()
    notifications = Notification.objects.bulk_create(
        Notification(recipient=person, kind=kind, title=title, body=body, link=link, created_at=now)
        for person in people
    )
    deliveries = Delivery.objects.bulk_create(
        Delivery(notification=notification, channel=channel)
        for notification in notifications
        for channel in wanted
    )
    record_changes(
        Change(
            actor=actor,
            action="messaging.notification.create",
            object_type="messaging.notification",
            object_id=str(notification.pk),
            object_label=kind,
            changes={
                "recipient": [None, notification.recipient_id],
                "kind": [None, kind],
                "channels": [None, ",".join(wanted)],
            },
        )
        for notification in notifications
    )
    ids = [delivery.pk for delivery in deliveries]
    if ids:
        transaction.on_commit(lambda: _schedule(ids), robust=True)
    return notifications


def _schedule(delivery_ids: list[int]) -> None:
    from kuaiji.platform.messaging.tasks import deliver

    deliver.delay(delivery_ids)


@transaction.atomic
def mark_read(*, actor: Any, notification: Notification | int) -> Notification:
    """Record that the recipient has read a notification (the first reading counts).

    Only the recipient may: anyone else's notification answers NotFound like a missing one.
    """
    pk = notification.pk if isinstance(notification, Notification) else notification
    owner = getattr(actor, "pk", None)
    found = Notification.objects.select_for_update().filter(pk=pk, recipient_id=owner).first()
    if owner is None or found is None:
        raise NotFound()
    if found.read_at is None:
        found.read_at = timezone.now()
        found.save(update_fields=["read_at"])
    return found
