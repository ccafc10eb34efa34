"""Grids (网格) from a GeoJSON FeatureCollection: one feature per grid, its geometry the
boundary (a Polygon or MultiPolygon in longitude, latitude).

Properties: code (网格编码), name (网格名称), kind (类型: comprehensive/综合网格,
dedicated/专属网格), dedicated_to (专属对象), region_code (区划代码: a village or township),
households (户数), population (人口). Other properties are ignored. An imported boundary is a
surveyed one, so the grid is no longer marked as synthetic.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kuaiji.platform.directory.imports.choices import GRID_KINDS
from kuaiji.platform.directory.imports.columns import Column
from kuaiji.platform.directory.imports.importers.base import (
    Entry,
    Importer,
    Problems,
    out_of_reach,
    visible,
)
from kuaiji.platform.directory.imports.kinds import ImportKind
from kuaiji.platform.directory.imports.source import Row
from kuaiji.platform.directory.models import Grid, GridKind, Region, RegionLevel
from kuaiji.platform.directory.records import GridRecord
from kuaiji.platform.directory.services import upsert_grids
from kuaiji.platform.directory.upsert import UpsertReport

MANAGE = "directory.grid.manage"
GRID_REGION_LEVELS = (RegionLevel.VILLAGE, RegionLevel.TOWNSHIP)


class GridsImporter(Importer[GridRecord]):
    """Grids with their boundaries and figures."""

    kind = ImportKind.GRIDS
    record_type = GridRecord
    key = ("code",)
    permissions = (MANAGE,)
    geojson = True
    extra_labels = {"boundary": "geometry"}
    columns = (
        Column(
            "code",
            ("代码", "网格编码", "网格代码", "编码"),
            required=True,
            hint=gettext_lazy("4 to 20 letters, digits, hyphens or underscores"),
        ),
        Column("name", ("名称", "网格名称"), required=True),
        Column(
            "kind", ("类型", "网格类型"), choices=GRID_KINDS, blank=GridKind.COMPREHENSIVE.value
        ),
        Column("dedicated_to", ("专属对象", "专属类型")),
        Column(
            "region_code",
            ("区划代码", "所属区划代码", "所属村社区代码", "村社区代码"),
            required=True,
        ),
        Column("households", ("户数",), blank=0),
        Column("population", ("人口", "人数", "人口数"), blank=0),
    )

    def prepare(self, rows: Sequence[Mapping[str, Any]]) -> None:
        codes = {str(r.get("code") or "") for r in rows} - {""}
        region_codes = {str(r.get("region_code") or "") for r in rows} - {""}
        self.grids: dict[str, Grid] = (
            Grid.objects.filter(code__in=codes).select_related("region").in_bulk(field_name="code")
        )
        self.reachable = set(
            visible(Grid, self.actor, MANAGE).filter(code__in=codes).values_list("code", flat=True)
        )
        self.regions: dict[str, str] = dict(
            visible(Region, self.actor, MANAGE)
            .filter(code__in=region_codes)
            .values_list("code", "level")
        )

    def stored(self, values: Mapping[str, Any]) -> dict[str, Any] | None:
        grid = self.grids.get(str(values.get("code") or ""))
        if grid is None:
            return None
        return {
            "name": grid.name,
            "kind": grid.kind,
            "dedicated_to": grid.dedicated_to,
            "region_code": grid.region.code,
            "boundary": grid.boundary,
            "households": grid.households,
            "population": grid.population,
            "is_synthetic": grid.is_synthetic,
        }

    def extra_fields(self, row: Row, stored: Mapping[str, Any] | None) -> dict[str, Any]:
        return {"boundary": row.geometry, "is_synthetic": False}

    def check(
        self, entries: Sequence[Entry[GridRecord]], keys: set[tuple[str, ...]], problems: Problems
    ) -> None:
        for entry in entries:
            record = entry.record
            if record.code in self.grids and record.code not in self.reachable:
                problems.add(entry.line, "code", out_of_reach(record.code))
            level = self.regions.get(record.region_code)
            if level is None:
                problems.add(
                    entry.line,
                    "region_code",
                    _("region %(code)s is not stored") % {"code": record.region_code},
                )
            elif level not in GRID_REGION_LEVELS:
                problems.add(
                    entry.line,
                    "region_code",
                    _("a grid belongs to a village or a township, and %(code)s is a %(level)s")
                    % {"code": record.region_code, "level": RegionLevel(level).label},
                )

    def write(self, records: Sequence[GridRecord]) -> UpsertReport:
        return upsert_grids(actor=self.actor, records=records)
