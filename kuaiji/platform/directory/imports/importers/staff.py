"""Staff (工作人员) from CSV or XLSX.

Columns: employee_no (工号), name (姓名), department_code (部门代码), title (职务), phone (手机,
a mainland mobile number), username (用户名: the account they sign in with; created when new,
with no usable password until one is set).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kuaiji.platform.directory.imports.columns import Column
from kuaiji.platform.directory.imports.importers.base import (
    Entry,
    Importer,
    Problems,
    out_of_reach,
    visible,
)
from kuaiji.platform.directory.imports.kinds import ImportKind
from kuaiji.platform.directory.models import Department, Staff
from kuaiji.platform.directory.records import StaffRecord
from kuaiji.platform.directory.services import upsert_staff
from kuaiji.platform.directory.upsert import UpsertReport

MANAGE = "directory.staff.manage"


class StaffImporter(Importer[StaffRecord]):
    """Staff members and their sign-in account names."""

    kind = ImportKind.STAFF
    record_type = StaffRecord
    key = ("employee_no",)
    permissions = (MANAGE,)
    columns = (
        Column(
            "employee_no",
            ("工号", "人员编号", "职工号", "编号"),
            required=True,
            hint=gettext_lazy("up to 30 letters, digits, hyphens or underscores"),
        ),
        Column("name", ("姓名",), required=True),
        Column("department_code", ("部门代码", "所属部门代码", "单位代码"), required=True),
        Column("title", ("职务", "岗位", "职位")),
        Column("phone", ("手机", "手机号", "手机号码", "电话", "联系电话"), personal=True),
        Column(
            "username",
            ("用户名", "账号", "帐号", "登录名"),
            hint=gettext_lazy("letters, digits and @ . + - _ only"),
        ),
    )

    def prepare(self, rows: Sequence[Mapping[str, Any]]) -> None:
        numbers = {str(r.get("employee_no") or "") for r in rows} - {""}
        department_codes = {str(r.get("department_code") or "") for r in rows} - {""}
        usernames = {str(r.get("username") or "") for r in rows} - {""}
        self.staff: dict[str, Staff] = (
            Staff.objects.filter(employee_no__in=numbers)
            .select_related("department", "user")
            .in_bulk(field_name="employee_no")
        )
        self.reachable = set(
            visible(Staff, self.actor, MANAGE)
            .filter(employee_no__in=numbers)
            .values_list("employee_no", flat=True)
        )
        self.departments = set(
            visible(Department, self.actor, MANAGE)
            .filter(code__in=department_codes)
            .values_list("code", flat=True)
        )
        self.account_holders: dict[str, str] = dict(
            Staff.objects.filter(user__username__in=usernames).values_list(
                "user__username", "employee_no"
            )
        )

    def stored(self, values: Mapping[str, Any]) -> dict[str, Any] | None:
        member = self.staff.get(str(values.get("employee_no") or ""))
        if member is None:
            return None
        return {
            "name": member.name,
            "department_code": member.department.code,
            "title": member.title,
            "phone": member.phone,
            "username": member.user.get_username() if member.user else "",
        }

    def check(
        self, entries: Sequence[Entry[StaffRecord]], keys: set[tuple[str, ...]], problems: Problems
    ) -> None:
        account_lines: dict[str, int] = {}
        for entry in entries:
            record = entry.record
            if record.employee_no in self.staff and record.employee_no not in self.reachable:
                problems.add(entry.line, "employee_no", out_of_reach(record.employee_no))
            if record.department_code not in self.departments:
                problems.add(
                    entry.line,
                    "department_code",
                    _("department %(code)s is not stored") % {"code": record.department_code},
                )
            if not record.username:
                continue
            holder = self.account_holders.get(record.username)
            if holder and holder != record.employee_no:
                problems.add(
                    entry.line,
                    "username",
                    _("account %(name)s already belongs to staff member %(no)s")
                    % {"name": record.username, "no": holder},
                )
            elif record.username in account_lines:
                problems.add(
                    entry.line,
                    "username",
                    _("account %(name)s is already given on line %(line)d")
                    % {"name": record.username, "line": account_lines[record.username]},
                )
            account_lines.setdefault(record.username, entry.line)

    def write(self, records: Sequence[StaffRecord]) -> UpsertReport:
        return upsert_staff(actor=self.actor, records=records)
