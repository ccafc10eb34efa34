"""Who must prove a second factor (TOTP) before using the staff fronts or the admin console:
administrators, auditors, data stewards, and whoever may see personal data unmasked."""

from __future__ import annotations

from typing import Any

from kuaiji.platform.access.services import has_permission

PRIVILEGED_CODES = (
    "access.role.manage",
    "apikeys.key.manage",
    "audit.entry.view",
    "directory.import",
    "directory.personal_data.unmask",
)


def requires_second_factor(user: Any) -> bool:
    """Whether the user's roles (or superuser status) call for a second factor."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_superuser) or any(has_permission(user, code) for code in PRIVILEGED_CODES)


def is_verified(user: Any) -> bool:
    """Whether this session proved the second factor (django-otp's OTPMiddleware marks it)."""
    return bool(getattr(user, "is_verified", lambda: False)())
