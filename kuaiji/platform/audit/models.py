"""Audit entries, chained by SM3: each entry's hash covers its content and the previous hash."""

from __future__ import annotations

import json
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from kuaiji.platform.access.scoping import Scope, ScopedQuerySet
from kuaiji.platform.core.crypto import hmac_sm3
from kuaiji.platform.core.keys import keyring

GENESIS = "0" * 64


class AuditEntryQuerySet(ScopedQuerySet["AuditEntry"]):
    # Auditors are granted at the city (or a county): entries carry the region path of the
    # object they concern when it has one, else the city's, so a region grant covers them.
    scope = Scope(region_path="region_path")
    view_permission = "audit.entry.view"


class AuditEntry(models.Model):
    """One change: who did what to which object, what changed, from where, when.

    Entries are written only by `kuaiji.platform.audit.services`, never edited or deleted (the
    database refuses both), and verified by `kuaiji audit verify`.
    """

    sequence = models.PositiveBigIntegerField(_("sequence"), unique=True)
    at = models.DateTimeField(_("time"), db_index=True)
    actor_id = models.BigIntegerField(_("actor id"), null=True, blank=True, db_index=True)
    actor = models.CharField(_("actor"), max_length=150)
    action = models.CharField(_("action"), max_length=100, db_index=True)
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object id"), max_length=100, blank=True, db_index=True)
    object_label = models.CharField(_("object"), max_length=200, blank=True)
    region_path = models.CharField(_("region path"), max_length=80, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    source_ip = models.GenericIPAddressField(_("source IP"), null=True, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    previous_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64, unique=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-sequence"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object")]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.actor} {self.action} {self.object_label}"

    def content(self) -> dict[str, Any]:
        """Everything the hash covers, apart from the previous hash."""
        return {
            "sequence": self.sequence,
            "at": self.at.isoformat(),
            "actor_id": self.actor_id,
            "actor": self.actor,
            "action": self.action,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "object_label": self.object_label,
            "region_path": self.region_path,
            "changes": self.changes,
            "source_ip": self.source_ip,
            "request_id": self.request_id,
        }

    def compute_hash(self) -> str:
        """HMAC-SM3, with the audit key kept outside the database, over the previous hash and
        the canonical JSON of the content: whoever edits rows cannot forge the chain."""
        canonical = json.dumps(
            self.content(), sort_keys=True, ensure_ascii=False, separators=(",", ":")
        )
        return hmac_sm3(keyring().audit_key, f"{self.previous_hash}\n{canonical}".encode())


class AuditChainHead(models.Model):
    """The last entry of the chain (one row), locked while an entry is appended so that
    concurrent writers take turns; also lets verification notice entries cut off the end."""

    sequence = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default=GENESIS)

    class Meta:
        verbose_name = _("audit chain head")
        verbose_name_plural = _("audit chain head")

    def __str__(self) -> str:
        return f"#{self.sequence} {self.hash[:12]}"
