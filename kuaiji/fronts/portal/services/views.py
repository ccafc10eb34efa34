"""The service catalog (search, filters by department, kind and for whom, with the one-thing
bundles first), a service item's guide and a bundle's page with its merged materials. Open to
everyone, signed in or not; an "Apply online" button appears once the application screens
exist."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_safe

from kuaiji.apps.government import selectors
from kuaiji.apps.government.models import ApplicantKind, Bundle, ItemKind, ServiceItem
from kuaiji.fronts.shell.language import english

SEARCH_LENGTH = 100


def apply_url(kind: str, code: str) -> str | None:
    """The URL of the online application for an item or a bundle ("portal:services:apply-item"
    or "apply-bundle"), or None while that screen does not exist."""
    try:
        return reverse(f"portal:services:apply-{kind}", args=[code])
    except NoReverseMatch:
        return None


def _pick(chinese: str, other: str) -> str:
    return other if english() and other else chinese


@dataclass(frozen=True)
class Choice:
    """A filter value as a link: its label, count (None for none) and whether it is chosen."""

    value: str
    label: str
    count: int | None
    url: str
    current: bool


@dataclass(frozen=True)
class Row:
    """A service item as the list shows it, in the page's language."""

    item: ServiceItem
    name: str
    department: str


@dataclass(frozen=True)
class BundleRow:
    bundle: Bundle
    name: str
    description: str
    items: list[str]


def _link(criteria: dict[str, str], **changes: str) -> str:
    merged = {**criteria, **changes}
    kept = {name: value for name, value in merged.items() if value}
    return f"?{urlencode(kept)}" if kept else "?"


def _criteria(request: HttpRequest) -> dict[str, str]:
    def value(name: str) -> str:
        return request.GET.get(name, "").strip()[:SEARCH_LENGTH]

    kind, applicants = value("kind"), value("applicants")
    return {
        "q": value("q"),
        "department": value("department"),
        "kind": kind if kind in ItemKind.values else "",
        "applicants": applicants if applicants in ApplicantKind.values else "",
    }


@require_safe
def item_list(request: HttpRequest) -> HttpResponse:
    """The one-thing bundles, then the active items matching the words and filters."""
    criteria = _criteria(request)
    found = selectors.public_items(**criteria)
    facets = selectors.item_facets(**criteria)
    rows = [
        Row(
            item,
            _pick(item.name, item.name_en),
            _pick(item.department.name, item.department.name_en),
        )
        for item in found
    ]
    bundles = [
        BundleRow(
            bundle,
            _pick(bundle.name, bundle.name_en),
            _pick(bundle.description, bundle.description_en),
            [_pick(entry.item.name, entry.item.name_en) for entry in bundle.entries.all()],
        )
        for bundle in selectors.public_bundles()
        if not criteria["applicants"]
        or bundle.applicants in (criteria["applicants"], ApplicantKind.BOTH)
    ]
    departments = [
        Choice(
            facet.value,
            facet.label_en if english() else facet.label,
            facet.count,
            _link(criteria, department=facet.value),
            facet.value == criteria["department"],
        )
        for facet in facets.departments
    ]
    kinds = [
        Choice(
            facet.value,
            str(ItemKind(facet.value).label),
            facet.count,
            _link(criteria, kind=facet.value),
            facet.value == criteria["kind"],
        )
        for facet in facets.kinds
    ]
    for_whom = [
        Choice(
            str(value),
            str(label),
            None,
            _link(criteria, applicants=str(value)),
            value == criteria["applicants"],
        )
        for value, label in ((ApplicantKind.CITIZEN, ApplicantKind.CITIZEN.label),
                             (ApplicantKind.ENTERPRISE, ApplicantKind.ENTERPRISE.label))
    ]  # fmt: skip
    context: dict[str, Any] = {
        "criteria": criteria,
        "rows": rows,
        "bundles": bundles,
        "departments": departments,
        "kinds": kinds,
        "for_whom": for_whom,
        "all_departments_url": _link(criteria, department=""),
        "all_kinds_url": _link(criteria, kind=""),
        "all_applicants_url": _link(criteria, applicants=""),
        "filtered": any(criteria.values()),
    }
    return render(request, "portal/services/list.html", context)


def _materials(materials: list[Any]) -> list[dict[str, Any]]:
    return [
        {
            "code": material.code,
            "name": _pick(material.name, material.name_en),
            "required": material.required,
            "shared": material.from_shared_data,
            "source": _pick(
                material.data_resource.department.name, material.data_resource.department.name_en
            )
            if material.data_resource is not None
            else "",
        }
        for material in materials
    ]


@require_safe
def item(request: HttpRequest, code: str) -> HttpResponse:
    """A service item's guide (404 for an unknown or withdrawn item)."""
    found = selectors.item(code)
    context = {
        "item": found,
        "name": _pick(found.name, found.name_en),
        "department": _pick(found.department.name, found.department.name_en),
        "materials": _materials(list(found.materials.all())),
        "bundles": [
            {"code": bundle.code, "name": _pick(bundle.name, bundle.name_en)}
            for bundle in found.bundles.filter(active=True).order_by("code")
        ],
        "apply_url": apply_url("item", found.code),
    }
    return render(request, "portal/services/item.html", context)


@require_safe
def bundle(request: HttpRequest, code: str) -> HttpResponse:
    """A bundle's page: its items, the merged materials asked once and the merged form's fields
    (404 for an unknown or withdrawn bundle)."""
    guide = selectors.bundle(code)
    found = guide.bundle
    items = [
        {
            "item": entry,
            "name": _pick(entry.name, entry.name_en),
            "department": _pick(entry.department.name, entry.department.name_en),
        }
        for entry in guide.items
    ]
    context = {
        "bundle": found,
        "guide": guide,
        "name": _pick(found.name, found.name_en),
        "description": _pick(found.description, found.description_en),
        "items": items,
        "materials": _materials(guide.materials),
        "form": [
            {**field, "label": _pick(field.get("label", ""), field.get("label_en", ""))}
            for field in found.form
        ],
        "apply_url": apply_url("bundle", found.code),
    }
    return render(request, "portal/services/bundle.html", context)
