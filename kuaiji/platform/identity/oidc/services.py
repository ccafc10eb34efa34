"""Writes for the OpenID Connect provider: registering client applications, and the audit
entries of registrations, changes and authorisations."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from oauth2_provider.generators import generate_client_secret
from oauth2_provider.models import AbstractApplication, get_application_model

from kuaiji.platform.access.scoping import is_unrestricted
from kuaiji.platform.audit.services import Changes, record
from kuaiji.platform.core.errors import Forbidden, InvalidInput

# Fields of an application worth keeping in the audit log (never the secret itself).
AUDITED_FIELDS = (
    "name",
    "client_id",
    "client_type",
    "authorization_grant_type",
    "redirect_uris",
    "post_logout_redirect_uris",
    "allowed_origins",
    "algorithm",
    "skip_authorization",
)
SECRET_CHANGED = "(changed)"  # noqa: S105 - a marker, not a secret


@dataclass(frozen=True)
class RegisteredClient:
    """A new application, with its client secret in clear: shown once, then only its hash is
    kept ("" for a public client, which has none)."""

    application: AbstractApplication
    client_secret: str

    @property
    def client_id(self) -> str:
        return str(self.application.client_id)


def _require_administrator(actor: Any) -> None:
    if not is_unrestricted(actor):
        raise Forbidden(_("Only administrators may register applications."))


@transaction.atomic
def register_client(
    *,
    actor: Any,
    name: str,
    redirect_uris: list[str],
    public: bool = False,
    skip_authorization: bool = False,
) -> RegisteredClient:
    """Register an application that signs staff in with the authorization-code flow (PKCE)
    and RS256 ID tokens. Confidential by default; `public` for apps that cannot keep a
    secret (single-page and native apps)."""
    _require_administrator(actor)
    application_model = get_application_model()
    secret = "" if public else str(generate_client_secret())
    application = application_model(
        name=name.strip(),
        redirect_uris=" ".join(uri.strip() for uri in redirect_uris if uri.strip()),
        client_type=(
            application_model.CLIENT_PUBLIC if public else application_model.CLIENT_CONFIDENTIAL
        ),
        authorization_grant_type=application_model.GRANT_AUTHORIZATION_CODE,
        algorithm=application_model.RS256_ALGORITHM,
        client_secret=secret,
        hash_client_secret=True,
        skip_authorization=skip_authorization,
    )
    problems: dict[str, str] = {}
    if not application.name:
        problems["name"] = _("Give the application a name.")
    if not application.redirect_uris:
        problems["redirect_uris"] = _("Give at least one redirect URI.")
    try:
        application.full_clean()
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            problems.setdefault(field, " ".join(messages))
    if problems:
        raise InvalidInput(fields=problems)
    application.save()
    record_client_change(actor=actor, application=application, before=None)
    return RegisteredClient(application=application, client_secret=secret)


def audited_state(application: AbstractApplication) -> dict[str, Any]:
    """The audited fields of an application as they are now."""
    return {field: getattr(application, field) for field in AUDITED_FIELDS}


def record_client_change(
    *,
    actor: Any,
    application: AbstractApplication,
    before: dict[str, Any] | None,
    secret_changed: bool = False,
) -> None:
    """Record a registration (`before` is None) or a change of an application."""
    after = audited_state(application)
    changes: Changes = {
        field: [None if before is None else before.get(field), value]
        for field, value in after.items()
        if before is None or before.get(field) != value
    }
    if secret_changed and before is not None:
        changes["client_secret"] = [SECRET_CHANGED, SECRET_CHANGED]
    if before is not None and not changes:
        return
    action = "identity.oidc.client.create" if before is None else "identity.oidc.client.update"
    record(actor=actor, action=action, obj=application, changes=changes)


def record_client_removal(*, actor: Any, application: AbstractApplication) -> None:
    """Record that an application was removed (its tokens go with it)."""
    before = audited_state(application)
    changes: Changes = {field: [value, None] for field, value in before.items()}
    record(actor=actor, action="identity.oidc.client.delete", obj=application, changes=changes)


def record_authorisation(*, actor: Any, client_id: str, scopes: str) -> None:
    """Record that `actor` let the application `client_id` sign them in with `scopes`."""
    application = get_application_model().objects.filter(client_id=client_id).first()
    changes: Changes = {"client_id": [None, client_id], "scope": [None, scopes]}
    if application is None:  # pragma: no cover - the authorisation has just validated it
        record(
            actor=actor,
            action="identity.oidc.authorize",
            changes=changes,
            object_type="oauth2_provider.application",
            object_id=client_id,
        )
        return
    record(actor=actor, action="identity.oidc.authorize", obj=application, changes=changes)
