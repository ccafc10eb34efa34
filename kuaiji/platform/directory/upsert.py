"""The mechanism every directory upsert shares: bulk create-or-update by a key, scope checks on
what is changed, path rewrites for moved subtrees, and the report of what happened."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db import models
from django.db.models import Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from kuaiji.platform.access.services import authorize_all
from kuaiji.platform.audit.services import Change, Changes, describe, diff, record_changes
from kuaiji.platform.core.errors import InvalidInput
from kuaiji.platform.core.personal import refresh_blind_indexes
from kuaiji.platform.directory.models import Region

M = TypeVar("M", bound=models.Model)
BATCH = 500


@dataclass
class UpsertReport:
    """What an upsert did."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    changed_keys: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged

    def __str__(self) -> str:
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"


def problem(index: int, message: str) -> InvalidInput:
    return InvalidInput(
        _("Record %(n)d: %(problem)s") % {"n": index + 1, "problem": message},
        fields={str(index + 1): message},
    )


def compared(value: Any) -> Any:
    """What a value is compared by: a related object by its primary key."""
    return value.pk if isinstance(value, models.Model) else value


def stored_value(obj: models.Model, name: str) -> Any:
    """A stored field's value; a foreign key's id, without loading the related row."""
    field_ = obj._meta.get_field(name)
    if isinstance(field_, models.ForeignKey):
        return getattr(obj, field_.attname)
    return getattr(obj, name)


def save_rows(
    model: type[M],
    key: str,
    rows: dict[str, dict[str, Any]],
    report: UpsertReport,
    *,
    actor: Any,
    code: str,
) -> dict[str, M]:
    """Create or update `rows` (key value -> field values); return every row's object by key.

    A stored row that would change must lie within the actor's scope for `code`. Every row
    created or changed gets its audit entry, with the fields that changed.
    """
    existing: dict[str, M] = model._default_manager.in_bulk(list(rows), field_name=key)
    to_create: list[M] = []
    to_update: list[tuple[M, Changes]] = []
    changed_fields: set[str] = set()
    for key_value, values in rows.items():
        current = existing.get(key_value)
        if current is None:
            to_create.append(model(**{key: key_value}, **values))
            continue
        differing = [
            name for name, value in values.items() if stored_value(current, name) != compared(value)
        ]
        before = {name: stored_value(current, name) for name in differing}
        for name, value in values.items():
            if isinstance(value, models.Model):
                setattr(current, name, value)  # same row or new one: cached for the audit entry
        if differing:
            after = {name: compared(values[name]) for name in differing}
            for name in differing:
                setattr(current, name, values[name])
            changed_fields.update(differing)
            changed_fields.update(refresh_blind_indexes(current, set(differing)))
            to_update.append((current, diff(current, before, after)))
            report.changed_keys.append(key_value)
        else:
            report.unchanged += 1
    authorize_all(actor, code, [obj for obj, _changes in to_update])
    created = model._default_manager.bulk_create(to_create, batch_size=BATCH)
    if to_update:
        model._default_manager.bulk_update(
            [obj for obj, _changes in to_update], sorted(changed_fields), batch_size=BATCH
        )
    report.created += len(created)
    report.updated += len(to_update)
    report.changed_keys.extend(str(getattr(obj, key)) for obj in created)
    _audit(actor, model, created, to_update)
    return {**existing, **{str(getattr(obj, key)): obj for obj in created}}


def _audit(actor: Any, model: type[M], created: list[M], updated: list[tuple[M, Changes]]) -> None:
    prefix = f"{model._meta.app_label}.{model._meta.model_name}"
    fields = [f.name for f in model._meta.concrete_fields if not f.primary_key]
    record_changes(
        [
            Change(
                actor=actor,
                action=f"{prefix}.create",
                changes=diff(obj, {}, {name: stored_value(obj, name) for name in fields}),
                **describe(obj),
            )
            for obj in created
        ]
        + [
            Change(actor=actor, action=f"{prefix}.update", changes=changes, **describe(obj))
            for obj, changes in updated
        ]
    )


def regions_by_code(codes: Iterable[str]) -> dict[str, Region]:
    return Region.objects.in_bulk({code for code in codes if code}, field_name="code")


def move_subtree(model: type[models.Model], old_path: str, new_path: str) -> None:
    """Rewrite the paths below a node whose own path changed."""
    model._default_manager.filter(path__startswith=old_path).exclude(path=old_path).update(
        path=Concat(Value(new_path), Substr("path", len(old_path) + 1))
    )
