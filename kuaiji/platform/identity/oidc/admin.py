"""The admin console's page of client applications, with every registration, change and
removal written to the audit log. django-oauth-toolkit registers it (setting
``OAUTH2_PROVIDER["APPLICATION_ADMIN_CLASS"]``) on the OTP admin site, so only administrators
who proved their second factor reach it."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from oauth2_provider.admin import ApplicationAdmin as BaseApplicationAdmin

from kuaiji.platform.identity.oidc.services import (
    audited_state,
    record_client_change,
    record_client_removal,
)


class ApplicationAdmin(BaseApplicationAdmin):  # type: ignore[misc]
    """django-oauth-toolkit's application admin, audited."""

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        """New applications start as Kuaiji expects them: confidential, authorization code,
        RS256 ID tokens."""
        initial: dict[str, Any] = super().get_changeform_initial_data(request)
        application_model = self.model
        return {
            "client_type": application_model.CLIENT_CONFIDENTIAL,
            "authorization_grant_type": application_model.GRANT_AUTHORIZATION_CODE,
            "algorithm": application_model.RS256_ALGORITHM,
            **initial,
        }

    def save_model(
        self, request: HttpRequest, obj: Any, form: ModelForm[Any], change: bool
    ) -> None:
        before, stored_secret = None, None
        if change:
            stored = type(obj)._default_manager.get(pk=obj.pk)
            before, stored_secret = audited_state(stored), stored.client_secret
        super().save_model(request, obj, form, change)
        record_client_change(
            actor=request.user,
            application=obj,
            before=before,
            secret_changed=change and obj.client_secret != stored_secret,
        )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        record_client_removal(actor=request.user, application=obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for application in queryset:
            record_client_removal(actor=request.user, application=application)
        super().delete_queryset(request, queryset)
