"""GeoJSON FeatureCollections: each feature is one row, its properties the cells, its number
(from 1) the row's "line"."""

from __future__ import annotations

import json
from typing import Any

from django.utils.translation import gettext as _

from kuaiji.platform.core.workbooks import UnreadableFile
from kuaiji.platform.directory.imports.csv_reader import decode
from kuaiji.platform.directory.imports.limits import max_rows
from kuaiji.platform.directory.imports.source import Row, Table, as_text


def read_geojson(data: bytes) -> Table:
    """Read a FeatureCollection; the headers are every property name used, in order of use."""
    try:
        document = json.loads(decode(data))
    except (ValueError, RecursionError) as exc:
        raise UnreadableFile(_("The file is not valid JSON: %(reason)s") % {"reason": exc}) from exc
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        raise UnreadableFile(_("A GeoJSON FeatureCollection is expected."))
    features = document.get("features")
    if not isinstance(features, list):
        raise UnreadableFile(_("The FeatureCollection has no list of features."))
    if len(features) > max_rows():
        raise UnreadableFile(
            _("The file has more than %(n)d features; split it.") % {"n": max_rows()}
        )
    headers: dict[str, None] = {}
    rows = []
    for number, feature in enumerate(features, start=1):
        properties, geometry = _parts(feature)
        values = {str(name): as_text(value) for name, value in properties.items()}
        headers.update(dict.fromkeys(values))
        rows.append(Row(number, values, geometry=geometry))
    return Table(tuple(headers), rows, header_line=0)


def _parts(feature: Any) -> tuple[dict[str, Any], Any]:
    """A feature's properties (empty when missing) and geometry (None when missing)."""
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        return {}, None
    properties = feature.get("properties")
    return (properties if isinstance(properties, dict) else {}), feature.get("geometry")
