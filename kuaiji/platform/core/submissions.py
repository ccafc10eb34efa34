"""Submission keys: a form carries a random key, so the same submission sent twice (a double
click, a retry after a timeout) makes one record. A model opts in with a unique
``submission_key`` column; its service checks the key and looks for an earlier submission."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from kuaiji.platform.core.errors import Conflict, InvalidInput

KEY_MAX = 64
Record = TypeVar("Record", bound=models.Model)


def checked_key(submission_key: str) -> str:
    """The key without surrounding blanks; InvalidInput when missing or too long."""
    key = (submission_key or "").strip()
    if not key or len(key) > KEY_MAX:
        raise InvalidInput(
            fields={"submission_key": _("Send the form's submission key (1 to 64 characters).")}
        )
    return key


def earlier_submission(model: type[Record], key: str, actor: Any, owner: str) -> Record | None:
    """The record an earlier submission with `key` made, if the actor made it (the `owner`
    foreign key names who did); Conflict when someone else used the key."""
    found = model._default_manager.filter(submission_key=key).first()
    if found is not None and getattr(found, f"{owner}_id") != getattr(actor, "pk", None):
        raise Conflict(_("This submission key has already been used."))
    return found


def next_number(model: type[models.Model], prefix: str, digits: int) -> str:
    """The next free number under `prefix` (a date or a year): the prefix and a zero-padded
    sequence one past the highest in use."""
    last = (
        model._default_manager.filter(number__startswith=prefix)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    tail = last[len(prefix) :] if last else ""
    return f"{prefix}{(int(tail) + 1 if tail.isdigit() else 1):0{digits}d}"


def insert_numbered(
    record: Record, *, prefix: str, digits: int, actor: Any, owner: str, attempts: int = 5
) -> Record:
    """Insert a record with a `submission_key` under the next free number, trying again when
    another insert took the number; the earlier record when the same key won meanwhile (the
    caller compares it with `record`)."""
    model = type(record)
    for _attempt in range(attempts):
        record.number = next_number(model, prefix, digits)  # type: ignore[attr-defined]
        try:
            with transaction.atomic():
                record.save(force_insert=True)
            return record
        except IntegrityError:
            record.pk = None
            existing = earlier_submission(model, record.submission_key, actor, owner)  # type: ignore[attr-defined]
            if existing is not None:
                return existing
    raise Conflict(_("Too many submissions at once; please try again."))
