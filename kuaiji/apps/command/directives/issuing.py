"""Issuing a directive (政令 "一键智达"): one submission reaches every target at once.

`issue` is idempotent on the form's `submission_key`: a double click or a retry returns the
directive the first submission made, also when both arrive at once (the unique key decides and
the loser reads the winner's row). Everything — the directive, one target per person with its
inbox notification, the attachments and the audit entries — is written in one transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kuaiji.apps.command.directives import targeting
from kuaiji.apps.command.directives.common import ISSUE, TEXT_MAX, audit, link
from kuaiji.apps.command.models import (
    Directive,
    DirectiveAttachment,
    DirectivePriority,
    DirectiveTarget,
)
from kuaiji.platform.access.models import Role
from kuaiji.platform.access.services import authorize
from kuaiji.platform.audit.services import Change, record_changes
from kuaiji.platform.chains.attachments import check
from kuaiji.platform.core.errors import InvalidInput
from kuaiji.platform.core.submissions import checked_key, earlier_submission, insert_numbered
from kuaiji.platform.directory.models import Department, Region
from kuaiji.platform.messaging.models import NotificationKind
from kuaiji.platform.messaging.services import notify

TITLE_MAX = 200
MAX_ATTACHMENTS = 10


def _existing(actor: Any, key: str) -> Directive | None:
    return earlier_submission(Directive, key, actor, "issuer")


def _checked(
    *,
    title: str,
    body: str,
    priority: str,
    deadline: datetime | None,
    attachments: Sequence[UploadedFile[bytes]],
    now: datetime,
) -> tuple[str, str]:
    errors: dict[str, str] = {}
    title, body = (title or "").strip(), (body or "").strip()
    if not title:
        errors["title"] = _("Give the directive a title.")
    elif len(title) > TITLE_MAX:
        errors["title"] = _("At most %(count)d characters.") % {"count": TITLE_MAX}
    if not body:
        errors["body"] = _("Write the text of the directive.")
    elif len(body) > TEXT_MAX:
        errors["body"] = _("At most %(count)d characters.") % {"count": TEXT_MAX}
    if priority not in DirectivePriority.values:
        errors["priority"] = _("Choose routine, urgent or critical.")
    if deadline is not None and (timezone.is_naive(deadline) or deadline <= now):
        errors["deadline"] = _("The deadline must lie in the future.")
    if len(attachments) > MAX_ATTACHMENTS:
        errors["attachments"] = _("At most %(count)d files.") % {"count": MAX_ATTACHMENTS}
    if errors:
        raise InvalidInput(fields=errors)
    for upload in attachments:
        check(upload)
    return title, body


def _deliver(
    actor: Any, directive: Directive, recipients: list[targeting.Recipient], now: datetime
) -> None:
    """One target per person, each with its inbox notification."""
    notifications = notify(
        actor=actor,
        recipients=[recipient.user for recipient in recipients],
        kind=NotificationKind.DIRECTIVE,
        title=directive.title[:200],
        body=_("Directive %(number)s (%(priority)s): open it to read the text and report back.")
        % {"number": directive.number, "priority": directive.get_priority_display()},
        link=link(directive),
    )
    DirectiveTarget.objects.bulk_create(
        (
            DirectiveTarget(
                directive=directive,
                recipient=recipient.user,
                department=recipient.department,
                region=recipient.region,
                notification=notification,
                delivered_at=now,
            )
            for recipient, notification in zip(recipients, notifications, strict=True)
        ),
        batch_size=500,
    )


def _attach(directive: Directive, uploads: Sequence[UploadedFile[bytes]]) -> list[str]:
    names = []
    for upload in uploads:
        content_type = check(upload)
        name = Path(upload.name or "file").name[:200]
        DirectiveAttachment.objects.create(
            directive=directive,
            file=upload,
            name=name,
            size=upload.size or 0,
            content_type=content_type,
        )
        names.append(name)
    return names


@transaction.atomic
def issue(
    *,
    actor: Any,
    title: str,
    body: str,
    priority: str = DirectivePriority.ROUTINE,
    departments: Sequence[Department] = (),
    regions: Sequence[Region] = (),
    roles: Sequence[Role] = (),
    deadline: datetime | None = None,
    feedback_required: bool = True,
    attachments: Sequence[UploadedFile[bytes]] = (),
    submission_key: str,
    now: datetime | None = None,
) -> Directive:
    """Issue a directive to the people the chosen departments, regions and roles reach; the
    same `submission_key` again returns the directive it made. Check `directive.created`
    (set on the returned object) to tell a new directive from a repeated submission.
    `now` backdates the directive (the demo uses it)."""
    authorize(actor, ISSUE)
    now = now or timezone.now()
    key = checked_key(submission_key)
    existing = _existing(actor, key)
    if existing is not None:
        existing.created = False  # type: ignore[attr-defined]
        return existing
    title, body = _checked(
        title=title,
        body=body,
        priority=priority,
        deadline=deadline,
        attachments=attachments,
        now=now,
    )
    departments, regions, roles = list(departments), list(regions), list(roles)
    if not (departments or regions or roles):
        raise InvalidInput(fields={"targets": _("Choose at least one department, region or role.")})
    recipients = targeting.resolve(actor, departments=departments, regions=regions, roles=roles)
    if not recipients:
        raise InvalidInput(
            fields={"targets": _("Nobody with an account is reached by this choice.")}
        )
    region = targeting.home_region(actor)
    unit = targeting.issuing_department(actor)
    directive = Directive(
        submission_key=key,
        title=title,
        body=body,
        priority=priority,
        issuer=actor,
        issuing_department=unit,
        region=region,
        region_path=region.path,
        department_path=unit.path if unit else "",
        feedback_required=bool(feedback_required),
        deadline=deadline,
        issued_at=now,
    )
    created = insert_numbered(
        directive,
        prefix=f"ZL{timezone.localtime(directive.issued_at):%Y%m%d}",
        digits=4,
        actor=actor,
        owner="issuer",
    )
    if created is not directive:
        created.created = False  # type: ignore[attr-defined]
        return created
    directive.target_departments.set(departments)
    directive.target_regions.set(regions)
    directive.target_roles.set(roles)
    _deliver(actor, directive, recipients, now)
    files = _attach(directive, attachments)
    audit(
        actor,
        "issue",
        directive,
        {
            "title": [None, title],
            "priority": [None, priority],
            "departments": [None, sorted(found.code for found in departments)],
            "regions": [None, sorted(found.code for found in regions)],
            "roles": [None, sorted(found.code for found in roles)],
            "deadline": [None, deadline.isoformat() if deadline else None],
            "targets": [None, len(recipients)],
            "attachments": [None, files],
        },
    )
    record_changes(
        Change(
            actor=actor,
            action="command.directivetarget.create",
            object_type="command.directivetarget",
            object_id=str(target.pk),
            object_label=directive.number,
            region_path=target.region.path if target.region else directive.region_path,
            changes={"recipient": [None, target.recipient_id]},
        )
        for target in directive.targets.select_related("region")
    )
    directive.created = True  # type: ignore[attr-defined]
    return directive
