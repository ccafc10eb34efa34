"""Typed errors raised by services; the API and the views turn them into 4xx answers.

Every error has a stable machine `code`, a translated human `message` and optional
per-field messages, rendered by the API as
``{"error": {"code": ..., "message": ..., "fields": {...}}}``.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

Message = str | Promise


class KuaijiError(Exception):
    """Base of every error a service may raise on purpose."""

    status = 400
    code = "bad_request"
    default_message: Message = _("The request cannot be processed.")

    def __init__(
        self,
        message: Message | None = None,
        *,
        fields: Mapping[str, Message] | None = None,
        code: str | None = None,
    ) -> None:
        self.message = message if message is not None else self.default_message
        self.fields = dict(fields or {})
        if code is not None:
            self.code = code
        super().__init__(str(self.message))

    def as_dict(self) -> dict[str, object]:
        """The error body every endpoint answers with."""
        return {
            "error": {
                "code": self.code,
                "message": str(self.message),
                "fields": {name: str(text) for name, text in self.fields.items()},
            }
        }


class InvalidInput(KuaijiError):
    """The input is malformed or breaks a rule; `fields` says which and why."""

    status = 400
    code = "invalid"
    default_message = _("Some of the data sent is not valid.")


class NotAuthenticated(KuaijiError):
    """The caller has not signed in or sent no valid credentials."""

    status = 401
    code = "not_authenticated"
    default_message = _("Sign in first.")


class Forbidden(KuaijiError):
    """The caller is known but may not do this (used only where hiding the object is moot)."""

    status = 403
    code = "forbidden"
    default_message = _("You are not allowed to do this.")


class NotFound(KuaijiError):
    """The object does not exist, or the caller may not see it: both answer the same."""

    status = 404
    code = "not_found"
    default_message = _("Not found.")


class Conflict(KuaijiError):
    """The change clashes with the current state (a concurrent edit, a duplicate)."""

    status = 409
    code = "conflict"
    default_message = _("The data was changed by someone else; reload and try again.")


class Unavailable(KuaijiError):
    """A service the request needs (database, broker) does not answer."""

    status = 503
    code = "unavailable"
    default_message = _("The service is temporarily unavailable; try again shortly.")
