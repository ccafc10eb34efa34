"""The service item catalog and the one-thing bundles over the API.

Reading is public (no sign-in, no key): the items with filters, an item's guide and materials,
the bundles, and a bundle with its merged materials. Describing items and bundles takes a
signed-in, verified staff session or an API key, and the permissions of
`kuaiji.apps.government.catalog`.
"""

from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from kuaiji.apps.government import catalog, selectors
from kuaiji.apps.government.models import (
    ApplicantKind,
    Bundle,
    ItemKind,
    ItemMaterial,
    OnlineLevel,
    ServiceItem,
)
from kuaiji.apps.government.records import BundleRecord, ItemRecord
from kuaiji.platform.apikeys.auth import api_key_auth
from kuaiji.platform.identity.api_auth import verified_session

router = Router(tags=["government"], auth=[api_key_auth, verified_session])


class ItemOut(Schema):
    """A service item as the catalog lists it."""

    code: str
    name: str
    name_en: str
    department_code: str = Field(alias="department.code")
    department_name: str = Field(alias="department.name")
    kind: ItemKind
    applicants: ApplicantKind
    statutory_days: int
    promised_days: int
    fee: Decimal
    online_level: OnlineLevel
    one_visit: bool
    result_name: str


class MaterialOut(Schema):
    """A material; `from_shared_data` when the platform obtains it itself (免提交)."""

    code: str
    name: str
    name_en: str
    required: bool
    from_shared_data: bool
    data_resource: str | None
    lookup_field: str

    @staticmethod
    def resolve_data_resource(material: ItemMaterial) -> str | None:
        resource = material.data_resource
        return resource.code if resource is not None else None


class ItemDetail(ItemOut):
    """A service item with its whole guide."""

    legal_basis: str
    conditions: str
    fee_basis: str
    guide: str
    materials: list[MaterialOut]

    @staticmethod
    def resolve_materials(item: ServiceItem) -> list[Any]:
        return list(item.materials.all())


class BundleItemOut(Schema):
    code: str
    name: str
    name_en: str
    department_code: str = Field(alias="department.code")
    promised_days: int


class BundleOut(Schema):
    """A one-thing bundle and its items in order."""

    code: str
    name: str
    name_en: str
    description: str
    description_en: str
    applicants: ApplicantKind
    items: list[BundleItemOut]

    @staticmethod
    def resolve_items(bundle: Bundle) -> list[Any]:
        return [entry.item for entry in bundle.entries.all()]


class MergedMaterialOut(MaterialOut):
    """A material of a bundle, asked once for the items that need it."""

    items: list[str]

    @staticmethod
    def resolve_items(material: selectors.MergedMaterial) -> list[str]:
        return [entry.code for entry in material.items]


class FormFieldOut(Schema):
    name: str
    label: str
    label_en: str = ""
    type: str = "text"
    required: bool = True
    choices: list[str] = []


class BundleDetail(Schema):
    """A bundle with its merged form and materials; it takes as long as its longest item."""

    code: str
    name: str
    name_en: str
    description: str
    description_en: str
    applicants: ApplicantKind
    items: list[BundleItemOut]
    form: list[FormFieldOut]
    materials: list[MergedMaterialOut]
    promised_days: int
    statutory_days: int
    one_visit: bool


class ItemFilters(Schema):
    q: str = Field("", max_length=100, description="Words in the names or the guide.")
    department: str = Field("", max_length=40, description="A department code.")
    kind: ItemKind | None = None
    applicants: ApplicantKind | None = None


@router.get(
    "/items", response=list[ItemOut], summary="The service item catalog (public)", auth=None
)
@paginate(LimitOffsetPagination)
def list_items(request: HttpRequest, filters: Query[ItemFilters]) -> Any:
    return selectors.public_items(
        filters.q, filters.department, filters.kind or "", filters.applicants or ""
    )


@router.get(
    "/items/{code}", response=ItemDetail, summary="A service item's guide (public)", auth=None
)
def item_detail(request: HttpRequest, code: str) -> Any:
    return selectors.item(code)


@router.post("/items", response={201: ItemDetail}, summary="Describe a service item")
def register_item(request: HttpRequest, payload: ItemRecord) -> Any:
    return Status(201, catalog.register_item(actor=request.user, item=payload))


@router.get(
    "/bundles", response=list[BundleOut], summary="The one-thing bundles (public)", auth=None
)
def list_bundles(request: HttpRequest) -> Any:
    return selectors.public_bundles()


def _bundle_detail(guide: selectors.BundleGuide) -> dict[str, Any]:
    bundle = guide.bundle
    return {
        "code": bundle.code,
        "name": bundle.name,
        "name_en": bundle.name_en,
        "description": bundle.description,
        "description_en": bundle.description_en,
        "applicants": bundle.applicants,
        "items": guide.items,
        "form": bundle.form,
        "materials": guide.materials,
        "promised_days": guide.promised_days,
        "statutory_days": guide.statutory_days,
        "one_visit": guide.one_visit,
    }


@router.get(
    "/bundles/{code}",
    response=BundleDetail,
    summary="A bundle with its merged materials (public)",
    auth=None,
)
def bundle_detail(request: HttpRequest, code: str) -> Any:
    return _bundle_detail(selectors.bundle(code))


@router.post("/bundles", response={201: BundleDetail}, summary="Describe a one-thing bundle")
def register_bundle(request: HttpRequest, payload: BundleRecord) -> Any:
    found = catalog.register_bundle(actor=request.user, bundle=payload)
    entries = found.entries.select_related("item__department").prefetch_related(
        "item__materials__data_resource"
    )
    items = [entry.item for entry in entries.order_by("position")]
    guide = selectors.BundleGuide(
        bundle=found, items=items, materials=selectors.merge_materials(items)
    )
    return Status(201, _bundle_detail(guide))
