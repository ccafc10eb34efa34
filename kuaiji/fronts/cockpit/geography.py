"""The city's county outlines that the cockpit map draws.

The outlines are the published web-map GeoJSON of Shaoxing's six county-level divisions
(approximate, see docs). The organisation directory will serve regions from the database;
until then the cockpit reads this file.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

GEOJSON_STATIC_PATH = "cockpit/geo/330600-counties.geojson"
_GEOJSON_FILE = Path(__file__).parent / "static" / GEOJSON_STATIC_PATH


@dataclass(frozen=True)
class County:
    """A county-level division on the map."""

    code: str
    name: str


@cache
def counties() -> tuple[County, ...]:
    """The counties in the outline file, by division code."""
    features = json.loads(_GEOJSON_FILE.read_text(encoding="utf-8"))["features"]
    return tuple(
        sorted(
            (County(f["properties"]["code"], f["properties"]["name"]) for f in features),
            key=lambda county: county.code,
        )
    )
