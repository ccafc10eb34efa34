"""Urging (督办) red and yellow work, one item or many at once, with one message.

- chain tasks go through the chains' own urge (timeline entry, handlers told, audit);
- checklist tasks: the urge count goes up by a conditional update (a task accepted meanwhile
  is a conflict), the lead unit's people are told and the audit log keeps it;
- directive targets owing feedback: the person is reminded (the target's reminder count and
  time), told, and the audit log keeps it.

Everything happens in one transaction: one item that cannot be urged (not in the actor's
scope: 404; green or closed meanwhile: 409) urges none. The form's submission key makes a
double submission urge once.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from kuaiji.apps.command.checklists.common import TASK_LINK, audit_task, people_of
from kuaiji.apps.command.directives.common import audit as audit_directive
from kuaiji.apps.command.directives.common import link as directive_link
from kuaiji.apps.command.models import (
    DirectiveStatus,
    DirectiveTarget,
    Feedback,
    Task,
)
from kuaiji.apps.command.models.checklists import OPEN_TASK_STATUSES
from kuaiji.apps.command.supervision import sources
from kuaiji.apps.command.supervision.sources import URGE, Source
from kuaiji.platform.access.services import authorize
from kuaiji.platform.chains import services as chains
from kuaiji.platform.core.errors import Conflict, InvalidInput, NotFound
from kuaiji.platform.core.submissions import KEY_MAX
from kuaiji.platform.messaging.models import NotificationKind
from kuaiji.platform.messaging.services import notify
from kuaiji.platform.workdays.calendar import Light

MESSAGE_MAX = 500
ITEMS_MAX = 200
KEY_SECONDS = 24 * 3600


@dataclass(frozen=True)
class Urged:
    """What one urging did: the items urged, and whether it repeated an earlier submission."""

    keys: tuple[str, ...]
    repeated: bool = False

    @property
    def count(self) -> int:
        return len(self.keys)


def parse_keys(values: list[str]) -> dict[str, list[int]]:
    """Item keys ("chain:12") by source; InvalidInput on a malformed or empty choice."""
    wanted: dict[str, list[int]] = defaultdict(list)
    for value in dict.fromkeys(str(value).strip() for value in values):
        source, _sep, number = value.partition(":")
        if source not in Source.ALL or not number.isdigit():
            raise InvalidInput(fields={"items": _("Unknown item %(key)s.") % {"key": value[:40]}})
        wanted[source].append(int(number))
    if not wanted:
        raise InvalidInput(fields={"items": _("Choose the work to urge.")})
    if sum(len(numbers) for numbers in wanted.values()) > ITEMS_MAX:
        raise InvalidInput(
            fields={"items": _("At most %(count)d items at once.") % {"count": ITEMS_MAX}}
        )
    return wanted


def _message(message: str) -> str:
    text = (message or "").strip()
    if not text:
        raise InvalidInput(fields={"message": _("This field is required.")})
    if len(text) > MESSAGE_MAX:
        raise InvalidInput(
            fields={"message": _("At most %(count)d characters.") % {"count": MESSAGE_MAX}}
        )
    return text


def _submission(actor: Any, key: str) -> str:
    key = (key or "").strip()
    if len(key) > KEY_MAX:
        raise InvalidInput(fields={"submission_key": _("At most 64 characters.")})
    return f"command.supervision.urge:{actor.pk}:{key}" if key else ""


def urge(*, actor: Any, items: list[str], message: str, submission_key: str = "") -> Urged:
    """Urge the chosen red or yellow items with `message`.

    The same `submission_key` again (a double click, a retry) urges nothing more and answers
    `repeated`."""
    authorize(actor, URGE)
    text = _message(message)
    wanted = parse_keys(items)
    claim = _submission(actor, submission_key)
    if claim and not cache.add(claim, "urging", timeout=KEY_SECONDS):
        return Urged(keys=tuple(cache.get(claim) or ()), repeated=True)
    try:
        keys = _urge(actor, wanted, text)
    except BaseException:
        if claim:
            cache.delete(claim)
        raise
    if claim:
        cache.set(claim, list(keys), timeout=KEY_SECONDS)
    return Urged(keys=keys)


@transaction.atomic
def _urge(actor: Any, wanted: dict[str, list[int]], text: str) -> tuple[str, ...]:
    now = timezone.now()
    supervised = sources.rows(actor, URGE, now)
    lights: dict[str, str] = {}
    for source, numbers in wanted.items():
        found = dict(supervised[source].filter(pk__in=numbers).values_list("sv_pk", "sv_light"))
        if len(found) != len(numbers):
            raise NotFound()
        lights.update({f"{source}:{pk}": light for pk, light in found.items()})
    calm = [key for key, light in lights.items() if light not in (Light.RED, Light.YELLOW)]
    if calm:
        raise Conflict(
            _("Only red and yellow work is urged; %(key)s is on time.") % {"key": calm[0]}
        )
    for pk in wanted.get(Source.CHAIN, []):
        chains.urge(actor=actor, task=pk, message=text)
    for pk in wanted.get(Source.CHECKLIST, []):
        _urge_task(actor, pk, text)
    for pk in wanted.get(Source.DIRECTIVE, []):
        _remind_target(actor, pk, text, now)
    return tuple(f"{source}:{pk}" for source, numbers in wanted.items() for pk in numbers)


def _urge_task(actor: Any, pk: int, text: str) -> None:
    if not Task.objects.filter(pk=pk, status__in=OPEN_TASK_STATUSES).update(
        urge_count=F("urge_count") + 1
    ):
        raise Conflict(_("The task was accepted meanwhile."))
    task = Task.objects.select_related("task_list", "lead_department").get(pk=pk)
    recipients = people_of([task.lead_department])
    if recipients:
        notify(
            actor=actor,
            recipients=recipients,
            kind=NotificationKind.URGE,
            title=(_("Urged: %(title)s") % {"title": task.title})[:200],
            body=text,
            link=TASK_LINK.format(number=task.task_list.number, sequence=task.sequence),
        )
    audit_task(actor, "urge", task, {"urge_count": [task.urge_count - 1, task.urge_count]})


def _remind_target(actor: Any, pk: int, text: str, now: Any) -> None:
    answered = Feedback.objects.filter(target=OuterRef("pk"))
    claimed = (
        DirectiveTarget.objects.filter(pk=pk, directive__status=DirectiveStatus.ISSUED)
        .exclude(Exists(answered))
        .update(reminders=F("reminders") + 1, reminded_at=now)
    )
    if not claimed:
        raise Conflict(_("The feedback arrived or the directive closed meanwhile."))
    target = DirectiveTarget.objects.select_related("directive", "recipient").get(pk=pk)
    directive = target.directive
    notify(
        actor=actor,
        recipients=[target.recipient],
        kind=NotificationKind.URGE,
        title=(_("Feedback urged: %(title)s") % {"title": directive.title})[:200],
        body=text,
        link=directive_link(directive),
    )
    audit_directive(
        actor,
        "urge",
        directive,
        {"target": [None, target.pk], "reminders": [target.reminders - 1, target.reminders]},
    )
