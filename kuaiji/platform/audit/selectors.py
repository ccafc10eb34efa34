"""Reads of the audit log for the people who audit it: entries they may see, newest first.

Every read first checks ``audit.entry.view`` (403 without it); the queryset then keeps to the
regions the actor's grants cover. Nothing here, nor anywhere else, changes an entry.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet

from kuaiji.platform.access.services import authorize
from kuaiji.platform.audit.models import AuditEntry
from kuaiji.platform.audit.verify import Verdict, verify_chain
from kuaiji.platform.core.errors import NotFound

VIEW = "audit.entry.view"


def entries(
    actor: Any,
    *,
    actor_name: str = "",
    action: str = "",
    object_type: str = "",
    object_id: str = "",
    since: datetime | None = None,
    until: datetime | None = None,
    request_id: str = "",
) -> QuerySet[AuditEntry]:
    """Entries the actor may see, newest first, narrowed by the filters that are given.

    `action` matches the action itself or every action under it as a dotted prefix
    (``directory.grid`` finds ``directory.grid.create`` and ``directory.grid.update``, not
    ``directory.gridmember.create``). `since` is inclusive, `until` exclusive; the other
    filters match exactly.
    """
    authorize(actor, VIEW)
    queryset = AuditEntry.objects.visible_to(actor)
    if actor_name:
        queryset = queryset.filter(actor=actor_name)
    if action:
        queryset = queryset.filter(Q(action=action) | Q(action__startswith=f"{action}."))
    if object_type:
        queryset = queryset.filter(object_type=object_type)
    if object_id:
        queryset = queryset.filter(object_id=object_id)
    if since is not None:
        queryset = queryset.filter(at__gte=since)
    if until is not None:
        queryset = queryset.filter(at__lt=until)
    if request_id:
        queryset = queryset.filter(request_id=request_id)
    return queryset.order_by("-sequence")


def entry(actor: Any, sequence: int) -> AuditEntry:
    """One entry the actor may see (NotFound, as for a missing one, when it lies outside)."""
    authorize(actor, VIEW)
    found = AuditEntry.objects.visible_to(actor).filter(sequence=sequence).first()
    if found is None:
        raise NotFound()
    return found


def chain_status(actor: Any) -> Verdict:
    """Whether the whole chain is intact, or its first broken entry.

    This walks and rehashes every entry of the city, whatever the actor's scope (one broken
    link breaks the chain for all), so screens run it only when asked to.
    """
    authorize(actor, VIEW)
    return verify_chain()
