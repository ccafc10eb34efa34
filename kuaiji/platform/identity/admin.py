from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from kuaiji.platform.identity.models import User


@admin.register(User)
class KuaijiUserAdmin(UserAdmin):  # type: ignore[type-arg]
    """Users with their display name."""

    fieldsets = (*UserAdmin.fieldsets, (None, {"fields": ("display_name",)}))  # type: ignore[misc]
    list_display = ("username", "display_name", "email", "is_staff", "is_active")
    search_fields = ("username", "display_name", "email")
