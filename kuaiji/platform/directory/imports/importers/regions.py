"""Regions (行政区划) from CSV or XLSX.

Columns: code (代码), name (名称), name_en (英文名称), level (级别: city/城市, county/区县,
township/乡镇, village/村社区), parent_code (上级代码; empty only for the city). A stored
boundary and the "real division" flag are kept.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kuaiji.platform.directory.imports.choices import REGION_LEVELS
from kuaiji.platform.directory.imports.columns import Column
from kuaiji.platform.directory.imports.importers.base import (
    Entry,
    Importer,
    Problems,
    not_stored,
    out_of_reach,
    visible,
)
from kuaiji.platform.directory.imports.kinds import ImportKind
from kuaiji.platform.directory.imports.source import Row
from kuaiji.platform.directory.models import Region, RegionLevel
from kuaiji.platform.directory.records import PARENT_LEVEL, RegionRecord
from kuaiji.platform.directory.services import upsert_regions
from kuaiji.platform.directory.upsert import UpsertReport

MANAGE = "directory.region.manage"


class RegionsImporter(Importer[RegionRecord]):
    """Administrative divisions; parents may be earlier or later rows, or stored already."""

    kind = ImportKind.REGIONS
    record_type = RegionRecord
    key = ("code",)
    permissions = (MANAGE,)
    columns = (
        Column(
            "code",
            ("代码", "区划代码", "行政区划代码", "编码"),
            required=True,
            hint=gettext_lazy(
                "6 digits for a city or county, 9 for a township, 12 for a village or community"
            ),
        ),
        Column("name", ("名称", "区划名称"), required=True),
        Column("name_en", ("英文名称", "英文名")),
        Column("level", ("级别", "层级"), required=True, choices=REGION_LEVELS),
        Column("parent_code", ("上级代码", "上级区划代码", "父级代码")),
    )

    def prepare(self, rows: Sequence[Mapping[str, Any]]) -> None:
        codes = {str(r.get(name) or "") for r in rows for name in ("code", "parent_code")} - {""}
        self.regions: dict[str, Region] = (
            Region.objects.filter(code__in=codes)
            .select_related("parent")
            .in_bulk(field_name="code")
        )
        self.reachable = set(
            visible(Region, self.actor, MANAGE)
            .filter(code__in=codes)
            .values_list("code", flat=True)
        )

    def stored(self, values: Mapping[str, Any]) -> dict[str, Any] | None:
        region = self.regions.get(str(values.get("code") or ""))
        if region is None:
            return None
        return {
            "name": region.name,
            "name_en": region.name_en,
            "level": region.level,
            "parent_code": region.parent.code if region.parent else "",
            "boundary": region.boundary,
            "is_real": region.is_real,
        }

    def extra_fields(self, row: Row, stored: Mapping[str, Any] | None) -> dict[str, Any]:
        if stored is None:
            return {}
        return {"boundary": stored["boundary"], "is_real": stored["is_real"]}

    def check(
        self, entries: Sequence[Entry[RegionRecord]], keys: set[tuple[str, ...]], problems: Problems
    ) -> None:
        in_file = {entry.record.code: entry.record for entry in entries}
        for entry in entries:
            record = entry.record
            if record.code in self.regions and record.code not in self.reachable:
                problems.add(entry.line, "code", out_of_reach(record.code))
            if not record.parent_code:
                continue
            parent_level = self._level_of(record.parent_code, in_file)
            if parent_level is None:
                if (record.parent_code,) not in keys:  # a bad row of the file is reported there
                    problems.add(
                        entry.line, "parent_code", not_stored(_("region"), record.parent_code)
                    )
            elif parent_level != PARENT_LEVEL[record.level]:
                problems.add(
                    entry.line,
                    "parent_code",
                    _("a %(level)s cannot be placed under a %(parent)s")
                    % {"level": record.level.label, "parent": RegionLevel(parent_level).label},
                )
        self._check_level_changes(entries, in_file, problems)

    def _level_of(self, code: str, in_file: Mapping[str, RegionRecord]) -> str | None:
        if code in in_file:
            return in_file[code].level.value
        if code in self.reachable:
            return self.regions[code].level
        return None

    def _check_level_changes(
        self,
        entries: Sequence[Entry[RegionRecord]],
        in_file: Mapping[str, RegionRecord],
        problems: Problems,
    ) -> None:
        """A stored region with divisions below it (not moved by the file) keeps its level."""
        changed = {
            entry.record.code: entry
            for entry in entries
            if entry.record.code in self.regions
            and self.regions[entry.record.code].level != entry.record.level
        }
        if not changed:
            return
        children = Region.objects.filter(parent__code__in=changed).values_list(
            "parent__code", "code"
        )
        blocked = {parent for parent, child in children if child not in in_file}
        for code in sorted(blocked):
            problems.add(
                changed[code].line,
                "level",
                _("the level of %(code)s cannot change while stored divisions lie below it")
                % {"code": code},
            )

    def write(self, records: Sequence[RegionRecord]) -> UpsertReport:
        return upsert_regions(actor=self.actor, records=records)
