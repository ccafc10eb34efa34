"""Reads of loads and data sources: the owning department's business.

Every read needs `data.resource.manage` (403 without it anywhere) within the resource's owning
department (404 outside it, as for a resource that does not exist).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from kuaiji.platform.access.services import authorize
from kuaiji.platform.core.errors import NotFound
from kuaiji.platform.data.models import DataResource, DataSource, Load

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
