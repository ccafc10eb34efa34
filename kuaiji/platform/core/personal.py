"""Personal data: identity numbers, phone numbers and addresses.

- At rest, a `PersonalDataField` holds ``sm4:<key id>:<base64>``: the value sealed with SM4-GCM
  under the keyring's current data key, bound to its kind (a phone cannot be passed off as an
  identity number). Reading opens it with whichever key sealed it, so keys can be rotated.
- To find a person by exact identity number or phone, a `BlindIndexField` keeps the keyed
  SM3 digest (HMAC-SM3 under the index key) of the normalised value, kept in step on save.
- Shown in lists, logs, the API or the audit log, values go through `mask` unless the actor is
  entitled to see them whole.
"""

from __future__ import annotations

import base64
from enum import StrEnum
from typing import Any

from django.core.exceptions import FieldError
from django.db import models

from kuaiji.platform.core.crypto import hmac_sm3, sm4_decrypt, sm4_encrypt
from kuaiji.platform.core.keys import keyring

PREFIX = "sm4:"


class PersonalKind(StrEnum):
    """The kinds of personal data the platform stores."""

    ID_NUMBER = "id_number"
    PHONE = "phone"
    ADDRESS = "address"
    NAME = "name"


def seal(kind: PersonalKind, value: str) -> str:
    """The stored form of a value: sealed under the current data key."""
    ring = keyring()
    sealed = sm4_encrypt(ring.current_key, value.encode(), associated=kind.value.encode())
    return f"{PREFIX}{ring.current}:{base64.urlsafe_b64encode(sealed).decode()}"


def open_sealed(kind: PersonalKind, stored: str) -> str:
    """The value behind a stored form (DecryptionFailed if it was altered)."""
    key_id, _sep, body = stored[len(PREFIX) :].partition(":")
    key = keyring().data_keys[key_id]
    return sm4_decrypt(key, base64.urlsafe_b64decode(body), associated=kind.value.encode()).decode()


def sealed_with(stored: str) -> str:
    """The id of the key a stored form was sealed with ("" for an empty value)."""
    return stored[len(PREFIX) :].partition(":")[0] if stored.startswith(PREFIX) else ""


def normalise(kind: PersonalKind, value: str) -> str:
    """The form compared by the blind index: no spaces or dashes, upper case."""
    return value.replace(" ", "").replace("-", "").upper()


def blind_index(kind: PersonalKind, value: str) -> str:
    """The keyed SM3 digest that finds a value without revealing it ("" for no value)."""
    if not value:
        return ""
    text = f"{kind.value}:{normalise(kind, value)}"
    return hmac_sm3(keyring().index_key, text.encode())


class PersonalDataField(models.TextField):  # type: ignore[type-arg]
    """A column of personal data of one `PersonalKind`, encrypted at rest.

    Only ``isnull`` can be looked up (the stored form changes with every write); find rows
    through the matching `BlindIndexField`.
    """

    def __init__(self, *args: Any, kind: PersonalKind | str, **kwargs: Any) -> None:
        self.kind = PersonalKind(kind)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["kind"] = self.kind.value
        return name, path, args, kwargs

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if value and value.startswith(PREFIX):
            return open_sealed(self.kind, value)
        return value

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value and not str(value).startswith(PREFIX):
            return seal(self.kind, str(value))
        return value

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name != "isnull":
            raise FieldError(
                f"{self.name} is encrypted: look it up through its blind index, not {lookup_name!r}"
            )
        return super().get_lookup(lookup_name)


class BlindIndexField(models.CharField):  # type: ignore[type-arg]
    """The blind index of a `PersonalDataField` on the same model, recomputed on every save."""

    def __init__(self, *args: Any, source: str, **kwargs: Any) -> None:
        self.source = source
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("db_index", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        return name, path, args, kwargs

    def compute(self, instance: models.Model) -> str:
        """The index of the instance's current source value."""
        source = instance._meta.get_field(self.source)
        if not isinstance(source, PersonalDataField):
            raise TypeError(f"{self.source} is not a personal data field")
        return blind_index(source.kind, getattr(instance, self.source) or "")

    def pre_save(self, model_instance: models.Model, add: bool) -> str:
        value = self.compute(model_instance)
        setattr(model_instance, self.attname, value)
        return value


def refresh_blind_indexes(instance: models.Model, changed: set[str]) -> set[str]:
    """Recompute the indexes whose source is among `changed` (for bulk updates, which skip
    `pre_save`); return the index fields that were refreshed."""
    refreshed = set()
    for model_field in instance._meta.concrete_fields:
        if isinstance(model_field, BlindIndexField) and model_field.source in changed:
            setattr(instance, model_field.attname, model_field.compute(instance))
            refreshed.add(model_field.name)
    return refreshed


def mask(kind: PersonalKind | str, value: str | None) -> str:
    """The value with its identifying middle hidden.

    Identity numbers keep the first 3 and the last 4 characters, phone numbers the first 3 and
    the last 4 digits, addresses their first 6 characters, names their first character
    (张*, 欧阳**).
    """
    if not value:
        return ""
    kind = PersonalKind(kind)
    if kind is PersonalKind.ID_NUMBER:
        if len(value) <= 7:
            return "*" * len(value)
        return value[:3] + "*" * (len(value) - 7) + value[-4:]
    if kind is PersonalKind.PHONE:
        return value[:3] + "****" + value[-4:] if len(value) >= 11 else "*" * len(value)
    if kind is PersonalKind.NAME:
        return value[:1] + "*" * (len(value) - 1)
    return value[:6] + "****" if len(value) > 6 else value[:1] + "****"
