"""What the admin console's screens share: superuser-only access and read-only records.

The console knows no data scope, so records that are scoped in the fronts are shown here to
active superusers only; logs and engine records are looked at, never edited.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


class SuperuserOnly:
    """Only active superusers see these screens."""

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_active and request.user.is_superuser)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)


class ReadOnly(SuperuserOnly):
    """Records to look up, never to add, change or delete (superusers included)."""

    actions: Any = None
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
