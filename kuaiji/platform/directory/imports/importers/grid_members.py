"""Grid members (网格成员) from CSV or XLSX: who works in which grid, in which role.

Columns: grid_code (网格编码), employee_no (工号), role (角色: head/网格长, full_time/专职网格员,
part_time/兼职网格员, instructor/网格指导员). Memberships are only added, never removed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.utils.translation import gettext as _

from kuaiji.platform.directory.imports.choices import GRID_ROLES
from kuaiji.platform.directory.imports.columns import Column
from kuaiji.platform.directory.imports.importers.base import Entry, Importer, Problems, visible
from kuaiji.platform.directory.imports.kinds import ImportKind
from kuaiji.platform.directory.models import Grid, GridMember, Staff
from kuaiji.platform.directory.records import GridMemberRecord
from kuaiji.platform.directory.services import upsert_grid_members
from kuaiji.platform.directory.upsert import UpsertReport

MANAGE = "directory.grid.manage"


class GridMembersImporter(Importer[GridMemberRecord]):
    """Staff members' roles in grids."""

    kind = ImportKind.GRID_MEMBERS
    record_type = GridMemberRecord
    key = ("grid_code", "employee_no", "role")
    permissions = (MANAGE,)
    columns = (
        Column("grid_code", ("网格编码", "网格代码", "网格"), required=True),
        Column("employee_no", ("工号", "人员编号"), required=True),
        Column("role", ("角色", "网格角色", "职责"), required=True, choices=GRID_ROLES),
    )

    def prepare(self, rows: Sequence[Mapping[str, Any]]) -> None:
        grid_codes = {str(r.get("grid_code") or "") for r in rows} - {""}
        numbers = {str(r.get("employee_no") or "") for r in rows} - {""}
        self.grids = set(
            visible(Grid, self.actor, MANAGE)
            .filter(code__in=grid_codes)
            .values_list("code", flat=True)
        )
        self.staff = set(
            Staff.objects.filter(employee_no__in=numbers).values_list("employee_no", flat=True)
        )
        self.memberships = {
            (grid, number, role)
            for grid, number, role in GridMember.objects.filter(
                grid__code__in=grid_codes, staff__employee_no__in=numbers
            ).values_list("grid__code", "staff__employee_no", "role")
        }

    def stored(self, values: Mapping[str, Any]) -> dict[str, Any] | None:
        return {} if self.key_of(values) in self.memberships else None

    def check(
        self,
        entries: Sequence[Entry[GridMemberRecord]],
        keys: set[tuple[str, ...]],
        problems: Problems,
    ) -> None:
        for entry in entries:
            record = entry.record
            if record.grid_code not in self.grids:
                problems.add(
                    entry.line,
                    "grid_code",
                    _("grid %(code)s is not stored") % {"code": record.grid_code},
                )
            if record.employee_no not in self.staff:
                problems.add(
                    entry.line,
                    "employee_no",
                    _("staff member %(code)s is not stored") % {"code": record.employee_no},
                )

    def write(self, records: Sequence[GridMemberRecord]) -> UpsertReport:
        return upsert_grid_members(actor=self.actor, records=records)
