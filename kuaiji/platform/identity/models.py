"""Accounts."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _


class AccountKind(models.TextChoices):
    """Who an account belongs to. Access to the staff fronts still follows `is_staff` and the
    person's roles; the kind says which front the account was made for."""

    STAFF = "staff", _("government staff")
    CITIZEN = "citizen", _("citizen")
    ENTERPRISE_OPERATOR = "enterprise_operator", _("enterprise operator")


class RealNameLevel(models.TextChoices):
    """How far the person's real name is established (实名等级: 未实名, 自报实名, 核验实名)."""

    NONE = "none", _("real name not given")
    SELF_DECLARED = "self_declared", _("real name self-declared")
    VERIFIED = "verified", _("real name verified")


class User(AbstractUser):
    """A person who signs in: government staff, a citizen or an enterprise operator.

    `display_name` is what screens show (Chinese names are not split into first and last).
    Citizens and enterprise operators sign in with their phone number, found through their
    directory record's blind index; their `username` is an opaque key with no personal data.
    """

    display_name = models.CharField(_("display name"), max_length=100, blank=True)
    kind = models.CharField(
        _("kind of account"), max_length=20, choices=AccountKind.choices, default=AccountKind.STAFF
    )
    real_name_level = models.CharField(
        _("real-name level"),
        max_length=15,
        choices=RealNameLevel.choices,
        default=RealNameLevel.NONE,
        help_text=_("Self-declared at registration; verified by staff."),
    )
    session_generation = models.PositiveIntegerField(
        _("session generation"),
        default=0,
        editable=False,
        help_text=_("Raised to sign the person out of every session at once."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        swappable = "AUTH_USER_MODEL"

    def __str__(self) -> str:
        return self.display_name or self.username

    def get_session_auth_hash(self) -> str:
        """Sessions carry this hash; it changes with the password and with every "sign out
        everywhere", which ends all sessions made before."""
        return salted_hmac(
            "kuaiji.identity.session",
            f"{self.password}:{self.session_generation}",
            algorithm="sha256",
        ).hexdigest()
