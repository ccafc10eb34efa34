"""Appending to the audit log. Services call `record` (one change) or `record_changes` (many,
from a bulk upsert) inside their own transaction, so a change and its entry commit together.

Values are written as the audit should keep them: personal data masked, related objects by id,
JSON documents (boundaries…) by their SM3 digest.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from kuaiji.platform.audit.models import GENESIS, AuditChainHead, AuditEntry
from kuaiji.platform.core.context import current
from kuaiji.platform.core.crypto import sm3
from kuaiji.platform.core.personal import PersonalDataField, mask

Changes = dict[str, list[Any]]
_ip_field = AuditEntry._meta.get_field("source_ip")


@dataclass
class Change:
    """One change waiting to be written: who, what, which object, which fields."""

    actor: Any
    action: str
    object_type: str = ""
    object_id: str = ""
    object_label: str = ""
    region_path: str = ""
    changes: Changes = field(default_factory=dict)


def describe(obj: models.Model) -> dict[str, str]:
    """An object's type, id, label and region path, without extra queries where possible."""
    meta = obj._meta
    return {
        "object_type": f"{meta.app_label}.{meta.model_name}",
        "object_id": str(obj.pk),
        "object_label": str(obj)[:200],
        "region_path": region_path_of(obj),
    }


def region_path_of(obj: models.Model) -> str:
    """The path of the region an object belongs to, if it is at hand."""
    path = getattr(obj, "path", None)
    if obj._meta.model_name == "region" and isinstance(path, str):
        return path
    region_field = next((f for f in obj._meta.concrete_fields if f.name == "region"), None)
    if region_field is not None and region_field.is_cached(obj):  # type: ignore[attr-defined]
        region = getattr(obj, "region", None)
        return str(getattr(region, "path", "") or "")
    return ""


def audited_value(model_field: models.Field[Any, Any] | None, value: Any) -> Any:
    """How the audit log keeps a field's value."""
    if value is None:
        return None
    if isinstance(model_field, PersonalDataField):
        return mask(model_field.kind, str(value))
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dict | list):
        canonical = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return f"sm3:{sm3(canonical.encode())[:16]}"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def diff(obj: models.Model, before: Mapping[str, Any], after: Mapping[str, Any]) -> Changes:
    """The fields whose value differs, as ``{name: [old, new]}`` in audited form."""
    fields = {f.name: f for f in obj._meta.concrete_fields}
    return {
        name: [
            audited_value(fields.get(name), before.get(name)),
            audited_value(fields.get(name), value),
        ]
        for name, value in after.items()
        if before.get(name) != value
    }


def record(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    changes: Changes | None = None,
    **described: str,
) -> AuditEntry:
    """Append one entry; `described` may give object_type, object_id, object_label,
    region_path where there is no model object."""
    details = describe(obj) if obj is not None else {}
    details.update(described)
    return record_changes([Change(actor=actor, action=action, changes=changes or {}, **details)])[0]


@transaction.atomic
def record_changes(pending: Iterable[Change]) -> list[AuditEntry]:
    """Append entries in order, continuing the chain under a lock on its head."""
    items = list(pending)
    if not items:
        return []
    head, _created = AuditChainHead.objects.select_for_update().get_or_create(
        pk=1, defaults={"sequence": 0, "hash": GENESIS}
    )
    context = current()
    now = timezone.now()
    city_path = f"{settings.KUAIJI_CITY.division_code}/"
    entries = []
    previous, sequence = head.hash, head.sequence
    for change in items:
        sequence += 1
        entry = AuditEntry(
            sequence=sequence,
            at=now,
            actor_id=getattr(change.actor, "pk", None),
            actor=str(getattr(change.actor, "username", "") or change.actor or "system")[:150],
            action=change.action,
            object_type=change.object_type,
            object_id=change.object_id[:100],
            object_label=change.object_label[:200],
            region_path=change.region_path or city_path,
            changes=change.changes,
            source_ip=_ip_field.get_prep_value(context.source_ip) if context else None,
            request_id=context.request_id if context else "",
            previous_hash=previous,
        )
        entry.hash = entry.compute_hash()
        previous = entry.hash
        entries.append(entry)
    AuditEntry.objects.bulk_create(entries, batch_size=1000)
    AuditChainHead.objects.filter(pk=head.pk).update(sequence=sequence, hash=previous)
    return entries
