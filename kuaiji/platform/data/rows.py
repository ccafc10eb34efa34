"""Reading a resource's rows — filters, text search, field selection, sort and paging — the one
query every interface goes through (the data API, CKAN ``datastore_search``, open data preview
and downloads, flow-back).

Equality filters are written as JSON containment on PostgreSQL, where a GIN index over the row
values answers them (migration 0003), and as key lookups elsewhere. Text search looks into the
text fields the caller may read; filters and sort are refused on fields outside `readable`, so
a caller cannot probe values it may not see.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.fields.json import KeyTransform
from django.utils.translation import gettext as _

from kuaiji.platform.core.errors import Forbidden, InvalidInput
from kuaiji.platform.data.models import DataResource, DataRow, FieldType, ResourceField
from kuaiji.platform.data.values import converter

MAX_LIMIT = 32_000
MAX_FILTER_VALUES = 100


@dataclass(frozen=True)
class RowQuery:
    """What a caller asks of a resource's rows. `sort` holds (field, descending) pairs; empty
    `fields` means every field."""

    filters: Mapping[str, Any] = field(default_factory=dict)
    q: str = ""
    fields: Sequence[str] = ()
    sort: Sequence[tuple[str, bool]] = ()
    limit: int = 100
    offset: int = 0


@dataclass(frozen=True)
class RowPage:
    """One page of rows: the fields returned, in schema order, and the total that matched."""

    total: int
    fields: list[ResourceField]
    records: list[dict[str, Any]]


def schema_of(resource: DataResource) -> dict[str, ResourceField]:
    """The resource's fields by name, in schema order (prefetched fields are reused)."""
    return {item.name: item for item in sorted(resource.fields.all(), key=lambda f: f.position)}


def typed_filter_value(item: ResourceField, raw: Any) -> Any:
    """A filter value as the rows store it (text from a query string is converted)."""
    if raw is None or (isinstance(raw, bool | int | float) and item.type != FieldType.STRING):
        return raw
    try:
        return converter(item.type)(str(raw).strip())
    except ValueError as problem:
        raise InvalidInput(fields={item.name: str(problem)}) from None


def _unknown(names: Collection[str], schema: Mapping[str, ResourceField]) -> None:
    missing = sorted(set(names) - set(schema))
    if missing:
        raise InvalidInput(
            _("No such field: %(names)s.") % {"names": ", ".join(missing)},
            fields={name: _("No such field.") for name in missing},
        )


def _refuse_unreadable(names: Collection[str], readable: Collection[str] | None) -> None:
    if readable is None:
        return
    hidden = sorted(set(names) - set(readable))
    if hidden:
        raise Forbidden(
            _("You may not filter or sort on these fields: %(names)s.")
            % {"names": ", ".join(hidden)}
        )


def _equal(name: str, value: Any) -> Q:
    if connection.vendor == "postgresql" and value is not None:
        return Q(data__contains={name: value})
    return Q(**{f"_value_{name}": value})


def matching(
    resource: DataResource,
    *,
    filters: Mapping[str, Any] | None = None,
    q: str = "",
    readable: Collection[str] | None = None,
) -> QuerySet[DataRow]:
    """The resource's rows that pass the filters (a list of values means any of them) and
    contain `q` in a readable text field."""
    schema = schema_of(resource)
    filters = dict(filters or {})
    _unknown(filters, schema)
    _refuse_unreadable(filters, readable)
    rows = DataRow.objects.filter(resource=resource)
    for name in filters:
        rows = rows.alias(**{f"_value_{name}": KeyTransform(name, "data")})
    for name, wanted in filters.items():
        values = list(wanted) if isinstance(wanted, list | tuple) else [wanted]
        if not values or len(values) > MAX_FILTER_VALUES:
            raise InvalidInput(fields={name: _("Give between 1 and 100 values.")})
        condition = Q()
        for value in values:
            condition |= _equal(name, typed_filter_value(schema[name], value))
        rows = rows.filter(condition)
    text = q.strip()
    if text:
        searched = [
            name
            for name, item in schema.items()
            if item.type == FieldType.STRING and (readable is None or name in readable)
        ]
        condition = Q(pk__in=[])
        for name in searched:
            rows = rows.alias(**{f"_text_{name}": KeyTransform(name, "data")})
            condition |= Q(**{f"_text_{name}__icontains": text})
        rows = rows.filter(condition)
    return rows


def search(
    resource: DataResource, query: RowQuery, *, readable: Collection[str] | None = None
) -> RowPage:
    """One page of the rows matching `query`. `readable` (None: all) limits the fields that may
    be filtered, searched or sorted on; masking what is returned is the caller's business."""
    schema = schema_of(resource)
    chosen = list(dict.fromkeys(query.fields)) or list(schema)
    _unknown(chosen, schema)
    _unknown([name for name, _descending in query.sort], schema)
    _refuse_unreadable([name for name, _descending in query.sort], readable)
    if not 0 <= query.limit <= MAX_LIMIT:
        raise InvalidInput(fields={"limit": _("Between 0 and 32000 rows at a time.")})
    if query.offset < 0:
        raise InvalidInput(fields={"offset": _("The offset cannot be negative.")})
    rows = matching(resource, filters=query.filters, q=query.q, readable=readable)
    total = rows.count()
    ordering = [
        KeyTransform(name, "data").desc(nulls_last=True)
        if descending
        else KeyTransform(name, "data").asc(nulls_last=True)
        for name, descending in query.sort
    ]
    page = rows.order_by(*ordering, "pk")[query.offset : query.offset + query.limit]
    records = [
        {name: values.get(name) for name in chosen}
        for values in page.values_list("data", flat=True)
    ]
    return RowPage(
        total=total,
        fields=[schema[name] for name in chosen],
        records=records,
    )


def every_row(
    resource: DataResource, *, fields: Sequence[str], filters: Mapping[str, Any] | None = None
) -> Iterator[dict[str, Any]]:
    """Every matching row (chosen fields only), streamed, for downloads and deliveries."""
    rows = matching(resource, filters=filters).order_by("pk").values_list("data", flat=True)
    for values in rows.iterator(chunk_size=2000):
        yield {name: values.get(name) for name in fields}


def parse_sort(text: str) -> list[tuple[str, bool]]:
    """``"name asc, age desc"`` (CKAN's form; ``-age`` also means descending) as pairs."""
    pairs: list[tuple[str, bool]] = []
    for part in (piece.strip() for piece in text.split(",")):
        if not part:
            continue
        words = part.split()
        name, direction = words[0], (words[1].lower() if len(words) > 1 else "asc")
        descending = direction == "desc" or name.startswith("-")
        if direction not in {"asc", "desc"} or len(words) > 2:
            raise InvalidInput(fields={"sort": _("Write the sort as “field asc, field desc”.")})
        pairs.append((name.lstrip("-"), descending))
    return pairs
