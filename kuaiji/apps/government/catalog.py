"""Writes of the service item catalog (政务服务事项目录) and the one-thing bundles (一件事).

`register_item` describes a service item of a department, or describes it anew (its materials
are replaced); it takes ``government.item.manage`` over the item's department. `register_bundle`
combines existing items into a bundle; bundles cross departments, so it takes
``government.item.manage`` at the city level (a city-level department or the whole city).
Both are one transaction and leave one audit entry.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from kuaiji.apps.government.models import Bundle, BundleItem, ItemMaterial, ServiceItem
from kuaiji.apps.government.records import BundleRecord, ItemRecord, MaterialRecord
from kuaiji.platform.access.services import authorize
from kuaiji.platform.audit.services import record
from kuaiji.platform.core.errors import InvalidInput
from kuaiji.platform.data.models import DataResource
from kuaiji.platform.directory.models import Department, Region

ITEM_FIELDS = (
    "name",
    "name_en",
    "kind",
    "applicants",
    "legal_basis",
    "conditions",
    "statutory_days",
    "promised_days",
    "fee",
    "fee_basis",
    "online_level",
    "one_visit",
    "guide",
    "result_name",
    "active",
)


def _department(code: str) -> Department:
    found = Department.objects.filter(code=code).first()
    if found is None:
        raise InvalidInput(fields={"department_code": _("Unknown department.")})
    return found


def _resources(materials: list[MaterialRecord]) -> dict[str, DataResource]:
    """The data resources the shared-data materials name, each checked to have its field."""
    codes = {material.data_resource for material in materials if material.data_resource}
    found = {
        resource.code: resource
        for resource in DataResource.objects.filter(code__in=codes).prefetch_related("fields")
    }
    errors: dict[str, str] = {}
    for material in materials:
        if not material.data_resource:
            continue
        resource = found.get(material.data_resource)
        if resource is None:
            errors[f"materials.{material.code}"] = _("Unknown data resource %(code)s.") % {
                "code": material.data_resource
            }
        elif material.lookup_field not in {field.name for field in resource.fields.all()}:
            errors[f"materials.{material.code}"] = _(
                "The data resource %(code)s has no field %(field)s."
            ) % {"code": resource.code, "field": material.lookup_field}
    if errors:
        raise InvalidInput(fields=errors)
    return found


@transaction.atomic
def register_item(*, actor: Any, item: ItemRecord) -> ServiceItem:
    """Describe a service item of a department, or describe an existing one anew (its
    materials are replaced). Needs ``government.item.manage`` over the department (and over
    the former one when the item moves)."""
    department = _department(item.department_code)
    authorize(actor, "government.item.manage", department)
    resources = _resources(item.materials)
    existing = ServiceItem.objects.select_for_update().filter(code=item.code).first()
    if existing is not None and existing.department_id != department.pk:
        authorize(actor, "government.item.manage", existing.department)
    before = (
        {name: getattr(existing, name) for name in (*ITEM_FIELDS, "department_id")}
        if existing
        else {}
    )
    found = existing or ServiceItem(code=item.code)
    for name in ITEM_FIELDS:
        setattr(found, name, getattr(item, name))
    found.department = department
    found.save()
    ItemMaterial.objects.filter(item=found).delete()
    ItemMaterial.objects.bulk_create(
        ItemMaterial(
            item=found,
            position=position,
            code=material.code,
            name=material.name,
            name_en=material.name_en,
            required=material.required,
            data_resource=resources.get(material.data_resource),
            lookup_field=material.lookup_field,
            lookup=material.lookup,
        )
        for position, material in enumerate(item.materials, start=1)
    )
    after = {name: getattr(found, name) for name in (*ITEM_FIELDS, "department_id")}
    changes: dict[str, list[Any]] = {
        name: [_plain(before.get(name)), _plain(value)]
        for name, value in after.items()
        if before.get(name) != value
    }
    changes["materials"] = [None, [material.code for material in item.materials]]
    record(
        actor=actor,
        action="government.item.update" if existing else "government.item.create",
        obj=found,
        changes=changes,
    )
    return found


def _plain(value: Any) -> Any:
    """A value as the audit log keeps it (JSON)."""
    if value is None or isinstance(value, bool | int | str):
        return value
    return str(value)


def _city_region() -> Region | None:
    return Region.objects.filter(code=settings.KUAIJI_CITY.division_code).first()


@transaction.atomic
def register_bundle(*, actor: Any, bundle: BundleRecord) -> Bundle:
    """Combine existing items into a one-thing bundle, or describe an existing bundle anew.
    Needs ``government.item.manage`` at the city level."""
    city = _city_region()
    authorize(actor, "government.item.manage", city)
    items = ServiceItem.objects.in_bulk(bundle.items, field_name="code")
    missing = [code for code in bundle.items if code not in items]
    if missing:
        raise InvalidInput(
            fields={"items": _("Unknown items: %(codes)s.") % {"codes": ", ".join(missing)}}
        )
    existing = Bundle.objects.select_for_update().filter(code=bundle.code).first()
    found = existing or Bundle(code=bundle.code)
    for name in ("name", "name_en", "description", "description_en", "applicants", "active"):
        setattr(found, name, getattr(bundle, name))
    found.form = [field.model_dump() for field in bundle.form]
    found.save()
    BundleItem.objects.filter(bundle=found).delete()
    BundleItem.objects.bulk_create(
        BundleItem(bundle=found, item=items[code], position=position)
        for position, code in enumerate(bundle.items, start=1)
    )
    record(
        actor=actor,
        action="government.bundle.update" if existing else "government.bundle.create",
        obj=found,
        changes={"items": [None, list(bundle.items)], "name": [None, found.name]},
    )
    return found
