"""The audit log in the admin console: read-only, for platform administrators.

Nobody may add, change or delete an entry here, superusers included; only superusers see the
list and the entries at all, since the console knows no data scope (auditors search the log in
the work front, within their regions). The chain head is not shown: it is bookkeeping.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin import ModelAdmin
from django.http import HttpRequest

from kuaiji.platform.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(ModelAdmin[AuditEntry]):
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
    show_full_result_count = False
    actions = None
    readonly_fields = tuple(f.name for f in AuditEntry._meta.fields if not f.primary_key)
    fields = readonly_fields

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_active and request.user.is_superuser)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
