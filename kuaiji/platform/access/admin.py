"""Roles and grants in the admin console.

A role's permissions are ticked from the codes the installed apps declare, grouped by app, so
no unknown code can be saved; a grant names exactly one scope.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django import forms
from django.apps import apps
from django.contrib import admin
from django.contrib.admin import ModelAdmin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from kuaiji.platform.access.models import Role, RoleGrant
from kuaiji.platform.access.registry import permissions, unknown_codes

SCOPES = {"region": _("region"), "department": _("department"), "grid": _("grid")}


def _app_name(label: str) -> str:
    try:
        return str(apps.get_app_config(label).verbose_name)
    except LookupError:
        return label


def permission_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Every declared permission as a checkbox choice, grouped under its app's name."""
    groups: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for code, permission in sorted(permissions().items()):
        groups[code.split(".", 1)[0]].append((code, f"{permission.label} · {code}"))
    return [(_app_name(label), choices) for label, choices in groups.items()]


class RoleForm(ModelForm[Role]):
    """A role with its permissions as checkboxes."""

    permissions = forms.MultipleChoiceField(
        label=_("permission codes"),
        choices=permission_choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Role
        fields = ("code", "name", "name_en", "description", "permissions")

    def clean_permissions(self) -> list[str]:
        codes: list[str] = self.cleaned_data["permissions"]
        unknown = unknown_codes(codes)
        if unknown:
            raise ValidationError(
                _("Unknown permission codes: %(codes)s"), params={"codes": ", ".join(unknown)}
            )
        return sorted(set(codes))


@admin.register(Role)
class RoleAdmin(ModelAdmin[Role]):
    """Roles: named bundles of permission codes."""

    form = RoleForm
    list_display = ("code", "name", "name_en", "permission_count")
    search_fields = ("code", "name", "name_en")

    @admin.display(description=_("permissions"))
    def permission_count(self, obj: Role) -> int:
        return len(obj.permissions)


class RoleGrantForm(ModelForm[RoleGrant]):
    """A grant: one role, one person, exactly one scope."""

    class Meta:
        model = RoleGrant
        fields = ("user", "role", *SCOPES)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        if sum(data.get(scope) is not None for scope in SCOPES) != 1:
            raise ValidationError(_("Choose exactly one scope: a region, a department or a grid."))
        same = RoleGrant.objects.filter(
            **{name: data.get(name) for name in ("user", "role", *SCOPES)}
        )
        if self.instance.pk is not None:
            same = same.exclude(pk=self.instance.pk)
        if same.exists():
            raise ValidationError(_("This role is already granted to this person in this scope."))
        return data


@admin.register(RoleGrant)
class RoleGrantAdmin(ModelAdmin[RoleGrant]):
    """Who holds which role, and where."""

    form = RoleGrantForm
    list_display = ("user", "role", "scope_kind", "scope", "granted_at")
    list_filter = ("role",)
    list_select_related = ("user", "role", *SCOPES)
    search_fields = ("user__username", "user__display_name", "role__code", "role__name")
    autocomplete_fields = ("user", *SCOPES)
    date_hierarchy = "granted_at"

    def get_queryset(self, request: HttpRequest) -> QuerySet[RoleGrant]:
        return super().get_queryset(request).defer("region__boundary", "grid__boundary")

    @admin.display(description=_("scope kind"))
    def scope_kind(self, obj: RoleGrant) -> str:
        for scope, label in SCOPES.items():
            if getattr(obj, f"{scope}_id") is not None:
                return str(label)
        return ""
