"""Reads of loads and data sources: the owning department's business.

Every read needs `data.resource.manage` (403 without it anywhere) within the resource's owning
department (404 outside it, as for a resource that does not exist).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from kuaiji.platform.access.services import authorize
from kuaiji.platform.core.errors import NotFound
from kuaiji.platform.data.models import DataResource, DataRow, DataSource, Load, RowRevision

MANAGE = "data.resource.manage"


def managed_resource(actor: Any, code: str) -> DataResource:
    """The resource of `code`, if the actor manages it."""
    authorize(actor, MANAGE)
    found = DataResource.objects.select_related("department__region").filter(code=code).first()
    if found is None:
        raise NotFound()
    authorize(actor, MANAGE, found.department)
    return found


def loads_of(actor: Any, code: str) -> QuerySet[Load]:
    """The loads of a resource the actor manages, latest first."""
    resource = managed_resource(actor, code)
    return Load.objects.filter(resource=resource).select_related("resource", "actor")


def load_of(actor: Any, pk: int) -> Load:
    """One load (with its resource), if the actor manages the resource."""
    authorize(actor, MANAGE)
    found = Load.objects.select_related("resource__department", "actor").filter(pk=pk).first()
    if found is None:
        raise NotFound()
    authorize(actor, MANAGE, found.resource.department)
    return found


def sources_of(actor: Any, code: str) -> QuerySet[DataSource]:
    """The data sources of a resource the actor manages."""
    resource = managed_resource(actor, code)
    return DataSource.objects.filter(resource=resource).select_related("resource", "last_load")


@dataclass(frozen=True)
class RowChange:
    """A row a load replaced: each field that changed, as (name, value before, value after)."""

    key: str
    fields: list[tuple[str, Any, Any]]


def changes_of(load: Load, *, limit: int = 100) -> list[RowChange]:
    """The rows the load changed (up to `limit`, by key), field by field. The values after are
    those the load wrote: kept by the next version's revision if a later load changed the row
    again, else the row as it is."""
    if load.data_version is None:
        return []
    earlier = list(
        RowRevision.objects.filter(resource_id=load.resource_id, version=load.data_version)
        .order_by("key")
        .values_list("key", "data")[:limit]
    )
    keys = [key for key, _data in earlier]
    written: dict[str, Any] = {}
    for key, data in (
        RowRevision.objects.filter(
            resource_id=load.resource_id, key__in=keys, version__gt=load.data_version
        )
        .order_by("key", "-version")
        .values_list("key", "data")
    ):
        written[key] = data  # ordered by version descending: the next version's comes last
    for key, data in DataRow.objects.filter(resource_id=load.resource_id, key__in=keys).values_list(
        "key", "data"
    ):
        written.setdefault(key, data)
    changes = []
    for key, before in earlier:
        after = written.get(key) or {}
        names = list(dict.fromkeys([*before, *after]))
        changed = [
            (name, before.get(name), after.get(name))
            for name in names
            if before.get(name) != after.get(name)
        ]
        changes.append(RowChange(key=key, fields=changed))
    return changes
