"""The CKAN dictionaries of the catalogue: a package per data resource, one CKAN resource per
package (its datastore), organizations for departments, groups for themes, tags.

Field names are CKAN's. A package's ``name`` and ``id`` are the resource's code, and so is its
single CKAN resource's ``id``; ``extras`` carry the update frequency, the sharing and opening
types and the data version.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse

from kuaiji.platform.data.models import DataResource, FieldType, OpeningType
from kuaiji.platform.directory.models import Department

# The open data download of the service front (CSV), a route taking the code and the format.
DOWNLOAD_ROUTE = "portal:opendata:download"

# CKAN datastore column types of our field types.
DATASTORE_TYPES: dict[str, str] = {
    FieldType.STRING: "text",
    FieldType.INTEGER: "int",
    FieldType.NUMBER: "numeric",
    FieldType.DATE: "date",
    FieldType.DATETIME: "timestamp",
    FieldType.BOOLEAN: "bool",
}


def ckan_time(moment: datetime | None) -> str | None:
    """A moment as CKAN writes it: ISO 8601 in UTC, without an offset."""
    if moment is None:
        return None
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat()


def action_url(base: str, action: str, **params: Any) -> str:
    """The absolute URL of an action of the API, with its query."""
    query = f"?{urlencode(params)}" if params else ""
    return f"{base}/api/3/action/{action}{query}"


def download_path(resource: DataResource) -> str | None:
    """The path of the resource's open data download, if there is one."""
    if resource.opening != OpeningType.OPEN:
        return None
    try:
        return reverse(DOWNLOAD_ROUTE, kwargs={"code": resource.code, "fmt": "csv"})
    except NoReverseMatch:
        return None


def organization_name(department: Department) -> str:
    """The CKAN name (lower case) of a department's organization."""
    return department.code.lower()


def organization(department: Department, *, package_count: int | None = None) -> dict[str, Any]:
    """A department as a CKAN organization."""
    found: dict[str, Any] = {
        "id": department.code,
        "name": organization_name(department),
        "title": department.name,
        "display_name": department.name,
        "title_translated": {"zh": department.name, "en": department.name_en},
        "description": "",
        "image_url": "",
        "image_display_url": "",
        "type": "organization",
        "is_organization": True,
        "state": "active",
        "approval_status": "approved",
    }
    if package_count is not None:
        found["package_count"] = package_count
    return found


def group(theme: str, *, package_count: int | None = None) -> dict[str, Any]:
    """A theme as a CKAN group."""
    found: dict[str, Any] = {
        "id": theme,
        "name": theme,
        "title": theme,
        "display_name": theme,
        "description": "",
        "image_url": "",
        "image_display_url": "",
        "type": "group",
        "is_organization": False,
        "state": "active",
        "approval_status": "approved",
    }
    if package_count is not None:
        found["package_count"] = package_count
    return found


def tag(name: str) -> dict[str, Any]:
    """A tag as CKAN lists it in a package."""
    return {
        "id": name,
        "name": name,
        "display_name": name,
        "state": "active",
        "vocabulary_id": None,
    }


def resource(item: DataResource, base: str) -> dict[str, Any]:
    """The package's one CKAN resource: its datastore (and download, where there is one)."""
    download = download_path(item)
    return {
        "id": item.code,
        "package_id": item.code,
        "name": item.title_en or item.title,
        "description": item.description_en or item.description,
        "format": "CSV" if download else "JSON",
        "mimetype": "text/csv" if download else "application/json",
        "url": f"{base}{download}"
        if download
        else action_url(base, "datastore_search", resource_id=item.code),
        "url_type": "datastore",
        "datastore_active": True,
        "state": "active",
        "position": 0,
        "created": ckan_time(item.created_at),
        "last_modified": ckan_time(item.data_updated_at),
        "metadata_modified": ckan_time(item.updated_at),
        "size": None,
    }


def modified(item: DataResource) -> datetime:
    """When the resource's description or data last changed."""
    moments = [item.updated_at, item.data_updated_at]
    return max(moment for moment in moments if moment is not None)


def package(item: DataResource, base: str) -> dict[str, Any]:
    """A data resource as a CKAN package."""
    licence = item.licence
    return {
        "id": item.code,
        "name": item.code,
        "title": item.title,
        "title_translated": {"zh": item.title, "en": item.title_en},
        "notes": item.description,
        "notes_translated": {"zh": item.description, "en": item.description_en},
        "type": "dataset",
        "state": "active",
        "private": item.opening != OpeningType.OPEN,
        "owner_org": item.department.code,
        "organization": organization(item.department),
        "maintainer": item.steward,
        "author": item.department.name,
        "license_id": licence,
        "license_title": licence,
        "license_url": licence_url(licence),
        "isopen": item.opening == OpeningType.OPEN,
        "version": str(item.version),
        "metadata_created": ckan_time(item.created_at),
        "metadata_modified": ckan_time(modified(item)),
        "tags": [tag(name) for name in item.tags],
        "num_tags": len(item.tags),
        "groups": [group(theme) for theme in item.themes],
        "extras": [
            {"key": "frequency", "value": item.frequency},
            {"key": "sharing", "value": item.sharing},
            {"key": "opening", "value": item.opening},
            {"key": "data_version", "value": str(item.data_version)},
            {"key": "row_count", "value": str(item.row_count)},
        ],
        "resources": [resource(item, base)],
        "num_resources": 1,
        "url": "",
    }


# SPDX identifiers of the licences we know, with their canonical URLs.
LICENCE_URLS = {
    "CC-BY-4.0": "https://creativecommons.org/licenses/by/4.0/",
    "CC-BY-SA-4.0": "https://creativecommons.org/licenses/by-sa/4.0/",
    "CC0-1.0": "https://creativecommons.org/publicdomain/zero/1.0/",
    "ODbL-1.0": "https://opendatacommons.org/licenses/odbl/1-0/",
    "PDDL-1.0": "https://opendatacommons.org/licenses/pddl/1-0/",
}


def licence_url(licence: str) -> str:
    """The URL of a licence given by its SPDX identifier or its URL ("" when unknown)."""
    if licence.startswith(("http://", "https://")):
        return licence
    return LICENCE_URLS.get(licence, "")
