"""Feedback on a directive, and closing it.

A target reports a state (done, in progress, needs help), a text and optionally one file;
several reports per target are kept and the latest counts in the consolidation. The issuing
office closes the directive with its summary; a closed or withdrawn directive takes no more
feedback (409).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kuaiji.apps.command.directives.common import (
    FEEDBACK_MAX,
    TEXT_MAX,
    audit,
    link,
    locked,
    managed,
    reachable,
    still_issued,
)
from kuaiji.apps.command.directives.reading import mark_read
from kuaiji.apps.command.models import (
    Directive,
    DirectiveStatus,
    DirectiveTarget,
    Feedback,
    FeedbackState,
)
from kuaiji.platform.chains.attachments import check
from kuaiji.platform.core.errors import Forbidden, InvalidInput, NotFound
from kuaiji.platform.messaging.models import NotificationKind
from kuaiji.platform.messaging.services import notify


def _target_of(actor: Any, directive: Directive) -> DirectiveTarget:
    target = (
        DirectiveTarget.objects.filter(directive=directive, recipient_id=getattr(actor, "pk", None))
        .select_related("department")
        .first()
    )
    if target is None:
        if Directive.objects.filter(reachable(actor), pk=directive.pk).exists():
            raise Forbidden(_("Only the targets of a directive report back on it."))
        raise NotFound()
    return target


@transaction.atomic
def submit_feedback(
    *,
    actor: Any,
    directive: Directive,
    state: str,
    body: str,
    attachment: UploadedFile[bytes] | None = None,
    now: datetime | None = None,
) -> Feedback:
    """A target's report on the directive (it also counts as reading it)."""
    now = now or timezone.now()
    target = _target_of(actor, directive)
    errors: dict[str, str] = {}
    text = (body or "").strip()
    if state not in FeedbackState.values:
        errors["state"] = _("Choose done, in progress or needs help.")
    if not text:
        errors["body"] = _("Say what was done.")
    elif len(text) > FEEDBACK_MAX:
        errors["body"] = _("At most %(count)d characters.") % {"count": FEEDBACK_MAX}
    if errors:
        raise InvalidInput(fields=errors)
    if attachment is not None:
        try:
            check(attachment)
        except InvalidInput as error:
            raise InvalidInput(fields={"attachment": error.fields.get("files", "")}) from None
    current = locked(directive)
    still_issued(current)
    mark_read(actor=actor, directive=current, now=now)
    feedback = Feedback.objects.create(
        directive=current,
        target=target,
        state=state,
        body=text,
        attachment=attachment or "",
        attachment_name=Path(attachment.name or "file").name[:200] if attachment else "",
        submitted_at=now,
    )
    audit(
        actor,
        "feedback",
        current,
        {"state": [None, state], "target": [None, target.pk], "feedback": [None, feedback.pk]},
    )
    if state == FeedbackState.DIFFICULTY:
        unit = target.department.name if target.department else str(actor)
        notify(
            actor=actor,
            recipients=[current.issuer],
            kind=NotificationKind.NOTICE,
            title=_("%(unit)s needs help with %(number)s")
            % {"unit": unit, "number": current.number},
            body=text[:500],
            link=link(current),
        )
    return feedback


@transaction.atomic
def close(
    *, actor: Any, directive: Directive, summary: str, now: datetime | None = None
) -> Directive:
    """Close the directive with the issuing office's summary of the feedback (409 when it is
    closed or withdrawn already)."""
    current = managed(actor, directive)
    still_issued(current)
    text = (summary or "").strip()
    if not text:
        raise InvalidInput(fields={"summary": _("Summarise the feedback before closing.")})
    if len(text) > TEXT_MAX:
        too_long = _("At most %(count)d characters.") % {"count": TEXT_MAX}
        raise InvalidInput(fields={"summary": too_long})
    current.status = DirectiveStatus.CLOSED
    current.closed_at = now or timezone.now()
    current.summary = text
    current.save(update_fields=["status", "closed_at", "summary"])
    audit(actor, "close", current, {"status": [DirectiveStatus.ISSUED, DirectiveStatus.CLOSED]})
    return current
