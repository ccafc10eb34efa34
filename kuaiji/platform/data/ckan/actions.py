"""The read actions of the CKAN Action API over the catalogue.

Each action takes the request's parameters (a JSON object, or the query string's values as
text) and the caller, and returns the ``result`` CKAN wraps in its envelope; it raises an
`ActionError` that the view turns into CKAN's error shape and status.

What is visible: without a key, the open resources (opening ``open``) only; with a key whose
owner holds ``data.resource.view`` through it, every resource's description. Rows, through
``datastore_search``, are only ever those of open resources and only their level-1 fields, for
every caller. The catalogue is small (hundreds of resources), so searching, sorting and facets
work over the visible resources in memory, and the rows go through the one row query
(`kuaiji.platform.data.rows.search`).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any
from urllib.parse import urlencode

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from kuaiji.platform.core.errors import KuaijiError
from kuaiji.platform.data import calls, rows
from kuaiji.platform.data.ckan import shapes
from kuaiji.platform.data.ckan.auth import Caller
from kuaiji.platform.data.models import (
    CallChannel,
    DataResource,
    Level,
    OpeningType,
    ResourceField,
)
from kuaiji.platform.directory.models import Department

Params = Mapping[str, Any]


class ActionError(Exception):
    """An error of the Action API: CKAN's ``__type``, its HTTP status and a message, with
    per-parameter messages for validation errors."""

    status = 400
    kind = "Bad request"

    def __init__(self, message: str, fields: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fields = dict(fields or {})

    def as_dict(self) -> dict[str, Any]:
        """The ``error`` member of CKAN's answer."""
        found: dict[str, Any] = {"__type": self.kind, "message": self.message}
        for name, text in self.fields.items():
            found[name] = [text]
        return found


class BadRequest(ActionError):
    status = 400
    kind = "Bad request"


class ValidationError(ActionError):
    status = 409
    kind = "Validation Error"


class NotFoundError(ActionError):
    status = 404
    kind = "Not Found Error"


class AuthorizationError(ActionError):
    status = 403
    kind = "Authorization Error"


def invalid(name: str, message: str) -> ValidationError:
    """A validation error of one parameter."""
    return ValidationError(f"{name}: {message}", {name: message})


# Reading parameters -------------------------------------------------------------------------


def required(params: Params, name: str) -> str:
    """A required text parameter."""
    value = params.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        raise invalid(name, _("Missing value"))
    if not isinstance(value, str | int):
        raise invalid(name, _("Give a text value."))
    return str(value).strip()


def integer(params: Params, name: str, default: int, *, maximum: int | None = None) -> int:
    """A whole number parameter, 0 or more (and at most `maximum`)."""
    value = params.get(name)
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        raise invalid(name, _("Give a whole number."))
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise invalid(name, _("Give a whole number.")) from None
    if number < 0:
        raise invalid(name, _("Must be a positive integer."))
    if maximum is not None and number > maximum:
        raise invalid(name, _("At most %(maximum)s.") % {"maximum": maximum})
    return number


def boolean(params: Params, name: str, default: bool) -> bool:
    """A yes or no parameter: JSON true/false, or "true"/"false" (also 1/0, yes/no)."""
    value = params.get(name)
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in {"true", "1", "yes", "on"}:
        return True
    if text in {"false", "0", "no", "off"}:
        return False
    raise invalid(name, _("Give true or false."))


def structured(params: Params, name: str, kind: type, default: Any) -> Any:
    """A parameter holding JSON (a string of JSON in a query, or the value in a JSON body)."""
    value = params.get(name)
    if value is None or value == "":
        return default
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            raise invalid(name, _("Not valid JSON.")) from None
    if not isinstance(value, kind):
        raise invalid(name, _("Not of the expected kind."))
    return value


def names(params: Params, name: str) -> list[str]:
    """A list of names: a JSON list, or text separated by commas."""
    value = params.get(name)
    if value is None or value == "":
        return []
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            value = structured(params, name, list, [])
        else:
            return [part.strip() for part in text.split(",") if part.strip()]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise invalid(name, _("Give a list of names."))
    return [item.strip() for item in value if item.strip()]


# What the caller sees ---------------------------------------------------------------------


def visible(caller: Caller) -> QuerySet[DataResource]:
    """The resources whose description the caller may read."""
    found = DataResource.objects.select_related("department").order_by("code")
    if not caller.catalog:
        found = found.filter(opening=OpeningType.OPEN)
    return found


def _package(caller: Caller, code: str) -> DataResource:
    item = visible(caller).filter(code=code).first()
    if item is None:
        raise NotFoundError(_("Not found"))
    return item


def _department(caller: Caller, key: str) -> tuple[Department, list[DataResource]]:
    """A department named by its code or its CKAN name, with its visible resources."""
    department = Department.objects.filter(code__iexact=key).first()
    if department is None:
        raise NotFoundError(_("Organization not found"))
    return department, list(visible(caller).filter(department=department))


# Actions ----------------------------------------------------------------------------------


def package_list(params: Params, caller: Caller, base: str) -> list[str]:
    """The names (codes) of the visible packages; ``limit`` and ``offset`` page them."""
    found = list(visible(caller).values_list("code", flat=True))
    offset = integer(params, "offset", 0)
    limit = integer(params, "limit", len(found))
    return found[offset : offset + limit]


def package_show(params: Params, caller: Caller, base: str) -> dict[str, Any]:
    """One package, by ``id`` (its name: the resource's code)."""
    return shapes.package(_package(caller, required(params, "id")), base)


FILTER_KEYS = {
    "organization",
    "owner_org",
    "tags",
    "groups",
    "license_id",
    "name",
    "res_format",
    "id",
}
FACET_FIELDS = ("organization", "groups", "tags", "license_id", "res_format")
TERM = re.compile(r'([+-]?)(?:([A-Za-z_]+):)?("(?:[^"\\]|\\.)*"|\S+)')
MAX_ROWS = 1000


def _values(item: DataResource, key: str) -> list[str]:
    """The values a package has for a filter or facet key (lower case for matching)."""
    if key in {"organization", "owner_org"}:
        return [shapes.organization_name(item.department)]
    if key == "tags":
        return list(item.tags)
    if key == "groups":
        return list(item.themes)
    if key == "license_id":
        return [item.licence] if item.licence else []
    if key in {"name", "id"}:
        return [item.code]
    return [shapes.resource(item, "")["format"]]


def _text(item: DataResource) -> str:
    parts = [
        item.code,
        item.title,
        item.title_en,
        item.description,
        item.description_en,
        item.department.name,
        *item.tags,
        *item.themes,
    ]
    return " ".join(parts).lower()


Test = Callable[[DataResource], bool]


def _conditions(text: str, name: str) -> list[Test]:
    """The tests of a Solr-like query: ``word``, ``key:value``, ``key:"two words"``, a leading
    ``-`` to negate; ``*:*`` matches everything."""
    tests: list[Test] = []
    for sign, key, raw in TERM.findall(text):
        value = raw[1:-1].replace('\\"', '"') if raw.startswith('"') and len(raw) > 1 else raw
        if (key, value) == ("", "AND") or f"{key}:{value}" == "*:*" or value == "*":
            continue
        if key and key not in FILTER_KEYS:
            raise invalid(name, _("Cannot search on “%(key)s”.") % {"key": key})
        wanted = value.lower()
        negate = sign == "-"
        tests.append(_has(key, wanted, negate) if key else _mentions(wanted, negate))
    return tests


def _has(key: str, wanted: str, negate: bool) -> Test:
    """A package has (or, negated, has not) the value `wanted` for `key`."""

    def test(item: DataResource) -> bool:
        return negate != (wanted in {value.lower() for value in _values(item, key)})

    return test


def _mentions(wanted: str, negate: bool) -> Test:
    """A package mentions (or, negated, does not mention) the word `wanted`."""

    def test(item: DataResource) -> bool:
        return negate != (wanted in _text(item))

    return test


SORT_KEYS: dict[str, Callable[[DataResource], Any]] = {
    "metadata_modified": shapes.modified,
    "metadata_created": lambda item: item.created_at,
    "title_string": lambda item: item.title,
    "name": lambda item: item.code,
    "score": lambda item: 0,
}
DEFAULT_SORT = "score desc, metadata_modified desc"


def _sorted(found: list[DataResource], text: str) -> list[DataResource]:
    try:
        pairs = rows.parse_sort(text)
    except KuaijiError:
        raise invalid("sort", _("Write the sort as “field asc, field desc”.")) from None
    for key, _descending in pairs:
        if key not in SORT_KEYS:
            raise invalid("sort", _("Cannot sort on “%(key)s”.") % {"key": key})
    for key, descending in reversed(pairs):
        found = sorted(found, key=SORT_KEYS[key], reverse=descending)
    return found


def _facets(
    found: Sequence[DataResource], fields: Iterable[str], limit: int
) -> tuple[dict[str, Any], dict[str, Any]]:
    facets: dict[str, Any] = {}
    search_facets: dict[str, Any] = {}
    titles = {shapes.organization_name(item.department): item.department.name for item in found}
    for field in fields:
        counts = Counter(value for item in found for value in _values(item, field))
        ranked = sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))
        if limit >= 0:
            ranked = ranked[:limit]
        facets[field] = dict(ranked)
        search_facets[field] = {
            "title": field,
            "items": [
                {
                    "name": name,
                    "display_name": titles.get(name, name) if field == "organization" else name,
                    "count": count,
                }
                for name, count in ranked
            ],
        }
    return facets, search_facets


def package_search(params: Params, caller: Caller, base: str) -> dict[str, Any]:
    """Search the visible packages: ``q`` (words, or ``key:value``), ``fq`` (``organization:``,
    ``tags:``, ``groups:``, ``license_id:``, ``res_format:``, ``name:``), ``sort``, ``rows``
    (at most 1000), ``start``, ``facet.field`` (a JSON list) and ``facet.limit``."""
    q, fq = params.get("q") or "", params.get("fq") or ""
    if not isinstance(q, str):
        raise invalid("q", _("Give a text value."))
    if not isinstance(fq, str):
        raise invalid("fq", _("Give a text value."))
    tests = _conditions(q, "q") + _conditions(fq, "fq")
    sort = params.get("sort") or DEFAULT_SORT
    if not isinstance(sort, str):
        raise invalid("sort", _("Give a text value."))
    count_rows = integer(params, "rows", 10, maximum=MAX_ROWS)
    start = integer(params, "start", 0)
    facet_fields = names(params, "facet.field")
    for field in facet_fields:
        if field not in FACET_FIELDS:
            raise invalid("facet.field", _("No facet “%(field)s”.") % {"field": field})
    facet_limit = params.get("facet.limit", 50)
    try:
        facet_limit = int(facet_limit)
    except (TypeError, ValueError):
        raise invalid("facet.limit", _("Give a whole number.")) from None
    found = [item for item in visible(caller) if all(test(item) for test in tests)]
    found = _sorted(found, sort)
    facets, search_facets = _facets(
        found, facet_fields if boolean(params, "facet", True) else [], facet_limit
    )
    return {
        "count": len(found),
        "results": [shapes.package(item, base) for item in found[start : start + count_rows]],
        "facets": facets,
        "search_facets": search_facets,
        "sort": sort,
    }


def _by(key: str) -> Callable[[tuple[str, dict[str, Any]]], Any]:
    def value(pair: tuple[str, dict[str, Any]]) -> Any:
        return pair[1].get(key, 0)

    return value


def _listing(
    params: Params,
    entries: list[tuple[str, dict[str, Any]]],
) -> list[Any]:
    """Names, or with ``all_fields`` the dictionaries, sorted by ``sort`` (name or
    package_count, asc or desc) and paged by ``limit`` and ``offset``."""
    sort = params.get("sort") or "name asc"
    if not isinstance(sort, str):
        raise invalid("sort", _("Give a text value."))
    try:
        pairs = rows.parse_sort(sort)
    except KuaijiError:
        raise invalid("sort", _("Write the sort as “field asc, field desc”.")) from None
    for key, descending in reversed(pairs):
        if key not in {"name", "title", "package_count"}:
            raise invalid("sort", _("Cannot sort on “%(key)s”.") % {"key": key})
        entries = sorted(entries, key=_by(key), reverse=descending)
    offset = integer(params, "offset", 0)
    limit = integer(params, "limit", len(entries), maximum=1000)
    page = entries[offset : offset + limit]
    if boolean(params, "all_fields", False):
        return [found for _name, found in page]
    return [name for name, _found in page]


def organization_list(params: Params, caller: Caller, base: str) -> list[Any]:
    """The departments that keep visible resources (``all_fields`` for the dictionaries)."""
    counts = Counter(visible(caller).values_list("department_id", flat=True))
    departments = Department.objects.filter(pk__in=counts).order_by("code")
    entries = [
        (
            shapes.organization_name(department),
            shapes.organization(department, package_count=counts[department.pk]),
        )
        for department in departments
    ]
    return _listing(params, entries)


def organization_show(params: Params, caller: Caller, base: str) -> dict[str, Any]:
    """One department by ``id`` (its code or its name); ``include_datasets`` adds its
    visible packages."""
    department, found = _department(caller, required(params, "id"))
    if not found and not caller.catalog:
        raise NotFoundError(_("Organization not found"))
    shown = shapes.organization(department, package_count=len(found))
    if boolean(params, "include_datasets", False):
        shown["packages"] = [shapes.package(item, base) for item in found]
    return shown


def _themes(caller: Caller) -> Counter[str]:
    return Counter(
        theme for themes in visible(caller).values_list("themes", flat=True) for theme in themes
    )


def group_list(params: Params, caller: Caller, base: str) -> list[Any]:
    """The themes of the visible resources, as groups (``all_fields`` for the dictionaries)."""
    counts = _themes(caller)
    entries = [(theme, shapes.group(theme, package_count=counts[theme])) for theme in counts]
    return _listing(params, entries)


def group_show(params: Params, caller: Caller, base: str) -> dict[str, Any]:
    """One theme by ``id``; ``include_datasets`` adds its visible packages."""
    theme = required(params, "id")
    found = [item for item in visible(caller) if theme in item.themes]
    if not found:
        raise NotFoundError(_("Group not found"))
    shown = shapes.group(theme, package_count=len(found))
    if boolean(params, "include_datasets", False):
        shown["packages"] = [shapes.package(item, base) for item in found]
    return shown


def tag_list(params: Params, caller: Caller, base: str) -> list[Any]:
    """The tags of the visible resources; ``query`` keeps those containing it."""
    query = params.get("query") or ""
    if not isinstance(query, str):
        raise invalid("query", _("Give a text value."))
    tags = sorted({tag for tags in visible(caller).values_list("tags", flat=True) for tag in tags})
    tags = [tag for tag in tags if query.lower() in tag.lower()]
    if boolean(params, "all_fields", False):
        return [shapes.tag(tag) for tag in tags]
    return tags


def resource_show(params: Params, caller: Caller, base: str) -> dict[str, Any]:
    """A package's one CKAN resource, by ``id`` (the resource's code)."""
    return shapes.resource(_package(caller, required(params, "id")), base)


def _open_schema(caller: Caller, code: str) -> tuple[DataResource, list[ResourceField]]:
    item = (
        visible(caller)
        .prefetch_related(Prefetch("fields", queryset=ResourceField.objects.order_by("position")))
        .filter(code=code)
        .first()
    )
    if item is None:
        raise NotFoundError(_("Resource “%(id)s” was not found.") % {"id": code})
    if item.opening != OpeningType.OPEN:
        raise AuthorizationError(_("The rows of this resource are not open to the public."))
    return item, [field for field in item.fields.all() if field.level == Level.PUBLIC]


def _check_names(name: str, wanted: Iterable[str], readable: Iterable[str]) -> None:
    unknown = sorted(set(wanted) - set(readable))
    if unknown:
        raise invalid(name, _("No such field: %(names)s.") % {"names": ", ".join(unknown)})


def _sort_pairs(params: Params) -> list[tuple[str, bool]]:
    value = params.get("sort") or ""
    if isinstance(value, list) and all(isinstance(part, str) for part in value):
        value = ", ".join(value)
    if not isinstance(value, str):
        raise invalid("sort", _("Give a text value."))
    try:
        return rows.parse_sort(value)
    except KuaijiError:
        raise invalid("sort", _("Write the sort as “field asc, field desc”.")) from None


def _link(params: Params, offset: int) -> str:
    query = {
        name: value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        for name, value in params.items()
        if name != "offset" and value is not None
    }
    if offset:
        query["offset"] = str(offset)
    return f"/api/3/action/datastore_search?{urlencode(query)}"


def datastore_search(params: Params, caller: Caller, base: str) -> dict[str, Any]:
    """Rows of an open resource, level-1 fields only: ``resource_id``, ``filters`` (a JSON
    object of field → value or list of values), ``q``, ``fields``, ``sort``, ``limit`` (100 by
    default, at most 32000), ``offset``, ``include_total``."""
    code = required(params, "resource_id")
    item, schema = _open_schema(caller, code)
    readable = [field.name for field in schema]
    filters = structured(params, "filters", dict, {})
    q = params.get("q") or ""
    if not isinstance(q, str):
        raise invalid("q", _("Give a text value."))
    fields = names(params, "fields") or readable
    sort = _sort_pairs(params)
    _check_names("filters", filters, readable)
    _check_names("fields", fields, readable)
    _check_names("sort", [name for name, _descending in sort], readable)
    records_format = params.get("records_format") or "objects"
    if records_format != "objects":
        raise invalid("records_format", _("Only “objects” is offered."))
    limit = integer(params, "limit", 100, maximum=rows.MAX_LIMIT)
    offset = integer(params, "offset", 0)
    query = rows.RowQuery(
        filters=filters, q=q, fields=fields, sort=sort, limit=limit, offset=offset
    )
    try:
        page = rows.search(item, query, readable=readable)
    except KuaijiError as refused:
        messages = {name: str(text) for name, text in refused.fields.items()}
        raise ValidationError(str(refused.message), messages) from None
    _log(caller, item, query, page)
    found: dict[str, Any] = {
        "resource_id": item.code,
        "fields": [
            {"id": field.name, "type": shapes.DATASTORE_TYPES[field.type]} for field in page.fields
        ],
        "records": page.records,
        "limit": limit,
        "offset": offset,
        "_links": {"start": _link(params, 0), "next": _link(params, offset + limit)},
    }
    if filters:
        found["filters"] = filters
    if q:
        found["q"] = q
    if sort:
        found["sort"] = ", ".join(f"{name} {'desc' if down else 'asc'}" for name, down in sort)
    if boolean(params, "include_total", True):
        found["total"] = page.total
    return found


def _log(caller: Caller, item: DataResource, query: rows.RowQuery, page: rows.RowPage) -> None:
    """Log the read as a `DataCall` (sealed in the audit chain when a government person calls
    with a key; anonymous calls are not sealed)."""
    calls.log_call(
        actor=caller.actor,
        resource=item,
        channel=CallChannel.CKAN,
        fields=[field.name for field in page.fields],
        rows=len(page.records),
        query={
            "filters": dict(query.filters),
            "q": query.q,
            "sort": [[name, "desc" if down else "asc"] for name, down in query.sort],
            "limit": query.limit,
            "offset": query.offset,
        },
    )


def status_show(params: Params, caller: Caller, base: str) -> dict[str, Any]:
    """What clients ask to recognise a CKAN site: the API version and the extensions."""
    return {
        "ckan_version": "2.10.0",
        "site_url": base,
        "site_title": "Kuaiji",
        "site_description": "",
        "locale_default": "zh_Hans_CN",
        "extensions": ["datastore"],
    }


def help_show(params: Params, caller: Caller, base: str) -> str:
    """The documentation of an action, by ``name``."""
    name = required(params, "name")
    action = ACTIONS.get(name)
    if action is None:
        raise NotFoundError(_("Action name not known: %(name)s") % {"name": name})
    return (action.__doc__ or "").strip()


Action = Callable[[Params, Caller, str], Any]
ACTIONS: dict[str, Action] = {
    "package_list": package_list,
    "package_show": package_show,
    "package_search": package_search,
    "organization_list": organization_list,
    "organization_show": organization_show,
    "group_list": group_list,
    "group_show": group_show,
    "tag_list": tag_list,
    "resource_show": resource_show,
    "datastore_search": datastore_search,
    "status_show": status_show,
    "help_show": help_show,
}
