"""The audit log in the admin console: read-only, for platform administrators.

Nobody may add, change or delete an entry here, superusers included; only superusers see the
list and the entries at all, since the console knows no data scope (auditors search the log in
the work front, within their regions). The chain head is not shown: it is bookkeeping.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin import ModelAdmin

from kuaiji.platform.audit.models import AuditEntry
from kuaiji.platform.core.console import ReadOnly


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnly, ModelAdmin[AuditEntry]):
    """Entries to look up, never to edit."""

    list_display = (
        "sequence",
        "at",
        "actor",
        "action",
        "object_label",
        "object_type",
        "object_id",
        "source_ip",
    )
    list_display_links = ("sequence",)
    list_filter = ("action", "object_type")
    search_fields = ("=actor", "=object_id", "=request_id", "^action")
    ordering = ("-sequence",)
    readonly_fields = tuple(f.name for f in AuditEntry._meta.fields if not f.primary_key)
    fields = readonly_fields
