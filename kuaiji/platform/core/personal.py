"""Personal data: identity numbers, phone numbers and addresses.

Fields holding personal data are declared with `PersonalDataField` and a `PersonalKind`, so the
security layer can encrypt them at rest in one place. Anything shown in lists, logs or the API
goes through `mask` unless the actor is entitled to see the whole value.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.db import models


class PersonalKind(StrEnum):
    """The kinds of personal data the platform stores."""

    ID_NUMBER = "id_number"
    PHONE = "phone"
    ADDRESS = "address"


class PersonalDataField(models.CharField):  # type: ignore[type-arg]
    """A text column that holds personal data of one `PersonalKind`."""

    def __init__(self, *args: Any, kind: PersonalKind, **kwargs: Any) -> None:
        self.kind = PersonalKind(kind)
        kwargs.setdefault("max_length", 255)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["kind"] = self.kind.value
        return name, path, args, kwargs


def mask(kind: PersonalKind | str, value: str | None) -> str:
    """The value with its identifying middle hidden.

    Identity numbers keep the first 3 and the last 4 characters, phone numbers the first 3 and
    the last 4 digits, addresses their first 6 characters.
    """
    if not value:
        return ""
    kind = PersonalKind(kind)
    if kind is PersonalKind.ID_NUMBER:
        return (
            value[:3] + "*" * max(len(value) - 7, 0) + value[-4:]
            if len(value) > 7
            else "*" * len(value)
        )
    if kind is PersonalKind.PHONE:
        return value[:3] + "****" + value[-4:] if len(value) >= 11 else "*" * len(value)
    return value[:6] + "****" if len(value) > 6 else value[:1] + "****"
