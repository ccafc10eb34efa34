"""Departments (部门) from CSV or XLSX.

Columns: code (代码), name (名称), name_en (英文名称), level (级别: city/市级, county/区县级,
township/乡镇级), kind (类型: functional/职能部门, township_office/乡镇（街道）, centre/中心,
platform/平台), platform (平台: party_building/党建统领, economy_ecology/经济生态,
safety_law/平安法治, public_service/公共服务 — only for kind platform), region_code (区划代码),
parent_code (上级代码).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import pairwise
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kuaiji.platform.directory.imports.choices import (
    DEPARTMENT_KINDS,
    DEPARTMENT_LEVELS,
    TOWNSHIP_PLATFORMS,
)
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
from kuaiji.platform.directory.models import Department, Region
from kuaiji.platform.directory.records import DepartmentRecord
from kuaiji.platform.directory.services import upsert_departments
from kuaiji.platform.directory.upsert import UpsertReport

MANAGE = "directory.department.manage"
PATH_LENGTH = Department._meta.get_field("path").max_length or 255


class DepartmentsImporter(Importer[DepartmentRecord]):
    """Government units; parents may be rows of the file or stored already."""

    kind = ImportKind.DEPARTMENTS
    record_type = DepartmentRecord
    key = ("code",)
    permissions = (MANAGE,)
    columns = (
        Column(
            "code",
            ("代码", "部门代码", "单位代码", "编码"),
            required=True,
            hint=gettext_lazy("up to 40 letters, digits, dots, hyphens or underscores"),
        ),
        Column("name", ("名称", "部门名称", "单位名称"), required=True),
        Column("name_en", ("英文名称", "英文名")),
        Column("level", ("级别", "层级"), required=True, choices=DEPARTMENT_LEVELS),
        Column("kind", ("类型", "类别", "部门类型"), required=True, choices=DEPARTMENT_KINDS),
        Column("platform", ("平台", "所属平台"), choices=TOWNSHIP_PLATFORMS, blank=None),
        Column("region_code", ("区划代码", "所属区划代码", "所在区划"), required=True),
        Column("parent_code", ("上级代码", "上级部门代码", "上级单位代码")),
    )

    def prepare(self, rows: Sequence[Mapping[str, Any]]) -> None:
        codes = {str(r.get(name) or "") for r in rows for name in ("code", "parent_code")} - {""}
        region_codes = {str(r.get("region_code") or "") for r in rows} - {""}
        self.departments: dict[str, Department] = (
            Department.objects.filter(code__in=codes)
            .select_related("region", "parent")
            .in_bulk(field_name="code")
        )
        self.reachable = set(
            visible(Department, self.actor, MANAGE)
            .filter(code__in=codes)
            .values_list("code", flat=True)
        )
        self.regions = set(
            visible(Region, self.actor, MANAGE)
            .filter(code__in=region_codes)
            .values_list("code", flat=True)
        )
        self.stored_parent = {
            child: parent
            for department in self.departments.values()
            for parent, child in _pairs(department.path)
        }

    def stored(self, values: Mapping[str, Any]) -> dict[str, Any] | None:
        department = self.departments.get(str(values.get("code") or ""))
        if department is None:
            return None
        return {
            "name": department.name,
            "name_en": department.name_en,
            "level": department.level,
            "kind": department.kind,
            "platform": department.platform or None,
            "region_code": department.region.code,
            "parent_code": department.parent.code if department.parent else "",
        }

    def check(
        self,
        entries: Sequence[Entry[DepartmentRecord]],
        keys: set[tuple[str, ...]],
        problems: Problems,
    ) -> None:
        in_file = {entry.record.code: entry.record for entry in entries}
        for entry in entries:
            record = entry.record
            if record.code in self.departments and record.code not in self.reachable:
                problems.add(entry.line, "code", out_of_reach(record.code))
            if record.region_code not in self.regions:
                problems.add(
                    entry.line,
                    "region_code",
                    _("region %(code)s is not stored") % {"code": record.region_code},
                )
            parent = record.parent_code
            if parent and parent not in in_file and parent not in self.reachable:
                if (parent,) not in keys:
                    problems.add(entry.line, "parent_code", not_stored(_("department"), parent))
                continue
            chain = self._chain(record.code, in_file)
            if chain is None:
                problems.add(
                    entry.line,
                    "parent_code",
                    _("departments form a cycle through %(code)s") % {"code": record.code},
                )
            elif sum(len(code) + 1 for code in chain) > PATH_LENGTH:
                problems.add(
                    entry.line,
                    "parent_code",
                    _("the department lies too deep: its path of codes exceeds %(n)d characters")
                    % {"n": PATH_LENGTH},
                )

    def _chain(self, code: str, in_file: Mapping[str, DepartmentRecord]) -> list[str] | None:
        """The codes from `code` up to the top after the import, or None in a cycle."""
        chain: list[str] = []
        while code:
            if code in chain:
                return None
            chain.append(code)
            code = (
                in_file[code].parent_code if code in in_file else self.stored_parent.get(code, "")
            )
        return chain

    def write(self, records: Sequence[DepartmentRecord]) -> UpsertReport:
        return upsert_departments(actor=self.actor, records=records)


def _pairs(path: str) -> list[tuple[str, str]]:
    """(parent, child) for each step of a materialised path "a/b/c/"."""
    codes = path.strip("/").split("/")
    return list(pairwise(codes))
