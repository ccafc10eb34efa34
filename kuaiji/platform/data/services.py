"""Writes of the catalog: registering a data resource and describing it anew.

A department's officers register the resources of their unit (`data.resource.manage` within
that department); a change of the description or the schema makes the next version. Every
registration is audited.
"""

from __future__ import annotations

import json
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kuaiji.platform.access.services import authorize
from kuaiji.platform.audit.services import record
from kuaiji.platform.core.errors import InvalidInput
from kuaiji.platform.data.models import DataResource, ResourceField
from kuaiji.platform.data.records import ResourceRecord
from kuaiji.platform.directory.models import Department

DESCRIBED = (
    "title",
    "title_en",
    "description",
    "description_en",
    "steward",
    "frequency",
    "themes",
    "tags",
    "licence",
    "sharing",
    "sharing_basis",
    "opening",
)


def _schema(resource: DataResource) -> list[dict[str, Any]]:
    return [
        {
            "name": item.name,
            "type": item.type,
            "description": item.description,
            "standard": item.standard,
            "level": item.level,
            "primary_key": item.primary_key,
            "required": item.required,
        }
        for item in resource.fields.order_by("position")
    ]


@transaction.atomic
def register_resource(*, actor: Any, resource: ResourceRecord) -> DataResource:
    """Register a resource, or describe an existing one anew (its next version)."""
    department = (
        Department.objects.select_related("region").filter(code=resource.department_code).first()
    )
    if department is None:
        raise InvalidInput(fields={"department_code": _("No department has this code.")})
    authorize(actor, "data.resource.manage", department)
    described = {name: getattr(resource, name) for name in DESCRIBED}
    schema = [item.model_dump(mode="json") for item in resource.fields]
    found = DataResource.objects.select_for_update().filter(code=resource.code).first()
    if found is not None:
        authorize(actor, "data.resource.manage", found.department)
        unchanged = (
            found.department_id == department.pk
            and all(getattr(found, name) == value for name, value in described.items())
            and _schema(found) == schema
        )
        if unchanged:
            return found
        for name, value in described.items():
            setattr(found, name, value)
        found.department = department
        found.version += 1
        found.updated_at = timezone.now()
        found.save()
        found.fields.all().delete()
        target = found
    else:
        target = DataResource.objects.create(code=resource.code, department=department, **described)
    ResourceField.objects.bulk_create(
        ResourceField(resource=target, position=position, **item)
        for position, item in enumerate(schema, start=1)
    )
    record(
        actor=actor,
        action="data.resource.register",
        obj=target,
        changes={
            "version": [target.version - 1 or None, target.version],
            "fields": [None, len(schema)],
        },
    )
    return target


def row_key(values: list[Any]) -> str:
    """The canonical text of a row's primary key values (compact JSON), unique per resource."""
    return json.dumps(values, ensure_ascii=False, separators=(",", ":"))
