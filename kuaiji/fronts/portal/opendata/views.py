"""The open data list (search, theme and department filters with their counts) and a resource's
page (description, public schema, a preview of the first rows, downloads and how to reach it
through the CKAN and DCAT-AP interfaces). Open to everyone, signed in or not."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from kuaiji.fronts.shell.language import english
from kuaiji.platform.data import opendata
from kuaiji.platform.data.models import DataResource

SEARCH_LENGTH = 100


@dataclass(frozen=True)
class Item:
    """An open resource as the list shows it, in the page's language."""

    resource: DataResource
    title: str
    description: str
    department: str


@dataclass(frozen=True)
class Choice:
    """A facet of the list as a link: the value, its count, and whether it is chosen."""

    facet: opendata.Facet
    url: str
    current: bool


def _title(resource: DataResource) -> str:
    return resource.title_en if english() and resource.title_en else resource.title


def _description(resource: DataResource) -> str:
    if english() and resource.description_en:
        return resource.description_en
    return resource.description


def _department(resource: DataResource) -> str:
    department = resource.department
    return department.name_en if english() and department.name_en else department.name


def _link(criteria: dict[str, str], **changes: str) -> str:
    """The list's query string with some criteria changed (empty ones are left out)."""
    merged = {**criteria, **changes}
    kept = {name: value for name, value in merged.items() if value}
    return f"?{urlencode(kept)}" if kept else "?"


@require_safe
def resource_list(request: HttpRequest) -> HttpResponse:
    """The open resources matching the words, theme and department asked for."""
    criteria = {
        "q": request.GET.get("q", "").strip()[:SEARCH_LENGTH],
        "theme": request.GET.get("theme", "").strip()[:SEARCH_LENGTH],
        "department": request.GET.get("department", "").strip()[:SEARCH_LENGTH],
    }
    found = opendata.open_resources(**criteria, english=english())
    items = [
        Item(resource, _title(resource), _description(resource), _department(resource))
        for resource in found.resources
    ]
    themes = [
        Choice(facet, _link(criteria, theme=facet.value), facet.value == criteria["theme"])
        for facet in found.themes
    ]
    departments = [
        Choice(
            facet,
            _link(criteria, department=facet.value),
            facet.value == criteria["department"],
        )
        for facet in found.departments
    ]
    context: dict[str, Any] = {
        "criteria": criteria,
        "items": items,
        "themes": themes,
        "departments": departments,
        "all_themes_url": _link(criteria, theme=""),
        "all_departments_url": _link(criteria, department=""),
        "filtered": any(criteria.values()),
    }
    return render(request, "portal/opendata/list.html", context)


@require_safe
def resource(request: HttpRequest, code: str) -> HttpResponse:
    """An open resource's page (404 for one that is not open). Showing the preview is logged."""
    found = opendata.open_resource(code)
    page = opendata.preview(found, actor=request.user)
    ckan = request.build_absolute_uri(
        f"/api/3/action/datastore_search?{urlencode({'resource_id': found.code})}"
    )
    dcat = request.build_absolute_uri(f"/catalog/{found.code}.ttl")
    context = {
        "resource": found,
        "title": _title(found),
        "description": _description(found),
        "department": _department(found),
        "fields": opendata.public_fields(found),
        "preview": page,
        "rows": [[record.get(item.name) for item in page.fields] for record in page.records],
        "ckan_url": ckan,
        "dcat_url": dcat,
    }
    return render(request, "portal/opendata/resource.html", context)


@require_safe
def download(request: HttpRequest, code: str, fmt: str) -> StreamingHttpResponse:
    """All rows of an open resource, public fields only, as CSV or JSON; logged."""
    found = opendata.open_resource(code)
    return opendata.download(found, fmt, actor=request.user)
