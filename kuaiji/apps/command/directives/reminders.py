"""Reminders: the periodic round (`command.remind_directives`) and "remind the unread now".

A target who has not read an issued directive is reminded once its priority's interval has
passed since delivery (or since the last reminder), at most `MAX_REMINDERS` times. A target
who owes feedback is reminded once when the deadline is less than `DEADLINE_WINDOW` away.
Each reminder is claimed with a conditional UPDATE before it is sent, so rounds running at
the same time remind nobody twice, and each target is handled in its own transaction.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kuaiji.apps.command.directives.common import audit, link, managed, still_issued
from kuaiji.apps.command.models import (
    Directive,
    DirectivePriority,
    DirectiveStatus,
    DirectiveTarget,
    Feedback,
)
from kuaiji.platform.core.actors import SYSTEM
from kuaiji.platform.messaging.models import NotificationKind
from kuaiji.platform.messaging.services import notify

logger = logging.getLogger(__name__)

MAX_REMINDERS = 3
UNREAD_AFTER = {
    DirectivePriority.ROUTINE: timedelta(hours=24),
    DirectivePriority.URGENT: timedelta(hours=4),
    DirectivePriority.CRITICAL: timedelta(hours=1),
}
DEADLINE_WINDOW = timedelta(hours=24)
BATCH = 500


@dataclass
class Round:
    """What one round of reminders did."""

    unread: int = 0
    deadline: int = 0


def _tell(actor: Any, target: DirectiveTarget, title: str) -> None:
    directive = target.directive
    notify(
        actor=actor,
        recipients=[target.recipient],
        kind=NotificationKind.REMINDER,
        title=f"{title} · {directive.title}"[:200],
        body=_("Directive %(number)s from %(issuer)s.")
        % {"number": directive.number, "issuer": directive.issuer},
        link=link(directive),
    )


def _claim_unread(target: DirectiveTarget, now: datetime) -> bool:
    """Count the reminder, unless someone else did meanwhile or the target has read."""
    return bool(
        DirectiveTarget.objects.filter(
            pk=target.pk, reminders=target.reminders, read_at__isnull=True
        ).update(reminders=F("reminders") + 1, reminded_at=now)
    )


def _unread_due(now: datetime) -> Q:
    due = Q()
    for priority, interval in UNREAD_AFTER.items():
        since = now - interval
        due |= Q(directive__priority=priority) & (
            Q(reminded_at__isnull=True, delivered_at__lte=since) | Q(reminded_at__lte=since)
        )
    return due


def _remind_unread(now: datetime) -> int:
    targets = (
        DirectiveTarget.objects.filter(
            directive__status=DirectiveStatus.ISSUED,
            read_at__isnull=True,
            reminders__lt=MAX_REMINDERS,
        )
        .filter(_unread_due(now))
        .select_related("directive__issuer", "recipient")
        .order_by("pk")[:BATCH]
    )
    reminded = 0
    for target in targets:
        with transaction.atomic():
            if _claim_unread(target, now):
                _tell(SYSTEM, target, _("Not read yet"))
                reminded += 1
    return reminded


def _remind_deadline(now: datetime) -> int:
    answered = Feedback.objects.filter(target=OuterRef("pk"))
    targets = (
        DirectiveTarget.objects.filter(
            directive__status=DirectiveStatus.ISSUED,
            directive__feedback_required=True,
            directive__deadline__gt=now,
            directive__deadline__lte=now + DEADLINE_WINDOW,
        )
        .exclude(Exists(answered))
        .filter(
            Q(reminded_at__isnull=True)
            | Q(reminded_at__lt=F("directive__deadline") - DEADLINE_WINDOW)
        )
        .select_related("directive__issuer", "recipient")
        .order_by("pk")[:BATCH]
    )
    reminded = 0
    for target in targets:
        with transaction.atomic():
            claimed = DirectiveTarget.objects.filter(
                pk=target.pk, reminded_at=target.reminded_at
            ).update(reminded_at=now)
            if claimed:
                _tell(SYSTEM, target, _("Feedback due soon"))
                reminded += 1
    return reminded


def remind_round(now: datetime | None = None) -> Round:
    """One round of reminders at `now`."""
    now = now or timezone.now()
    done = Round()
    done.unread = _remind_unread(now)
    done.deadline = _remind_deadline(now)
    if done.unread or done.deadline:
        logger.info("directive reminders: %s unread, %s deadline", done.unread, done.deadline)
    return done


@transaction.atomic
def remind_unread(*, actor: Any, directive: Directive, now: datetime | None = None) -> int:
    """The issuing office reminds every target who has not read the directive yet, now.
    Returns how many were reminded."""
    current = managed(actor, directive)
    still_issued(current)
    now = now or timezone.now()
    targets = list(
        current.targets.filter(read_at__isnull=True).select_related(
            "directive__issuer", "recipient"
        )
    )
    reminded = 0
    for target in targets:
        if _claim_unread(target, now):
            _tell(actor, target, _("Reminder"))
            reminded += 1
    audit(actor, "remind", current, {"reminded": [None, reminded]})
    return reminded
