"""Open311 GeoReport v2 documents in JSON and XML, with the specification's element names.

A document is built once as plain Python data (lists of dictionaries) and then written as JSON
or as XML: the root and item element names of each kind of document are the ones the
specification gives (`services`/`service`, `service_requests`/`request`, `errors`/`error`,
`service_definition` with `attributes`/`attribute` and `values`/`value`).
"""

from __future__ import annotations

import json
from typing import Any
from xml.etree import ElementTree as ET

from django.http import HttpResponse

# Lists inside documents and the element name of their items.
ITEM_NAMES = {"attributes": "attribute", "values": "value"}


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def _append(parent: ET.Element, name: str, value: Any) -> None:
    element = ET.SubElement(parent, name)
    if isinstance(value, list):
        for item in value:
            _append(element, ITEM_NAMES.get(name, "item"), item)
    elif isinstance(value, dict):
        for key, inner in value.items():
            _append(element, key, inner)
    else:
        element.text = _text(value)


def to_xml(root: str, item: str | None, document: Any) -> bytes:
    """`document` (a list of items, or one object when `item` is None) as XML."""
    element = ET.Element(root)
    if item is None:
        for key, value in document.items():
            _append(element, key, value)
    else:
        for entry in document:
            _append(element, item, entry)
    body: bytes = ET.tostring(element, encoding="utf-8")
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + body


def respond(
    fmt: str, document: Any, *, root: str, item: str | None, status: int = 200
) -> HttpResponse:
    """The document in the format asked for."""
    if fmt == "xml":
        return HttpResponse(
            to_xml(root, item, document),
            status=status,
            content_type="application/xml; charset=utf-8",
        )
    return HttpResponse(
        json.dumps(document, ensure_ascii=False),
        status=status,
        content_type="application/json; charset=utf-8",
    )


def error(fmt: str, status: int, description: str) -> HttpResponse:
    """An Open311 error response: a list of {code, description}."""
    return respond(
        fmt,
        [{"code": status, "description": description}],
        root="errors",
        item="error",
        status=status,
    )
