"""What the directive services share: permission codes, the link to a directive's page, the
locked row, who may oversee or manage a directive, audit entries."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from kuaiji.apps.command.models import Directive, DirectiveStatus
from kuaiji.platform.audit.services import record
from kuaiji.platform.core.errors import Conflict, Forbidden, NotFound

VIEW = "command.directive.view"
ISSUE = "command.directive.issue"
LINK = "/work/directives/{number}/"  # the directive's page on the work front
TEXT_MAX = 5000
FEEDBACK_MAX = 2000


def link(directive: Directive) -> str:
    return LINK.format(number=directive.number)


def reachable(actor: Any) -> Q:
    """The directives the actor may open: issued by them, addressed to them, or in the scope
    where they may view directives."""
    pk = getattr(actor, "pk", None)
    if pk is None:
        return Q(pk__in=[])
    visible = Directive.objects.visible_to(actor, VIEW).values("pk")
    return Q(issuer_id=pk) | Q(targets__recipient_id=pk) | Q(pk__in=visible)


def oversees(actor: Any, directive: Directive) -> bool:
    """Whether the actor sees every target of the directive (the issuer, and those who may
    view directives in its scope)."""
    if directive.issuer_id == getattr(actor, "pk", None):
        return True
    return Directive.objects.visible_to(actor, VIEW).filter(pk=directive.pk).exists()


def manages(actor: Any, directive: Directive) -> bool:
    """Whether the actor may remind and close the directive: its issuer, or an office that
    may issue directives in its scope."""
    if directive.issuer_id == getattr(actor, "pk", None):
        return True
    return Directive.objects.visible_to(actor, ISSUE).filter(pk=directive.pk).exists()


def locked(directive: Directive) -> Directive:
    """The directive re-read with its row locked until the transaction ends."""
    return Directive.objects.select_for_update().get(pk=directive.pk)


def managed(actor: Any, directive: Directive) -> Directive:
    """The directive locked, if the actor may manage it (404 when they may not even open it,
    403 when they may open but not manage it)."""
    if not manages(actor, directive):
        if Directive.objects.filter(reachable(actor), pk=directive.pk).exists():
            raise Forbidden(_("Only the issuing office may do this."))
        raise NotFound()
    return locked(directive)


def still_issued(directive: Directive) -> None:
    """Conflict unless the directive is still in force."""
    if directive.status != DirectiveStatus.ISSUED:
        raise Conflict(
            _("The directive is %(status)s.") % {"status": directive.get_status_display()}
        )


def audit(actor: Any, action: str, directive: Directive, changes: dict[str, Any]) -> None:
    """An audit entry about the directive."""
    record(
        actor=actor,
        action=f"command.directive.{action}",
        object_type="command.directive",
        object_id=str(directive.pk),
        object_label=directive.number,
        region_path=directive.region_path,
        changes=changes,
    )
