"""API keys and their uses in the admin console (superusers only, like the audit log: the
console knows no data scope).

Adding a key goes through `services.create_key`; the answer to the save is a page showing the
plaintext key once — rendered directly, never put in a message, the session or a cookie, and
marked not to be cached. The hash is never shown. Keys are not edited or deleted: they are
revoked (an action), which keeps their history of uses. Uses are read-only.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import ModelAdmin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from kuaiji.platform.access.admin import permission_choices
from kuaiji.platform.apikeys.models import ApiKey, ApiKeyUse
from kuaiji.platform.apikeys.services import create_key, revoke_key, validate_new_key
from kuaiji.platform.core.console import ReadOnly, SuperuserOnly
from kuaiji.platform.core.errors import KuaijiError

CREATE_FIELDS = ("name", "owner", "permissions", "rate_per_minute", "expires_at")
VIEW_FIELDS = (
    "name",
    "owner",
    "key_label",
    "codes",
    "rate_per_minute",
    "created_at",
    "expires_at",
    "revoked_at",
    "last_used_at",
)
_NEW_KEY_ATTRIBUTE = "_kuaiji_new_api_key"


class ApiKeyCreateForm(ModelForm[ApiKey]):
    """A new key: a name, its owner, its codes (ticked from the declared ones) and its rate."""

    actor: Any = None  # set per request by `ApiKeyAdmin.get_form`

    permissions = forms.MultipleChoiceField(
        label=_("permission codes"),
        choices=permission_choices,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = ApiKey
        fields = CREATE_FIELDS

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        try:
            data["permissions"] = validate_new_key(
                actor=self.actor,
                owner=data["owner"],
                name=data["name"],
                permissions=data["permissions"],
                rate_per_minute=data["rate_per_minute"],
                expires_at=data.get("expires_at"),
            )
        except KuaijiError as exc:
            raise ValidationError(
                {field: str(message) for field, message in exc.fields.items()}
            ) from exc
        return data


@admin.register(ApiKey)
class ApiKeyAdmin(SuperuserOnly, ModelAdmin[ApiKey]):
    """Keys: created here or by `kuaiji api-key create`, revoked, never edited."""

    list_display = (
        "name",
        "owner",
        "key_label",
        "codes",
        "rate_per_minute",
        "last_used_at",
        "expires_at",
        "revoked",
    )
    list_filter = ("revoked_at", "created_at")
    list_select_related = ("owner",)
    search_fields = ("name", "=prefix", "owner__username", "owner__display_name")
    autocomplete_fields = ("owner",)
    actions = ("revoke",)

    def get_fields(self, request: HttpRequest, obj: ApiKey | None = None) -> Any:
        return CREATE_FIELDS if obj is None else VIEW_FIELDS

    def get_readonly_fields(self, request: HttpRequest, obj: ApiKey | None = None) -> Any:
        return () if obj is None else VIEW_FIELDS

    def get_form(
        self, request: HttpRequest, obj: ApiKey | None = None, change: bool = False, **kwargs: Any
    ) -> Any:
        if obj is None:
            kwargs["form"] = type("ApiKeyCreateForm", (ApiKeyCreateForm,), {"actor": request.user})
        return super().get_form(request, obj, change=change, **kwargs)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_revoke_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)

    def save_model(self, request: HttpRequest, obj: ApiKey, form: Any, change: bool) -> None:
        data = form.cleaned_data
        key, plaintext = create_key(
            actor=request.user,
            owner=data["owner"],
            name=data["name"],
            permissions=data["permissions"],
            rate_per_minute=data["rate_per_minute"],
            expires_at=data.get("expires_at"),
        )
        for field in ApiKey._meta.concrete_fields:  # the admin logs and answers about `obj`
            setattr(obj, field.attname, getattr(key, field.attname))
        obj._state.adding = False
        obj._state.db = key._state.db
        setattr(request, _NEW_KEY_ATTRIBUTE, plaintext)

    def response_add(
        self, request: HttpRequest, obj: ApiKey, post_url_continue: str | None = None
    ) -> HttpResponse:
        """Show the new key, this once."""
        plaintext = getattr(request, _NEW_KEY_ATTRIBUTE, None)
        if plaintext is None:  # pragma: no cover  (save_model always sets it)
            return super().response_add(request, obj, post_url_continue)
        context = {
            **self.admin_site.each_context(request),
            "title": _("API key created"),
            "opts": self.opts,
            "key": obj,
            "plaintext": plaintext,
            "changelist_url": reverse("admin:apikeys_apikey_changelist"),
        }
        response = TemplateResponse(request, "admin/apikeys/apikey/key_created.html", context)
        add_never_cache_headers(response)
        return response

    @admin.action(description=_("Revoke the selected API keys"), permissions=["revoke"])
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiKey]) -> None:
        revoked = 0
        for key in queryset.filter(revoked_at__isnull=True):
            revoke_key(actor=request.user, key=key)
            revoked += 1
        self.message_user(
            request,
            ngettext("%(count)d API key revoked.", "%(count)d API keys revoked.", revoked)
            % {"count": revoked},
            messages.SUCCESS,
        )

    @admin.display(description=_("key"), ordering="prefix")
    def key_label(self, obj: ApiKey) -> str:
        return obj.label

    @admin.display(description=_("permission codes"))
    def codes(self, obj: ApiKey) -> str:
        return ", ".join(obj.permissions)

    @admin.display(description=_("revoked"), boolean=True, ordering="revoked_at")
    def revoked(self, obj: ApiKey) -> bool:
        return obj.revoked_at is not None


@admin.register(ApiKeyUse)
class ApiKeyUseAdmin(ReadOnly, ModelAdmin[ApiKeyUse]):
    """Every request made with a key; read-only."""

    list_display = ("at", "key", "method", "path", "status", "source_ip", "request_id")
    list_filter = ("method", "status")
    list_select_related = ("key",)
    search_fields = ("=key__prefix", "=request_id", "^path")
    ordering = ("-id",)
    readonly_fields = ("at", "key", "method", "path", "status", "source_ip", "request_id")
    fields = readonly_fields
