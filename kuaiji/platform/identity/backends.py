"""Sign-in of citizens and enterprise operators by mobile phone number and password.

The phone number itself is never the credential handed to `authenticate`: django-axes keeps
the username of every attempt (to count failures and lock out), and it must not keep phone
numbers in plain text. The service front passes `phone_credentials(phone, password)` instead,
whose username is the phone's blind index (HMAC-SM3 under the index key) behind a prefix no
real username can have. `PhoneBackend` finds the person's directory record by that index and
checks their account's password; failures are counted per index and address, like any other.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from kuaiji.platform.core.personal import PersonalKind, blind_index
from kuaiji.platform.directory.models import Citizen
from kuaiji.platform.identity.models import User

# Usernames are letters, digits and @.+-_ only, so no account's username starts with this.
PHONE_PREFIX = "phone:"


def phone_credentials(phone: str, password: str) -> dict[str, str]:
    """What to pass to `django.contrib.auth.authenticate` to sign in by phone number."""
    return {
        "username": PHONE_PREFIX + blind_index(PersonalKind.PHONE, phone),
        "password": password,
    }


def account_by_phone_index(index: str) -> User | None:
    """The one account whose directory record has this phone index, if exactly one has."""
    holders = list(
        Citizen.objects.filter(phone_index=index, user__isnull=False).select_related("user")[:2]
    )
    return holders[0].user if len(holders) == 1 else None


class PhoneBackend(ModelBackend):
    """Authenticates `phone_credentials`; any other credentials are left to other backends.

    A phone credential that does not match ends the search (no other backend is asked), so a
    wrong attempt costs one password hash, and counts as one failure.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if username is None or password is None or not username.startswith(PHONE_PREFIX):
            return None
        index = username.removeprefix(PHONE_PREFIX)
        user = account_by_phone_index(index) if index else None
        if user is None:
            User().set_password(password)  # as long as a wrong password takes
        elif user.check_password(password) and self.user_can_authenticate(user):
            return user
        raise PermissionDenied
