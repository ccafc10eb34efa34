"""Reads of the catalog. The catalog itself is shared across government: every holder of
`data.resource.view` sees every resource's description and schema (what the data is; obtaining
the data is another matter)."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from kuaiji.platform.access.services import authorize
from kuaiji.platform.core.errors import NotFound
from kuaiji.platform.data.models import DataResource, ResourceField


def catalog(actor: Any) -> QuerySet[DataResource]:
    """Every resource with its department and schema, by code."""
    authorize(actor, "data.resource.view")
    return (
        DataResource.objects.select_related("department")
        .prefetch_related(Prefetch("fields", queryset=ResourceField.objects.order_by("position")))
        .order_by("code")
    )


def resource(actor: Any, code: str) -> DataResource:
    found = catalog(actor).filter(code=code).first()
    if found is None:
        raise NotFound()
    return found
