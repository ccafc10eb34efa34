"""The form a user task asks for, as its model declares it, and the check of what is sent."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kuaiji.platform.chains.definitions import Step
from kuaiji.platform.core.errors import InvalidInput

TEXT_MAX = 2000

# The choice identifiers models use, in words (a model may use others: they show as written).
CHOICE_LABELS: dict[str, Promise] = {
    "accept": gettext_lazy("accept"),
    "correct": gettext_lazy("ask for corrections"),
    "handle": gettext_lazy("handle it here"),
    "escalate": gettext_lazy("escalate"),
    "assign": gettext_lazy("assign to a department"),
    "send_back": gettext_lazy("send back"),
    "pass": gettext_lazy("pass"),
    "fail": gettext_lazy("fail"),
    "approve": gettext_lazy("approve"),
    "reject": gettext_lazy("reject"),
    "satisfied": gettext_lazy("satisfied"),
    "unsatisfied": gettext_lazy("unsatisfied"),
    "received": gettext_lazy("received"),
    "done": gettext_lazy("done"),
}

FIELD_LABELS: dict[str, Promise] = {
    "decision": gettext_lazy("decision"),
    "opinion": gettext_lazy("opinion"),
    "result": gettext_lazy("result"),
    "rating": gettext_lazy("rating"),
    "department": gettext_lazy("department"),
    "reason": gettext_lazy("reason"),
}


def choice_label(choice: str) -> str:
    return str(CHOICE_LABELS.get(choice, choice))


def field_label(name: str) -> str:
    return str(FIELD_LABELS.get(name, name))


def clean_form(step: Step, sent: Mapping[str, Any]) -> dict[str, str]:
    """The step's fields from `sent`, checked; unknown fields are refused, not dropped."""
    errors: dict[str, str] = {}
    known = {item.name for item in step.fields}
    for name in sent:
        if name not in known:
            errors[name] = _("This step has no such field.")
    values: dict[str, str] = {}
    for item in step.fields:
        raw = sent.get(item.name)
        value = raw.strip() if isinstance(raw, str) else raw
        if value in (None, ""):
            if item.required:
                errors[item.name] = _("This field is required.")
            continue
        if not isinstance(value, str):
            errors[item.name] = _("Send text.")
        elif item.kind == "choice" and value not in item.choices:
            errors[item.name] = _("Choose one of: %(choices)s.") % {
                "choices": ", ".join(choice_label(choice) for choice in item.choices)
            }
        elif len(value) > TEXT_MAX:
            errors[item.name] = _("At most %(count)d characters.") % {"count": TEXT_MAX}
        else:
            values[item.name] = value
    if errors:
        raise InvalidInput(fields=errors)
    return values
