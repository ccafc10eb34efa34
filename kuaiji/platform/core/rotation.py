"""Rotating the data key: seal every personal value again under a new key, with nothing lost.

The new key is added to the key file first (the old ones stay, so every value can be opened
whatever happens next); then each model's personal columns are re-sealed in batches, each batch
in its own transaction. Run again after an interruption: values already under the new key are
simply sealed once more. Keys no value uses any more can then be retired.
"""

from __future__ import annotations

import secrets
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, replace

from django.apps import apps
from django.db import connection, models, transaction

from kuaiji.platform.core import keys
from kuaiji.platform.core.crypto import SM4_KEY_BYTES
from kuaiji.platform.core.personal import PREFIX, PersonalDataField

BATCH = 500


@dataclass(frozen=True)
class RotationReport:
    """What a rotation did."""

    new_key: str
    rows: int
    values_by_key: dict[str, int]


def personal_columns() -> Iterator[tuple[type[models.Model], list[PersonalDataField]]]:
    """Every model with personal data, with those fields."""
    for model in apps.get_models():
        fields = [f for f in model._meta.concrete_fields if isinstance(f, PersonalDataField)]
        if fields:
            yield model, fields


def values_by_key() -> dict[str, int]:
    """How many stored personal values each data key has sealed."""
    counts: Counter[str] = Counter()
    quote = connection.ops.quote_name
    for model, fields in personal_columns():
        table = quote(model._meta.db_table)
        for model_field in fields:
            column = quote(str(model_field.column))
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT {column} FROM {table} WHERE {column} LIKE %s",  # noqa: S608
                    [f"{PREFIX}%"],
                )
                counts.update(
                    value[len(PREFIX) :].partition(":")[0] for (value,) in cursor.fetchall()
                )
    return dict(counts)


def rotate() -> RotationReport:
    """Add a new current data key and re-seal every personal value with it."""
    ring = keys.keyring()
    number = 1 + max(int(key_id.lstrip("k") or 0) for key_id in ring.data_keys)
    new_id = f"k{number}"
    rotated = replace(
        ring,
        data_keys={**ring.data_keys, new_id: secrets.token_bytes(SM4_KEY_BYTES)},
        current=new_id,
    )
    keys.write(rotated)
    keys.forget()
    rows = 0
    for model, fields in personal_columns():
        names = [f.name for f in fields]
        pks = list(model._default_manager.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(pks), BATCH):
            with transaction.atomic():
                batch = list(
                    model._default_manager.filter(pk__in=pks[start : start + BATCH]).only(*names)
                )
                model._default_manager.bulk_update(batch, names)
                rows += len(batch)
    return RotationReport(new_key=new_id, rows=rows, values_by_key=values_by_key())


def retire_unused() -> list[str]:
    """Remove from the key file the data keys that seal no value; return their ids."""
    ring = keys.keyring()
    used = set(values_by_key()) | {ring.current}
    retired = sorted(set(ring.data_keys) - used)
    if retired:
        keys.write(replace(ring, data_keys={k: v for k, v in ring.data_keys.items() if k in used}))
        keys.forget()
    return retired
