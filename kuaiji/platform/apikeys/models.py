"""API keys and the log of their uses.

A key acts for its owner: whatever it does is limited to the owner's data scope AND to the
permission codes the key lists (a code counts only if the owner also holds it). Keys are
created and revoked only through `kuaiji.platform.apikeys.services`, which also write the audit
entries; uses go to their own table, one row per request, outside the audit chain.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kuaiji.platform.access.registry import unknown_codes
from kuaiji.platform.apikeys import tokens

MAX_RATE = 10_000


class ApiKey(models.Model):
    """A credential a machine client sends as ``Authorization: Bearer kj_…`` or
    ``X-API-Key: kj_…``.

    Only the prefix (to find and recognise the key) and an HMAC-SM3 digest of the whole key
    are stored; the key itself is shown once, when it is created, and never again.
    """

    name = models.CharField(_("name"), max_length=100)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="api_keys",
        verbose_name=_("owner"),
        help_text=_("The person the key acts for: it never sees more than they do."),
    )
    prefix = models.CharField(_("prefix"), max_length=8, unique=True, editable=False)
    secret_hash = models.CharField(_("secret hash"), max_length=64, editable=False)
    permissions = models.JSONField(
        _("permission codes"),
        default=list,
        help_text=_("The codes the key may use; each also has to be held by the owner."),
    )
    rate_per_minute = models.PositiveIntegerField(
        _("requests per minute"),
        default=60,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_RATE)],
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.label})"

    def clean(self) -> None:
        if not isinstance(self.permissions, list) or not all(
            isinstance(code, str) for code in self.permissions
        ):
            raise ValidationError({"permissions": _("A list of permission codes is expected.")})
        unknown = unknown_codes(self.permissions)
        if unknown:
            raise ValidationError(
                {
                    "permissions": _("Unknown permission codes: %(codes)s")
                    % {"codes": ", ".join(unknown)}
                }
            )

    @property
    def label(self) -> str:
        """How the key is shown: ``kj_`` and the prefix."""
        return tokens.label(self.prefix)

    def is_expired(self, now: datetime | None = None) -> bool:
        """Whether the key's expiry date has passed."""
        return self.expires_at is not None and self.expires_at <= (now or timezone.now())

    def is_usable(self, now: datetime | None = None) -> bool:
        """Neither revoked nor expired."""
        return self.revoked_at is None and not self.is_expired(now)


class ApiKeyUse(models.Model):
    """One request made with a key, whatever its outcome (refusals included): when, what,
    with which answer, from where. Written once per request, never changed.

    The query string is not kept: it may carry personal data (a name searched for).
    """

    key = models.ForeignKey(
        ApiKey, on_delete=models.CASCADE, related_name="uses", verbose_name=_("API key")
    )
    at = models.DateTimeField(_("time"), default=timezone.now)
    method = models.CharField(_("method"), max_length=10)
    path = models.CharField(_("path"), max_length=300)
    status = models.PositiveSmallIntegerField(_("status"))
    source_ip = models.GenericIPAddressField(_("source IP"), null=True, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("API key use")
        verbose_name_plural = _("API key uses")
        indexes = [models.Index(fields=["key", "-at"], name="apikeys_use_key_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.method} {self.path} {self.status}"
