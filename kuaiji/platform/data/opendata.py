"""Open data (数据开放): what the public may see and take of the catalog.

Only resources whose opening type is "open unconditionally" are listed here, and of those only
the level-1 (public) fields: nothing classified above level 1 ever leaves through the open data
front, whatever the caller asks. A resource that is not open answers exactly as a missing one
(404). Every preview and download is logged as a `DataCall` (channel preview or download, the
caller when signed in, the fields and the number of rows); these public reads are not sealed in
the audit chain.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import StreamingHttpResponse

from kuaiji.platform.core.errors import NotFound
from kuaiji.platform.data import rows
from kuaiji.platform.data.models import (
    CallChannel,
    DataCall,
    DataResource,
    Level,
    OpeningType,
    ResourceField,
)

PREVIEW_ROWS = 20
MAX_PREVIEW_ROWS = 100
FORMATS: dict[str, str] = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json; charset=utf-8",
}
# Excel takes a CSV file for UTF-8 (and shows Chinese right) only when it starts with a BOM.
BOM = "\ufeff"


@dataclass(frozen=True)
class Facet:
    """One value to narrow the list by, with the number of open resources it would keep."""

    value: str
    label: str
    count: int


@dataclass(frozen=True)
class OpenCatalog:
    """The open resources that match a search, and the theme and department facets."""

    resources: list[DataResource]
    themes: list[Facet]
    departments: list[Facet]


def _open() -> QuerySet[DataResource]:
    return (
        DataResource.objects.filter(opening=OpeningType.OPEN)
        .select_related("department")
        .prefetch_related(Prefetch("fields", queryset=ResourceField.objects.order_by("position")))
        .order_by("code")
    )


def _matches(resource: DataResource, text: str) -> bool:
    words = [
        resource.title,
        resource.title_en,
        resource.description,
        resource.description_en,
        *resource.tags,
    ]
    wanted = text.casefold()
    return any(wanted in str(word).casefold() for word in words)


def _department_label(resource: DataResource, english: bool) -> str:
    department = resource.department
    return (department.name_en or department.name) if english else department.name


def open_resources(
    q: str = "", theme: str = "", department: str = "", *, english: bool = False
) -> OpenCatalog:
    """The open resources containing `q` in their titles, descriptions or tags, of `theme` and
    owned by the department with code `department` (empty: any). Each facet counts the
    resources the other criteria keep, so choosing a theme still shows the other themes."""
    text = q.strip()
    found = [item for item in _open() if not text or _matches(item, text)]
    of_theme = [item for item in found if not theme or theme in item.themes]
    of_department = [item for item in found if not department or item.department.code == department]
    theme_counts = Counter(name for item in of_department for name in item.themes)
    department_counts = Counter(item.department.code for item in of_theme)
    labels = {item.department.code: _department_label(item, english) for item in found}
    kept = {item.pk for item in of_department}
    return OpenCatalog(
        resources=[item for item in of_theme if item.pk in kept],
        themes=[Facet(name, name, count) for name, count in sorted(theme_counts.items()) if count],
        departments=[
            Facet(code, labels[code], count)
            for code, count in sorted(department_counts.items())
            if count
        ],
    )


def open_resource(code: str) -> DataResource:
    """The open resource with this code; `NotFound` for any other (missing or not open)."""
    found = _open().filter(code=code).first()
    if found is None:
        raise NotFound()
    return found


def public_fields(resource: DataResource) -> list[ResourceField]:
    """The resource's level-1 (public) fields, in schema order: all the open data front shows."""
    return [item for item in rows.schema_of(resource).values() if item.level == Level.PUBLIC]


def _checked(resource: DataResource) -> list[str]:
    if resource.opening != OpeningType.OPEN:
        raise NotFound()
    return [item.name for item in public_fields(resource)]


def _log(
    resource: DataResource,
    channel: CallChannel,
    actor: Any,
    fields: list[str],
    count: int,
    query: dict[str, Any],
) -> DataCall:
    signed_in = actor is not None and getattr(actor, "is_authenticated", False)
    return DataCall.objects.create(
        channel=channel,
        actor=actor if signed_in else None,
        resource=resource,
        fields=fields,
        rows=count,
        query=query,
    )


def preview(
    resource: DataResource, limit: int = PREVIEW_ROWS, *, actor: Any = None
) -> rows.RowPage:
    """The first `limit` rows of an open resource, public fields only; logged."""
    names = _checked(resource)
    limit = max(0, min(limit, MAX_PREVIEW_ROWS))
    if names:
        page = rows.search(resource, rows.RowQuery(fields=names, limit=limit), readable=names)
    else:  # no public field: nothing to show (an empty field list would mean every field)
        page = rows.RowPage(total=rows.matching(resource).count(), fields=[], records=[])
    _log(resource, CallChannel.PREVIEW, actor, names, len(page.records), {"limit": limit})
    return page


def _plain(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def _csv_lines(names: list[str], records: Iterable[dict[str, Any]]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def line(values: Iterable[Any]) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(values)
        return buffer.getvalue()

    yield BOM + line(names)
    for record in records:
        yield line(_plain(record.get(name)) for name in names)


def _json_chunks(records: Iterable[dict[str, Any]]) -> Iterator[str]:
    yield "["
    for number, record in enumerate(records):
        yield ("," if number else "") + "\n" + json.dumps(record, ensure_ascii=False)
    yield "\n]\n"


def download(resource: DataResource, fmt: str, *, actor: Any = None) -> StreamingHttpResponse:
    """Every row of an open resource, public fields only, streamed as CSV (with a UTF-8 BOM, so
    Excel opens Chinese right) or as a JSON array of objects; logged."""
    if fmt not in FORMATS:
        raise NotFound()
    names = _checked(resource)
    total = rows.matching(resource).count() if names else 0
    _log(resource, CallChannel.DOWNLOAD, actor, names, total, {"format": fmt})
    records: Iterable[dict[str, Any]] = (
        rows.every_row(resource, fields=names) if names else iter(())
    )
    chunks = _csv_lines(names, records) if fmt == "csv" else _json_chunks(records)
    response = StreamingHttpResponse(
        (chunk.encode("utf-8") for chunk in chunks), content_type=FORMATS[fmt]
    )
    response["Content-Disposition"] = f'attachment; filename="{resource.code}.{fmt}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
