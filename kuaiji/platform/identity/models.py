"""Accounts."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person who signs in: government staff, a citizen or an enterprise operator.

    `display_name` is what screens show (Chinese names are not split into first and last).
    """

    display_name = models.CharField(_("display name"), max_length=100, blank=True)
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
