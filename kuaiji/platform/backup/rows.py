"""The database part of a backup: every table as JSON lines that SQLite and PostgreSQL write
and read back the same way.

Each line is the JSON array of one row's column values, in the order of the model's concrete
fields (`columns`): dates and times in ISO 8601 with their offset, decimals, UUIDs and
durations as strings, binary values in base64, JSON documents as they are (keys sorted).
Personal-data columns are read past their decryption, so the archive holds the SM4
ciphertext exactly as stored.

A table's checksum is the sum, modulo 2**256, of the SHA-256 of its lines: it does not depend
on the order the database returns rows in, so a table restored on another vendor (whose text
collation may order keys differently) checks against the same value.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from ipaddress import IPv4Address, IPv6Address
from typing import Any
from uuid import UUID

from django.apps import apps
from django.db import connections, models
from django.db.models import ExpressionWrapper, F
from django.utils.duration import duration_iso_string

from kuaiji.platform.core.personal import PersonalDataField, sealed_with

CHUNK = 2000
BATCH = 500
MODULUS = 2**256

Model = type[models.Model]


def models_to_copy() -> list[Model]:
    """Every model whose table the database holds (auto-created many-to-many tables too),
    one per table, ordered by table name."""
    chosen: dict[str, Model] = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.managed and not meta.proxy and not meta.swapped:
            chosen.setdefault(meta.db_table, model)
    return [chosen[table] for table in sorted(chosen)]


def columns(model: Model) -> list[str]:
    """The columns of a table, as the archive lists them."""
    return [str(f.column) for f in model._meta.concrete_fields]


def _plain(value: Any) -> Any:
    """A JSON form for the values json does not know."""
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return duration_iso_string(value)
    if isinstance(value, Decimal | UUID | IPv4Address | IPv6Address):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode()
    raise TypeError(f"{type(value).__name__} cannot be written to a backup")


def encode(row: Sequence[Any]) -> str:
    """The canonical line of one row."""
    return json.dumps(
        list(row), ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=_plain
    )


@dataclass
class TableDigest:
    """Row count and order-independent checksum of a table, and the data keys its personal
    values are sealed with."""

    rows: int = 0
    total: int = 0
    data_keys: set[str] = field(default_factory=set)

    def add(self, line: str) -> None:
        self.rows += 1
        digest = hashlib.sha256(line.encode()).digest()
        self.total = (self.total + int.from_bytes(digest, "big")) % MODULUS

    @property
    def checksum(self) -> str:
        return f"{self.total:064x}"


def stored_rows(model: Model, using: str = "default") -> Iterator[tuple[Any, ...]]:
    """The rows of a table as stored, streamed in primary-key order; personal data stays
    sealed."""
    names: list[str] = []
    sealed: dict[str, ExpressionWrapper[Any]] = {}
    for model_field in model._meta.concrete_fields:
        if isinstance(model_field, PersonalDataField):
            alias = f"sealed_{model_field.attname}"
            sealed[alias] = ExpressionWrapper(
                F(model_field.attname), output_field=models.TextField()
            )
            names.append(alias)
        else:
            names.append(model_field.attname)
    rows = model._base_manager.using(using).annotate(**sealed).order_by("pk").values_list(*names)
    yield from rows.iterator(chunk_size=CHUNK)


def dump(
    model: Model, write: Callable[[bytes], Any] | None = None, using: str = "default"
) -> TableDigest:
    """Count and checksum a table, writing its lines to `write` when given."""
    digest = TableDigest()
    personal = [
        index
        for index, model_field in enumerate(model._meta.concrete_fields)
        if isinstance(model_field, PersonalDataField)
    ]
    for row in stored_rows(model, using):
        line = encode(row)
        digest.add(line)
        for index in personal:
            if row[index]:
                digest.data_keys.add(sealed_with(row[index]))
        if write is not None:
            write(line.encode() + b"\n")
    digest.data_keys.discard("")
    return digest


def load(model: Model, lines: Iterable[bytes], using: str = "default") -> int:
    """Insert the rows of `lines` as they are: primary keys kept, no `pre_save` (timestamps,
    blind indexes and sealed values are not computed again), in batches."""
    fields = list(model._meta.concrete_fields)
    operations = connections[using].ops
    batch_size = max(1, min(BATCH, operations.bulk_batch_size(fields, [None] * BATCH)))
    manager = model._base_manager.db_manager(using)
    batch: list[models.Model] = []
    count = 0
    for line in lines:
        values = json.loads(line)
        if len(values) != len(fields):
            raise ValueError(f"a row of {model._meta.db_table} has {len(values)} values")
        batch.append(
            model(
                *(
                    None if value is None else model_field.to_python(value)
                    for model_field, value in zip(fields, values, strict=True)
                )
            )
        )
        if len(batch) >= batch_size:
            manager._insert(batch, fields=fields, raw=True, using=using)  # type: ignore[attr-defined]
            count += len(batch)
            batch = []
    if batch:
        manager._insert(batch, fields=fields, raw=True, using=using)  # type: ignore[attr-defined]
        count += len(batch)
    return count
