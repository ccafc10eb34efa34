"""The call log: every read of a resource's rows is a `DataCall`.

A read by a government caller is also sealed in the audit chain: an audit entry (action
``data.rows.read``) carries the SM3 digest of the call as written, and its sequence is stored in
the call's `audit_sequence`. The audit chain (``kuaiji audit verify``) makes the entry
tamper-evident, and `is_intact` checks that the call still matches what was sealed, so the log
cannot be edited or trimmed unnoticed.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Count, Max, Sum

from kuaiji.platform.access.scoping import actor_grants, is_unrestricted
from kuaiji.platform.audit.models import AuditEntry
from kuaiji.platform.audit.services import record
from kuaiji.platform.core.crypto import sm3
from kuaiji.platform.data.models import CallChannel, DataCall, DataResource, Grant
from kuaiji.platform.directory.models import Department

ACTION = "data.rows.read"


@dataclass(frozen=True)
class Usage:
    """How much a grant has been used."""

    calls: int = 0
    rows: int = 0
    last_call: datetime | None = None


def _person(actor: Any) -> Any:
    person = getattr(actor, "user", actor)
    return person if getattr(person, "is_authenticated", False) and person.pk else None


def is_government(actor: Any) -> bool:
    """Whether the caller works for government: a signed-in person holding any role."""
    if not getattr(actor, "is_authenticated", False):
        return False
    return is_unrestricted(actor) or bool(actor_grants(actor))


def digest(call: DataCall) -> str:
    """The SM3 digest of what a call records (who, what, how many, why)."""
    content = {
        "at": call.at.isoformat(),
        "channel": call.channel,
        "actor": call.actor_id,
        "department": call.department_id,
        "resource": call.resource_id,
        "grant": call.grant_id,
        "fields": list(call.fields),
        "masked": list(call.masked),
        "rows": call.rows,
        "purpose": call.purpose,
        "query": call.query,
    }
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return sm3(canonical.encode())


@transaction.atomic
def log_call(
    *,
    actor: Any,
    resource: DataResource,
    channel: CallChannel | str,
    fields: Sequence[str],
    masked: Sequence[str] = (),
    rows: int,
    purpose: str = "",
    query: Mapping[str, Any] | None = None,
    department: Department | None = None,
    grant: Grant | None = None,
) -> DataCall:
    """Write one call; a government caller's call is sealed with an audit entry."""
    call = DataCall.objects.create(
        channel=CallChannel(channel),
        actor=_person(actor),
        department=department,
        resource=resource,
        grant=grant,
        fields=list(fields),
        masked=list(masked),
        rows=rows,
        purpose=purpose[:500],
        query=dict(query or {}),
    )
    if is_government(actor):
        call.refresh_from_db(fields=["at"])  # as the database keeps it (microseconds, zone)
        entry = record(
            actor=_person(actor) or actor,
            action=ACTION,
            object_type="data.datacall",
            object_id=str(call.pk),
            object_label=f"{resource.code} · {rows}"[:200],
            changes={
                "resource": [None, resource.code],
                "department": [None, department.code if department else None],
                "grant": [None, call.grant_id],
                "rows": [None, rows],
                "masked": [None, len(call.masked)],
                "digest": [None, digest(call)],
            },
        )
        call.audit_sequence = entry.sequence
        DataCall.objects.filter(pk=call.pk).update(audit_sequence=entry.sequence)
    return call


def is_intact(call: DataCall) -> bool:
    """Whether a sealed call still matches the digest its audit entry keeps (unsealed calls,
    e.g. anonymous open-data reads, have nothing to check against and answer False)."""
    if call.audit_sequence is None:
        return False
    entry = AuditEntry.objects.filter(sequence=call.audit_sequence, action=ACTION).first()
    if entry is None or entry.object_id != str(call.pk):
        return False
    sealed = (entry.changes or {}).get("digest") or [None, None]
    return bool(sealed[1] == digest(call))


def usage(grant: Grant) -> Usage:
    """Calls made under a grant, rows read, and the last call's time."""
    return usage_of([grant]).get(grant.pk, Usage())


def usage_of(grants: Iterable[Grant]) -> dict[int, Usage]:
    """`usage` for many grants at once (one query)."""
    pks = [grant.pk for grant in grants]
    found = (
        DataCall.objects.filter(grant_id__in=pks)
        .values("grant_id")
        .annotate(calls=Count("pk"), rows=Sum("rows"), last=Max("at"))
        .order_by()
    )
    return {
        item["grant_id"]: Usage(calls=item["calls"], rows=item["rows"] or 0, last_call=item["last"])
        for item in found
    }
