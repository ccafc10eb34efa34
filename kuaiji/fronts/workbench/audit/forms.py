"""The audit log's search form: query-string input, validated before the selector runs."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kuaiji.platform.audit.models import AuditEntry

CODE = r"^[a-z0-9_.]+$"


def _max_length(name: str) -> int:
    """The stored length of an entry's field, so a longer search cannot match anything."""
    return int(getattr(AuditEntry._meta.get_field(name), "max_length", None) or 100)


def start_of(day: date) -> datetime:
    """Midnight at the start of `day` in the active time zone."""
    return timezone.make_aware(datetime.combine(day, time.min))


class AuditSearchForm(forms.Form):
    """Who, what, which object, when and which request; every field is optional."""

    actor = forms.CharField(label=_("Actor"), required=False, max_length=_max_length("actor"))
    action = forms.RegexField(
        label=_("Action"),
        regex=CODE,
        required=False,
        max_length=_max_length("action"),
        help_text=_("An action, or its beginning: directory.grid finds every grid change."),
        error_messages={"invalid": _("Lower-case letters, digits, dots and underscores.")},
    )
    object_type = forms.RegexField(
        label=_("Object type"),
        regex=CODE,
        required=False,
        max_length=_max_length("object_type"),
        error_messages={"invalid": _("Lower-case letters, digits, dots and underscores.")},
    )
    object_id = forms.CharField(
        label=_("Object id"), required=False, max_length=_max_length("object_id")
    )
    date_from = forms.DateField(label=_("From"), required=False)
    date_to = forms.DateField(label=_("To"), required=False)
    request_id = forms.CharField(
        label=_("Request id"), required=False, max_length=_max_length("request_id")
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("date_from"), data.get("date_to")
        if first and last and last < first:
            raise ValidationError({"date_to": _("The end date comes before the start date.")})
        return data

    def filters(self) -> dict[str, Any]:
        """The selector's keyword arguments; the dates become the bounds of whole days in the
        active time zone (`date_to` included)."""
        data = self.cleaned_data
        return {
            "actor_name": data["actor"],
            "action": data["action"],
            "object_type": data["object_type"],
            "object_id": data["object_id"],
            "since": start_of(data["date_from"]) if data["date_from"] else None,
            "until": start_of(data["date_to"] + timedelta(days=1)) if data["date_to"] else None,
            "request_id": data["request_id"],
        }
