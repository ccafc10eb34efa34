"""Role grants (授权) from CSV or XLSX: which role a user holds, and where.

Columns: username (用户名), role_code (角色代码), scope_type (范围类型: region/区域,
department/部门, grid/网格), scope_code (范围代码: the region's, department's or grid's code).
Grants are only added, never removed. Needs permission to manage roles.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Annotated, Any, Literal

from django.contrib.auth import get_user_model
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pydantic import Field

from kuaiji.platform.access.models import Role, RoleGrant
from kuaiji.platform.access.services import grant_roles
from kuaiji.platform.directory.imports.choices import SCOPE_TYPES
from kuaiji.platform.directory.imports.columns import Column
from kuaiji.platform.directory.imports.importers.base import Entry, Importer, Problems, visible
from kuaiji.platform.directory.imports.kinds import ImportKind
from kuaiji.platform.directory.models import Department, Grid, Region
from kuaiji.platform.directory.records import Record
from kuaiji.platform.directory.upsert import UpsertReport

MANAGE = "access.role.manage"
ScopeType = Literal["region", "department", "grid"]
SCOPE_MODELS: dict[str, type[models.Model]] = {
    "region": Region,
    "department": Department,
    "grid": Grid,
}


# What a scope type is called in messages (the model names, already translated).
SCOPE_LABELS = {
    "region": gettext_lazy("region"),
    "department": gettext_lazy("department"),
    "grid": gettext_lazy("grid"),
}


class GrantRecord(Record):
    """A role given to a user within one region, department or grid."""

    username: Annotated[str, Field(pattern=r"^[\w.@+-]{1,150}$")]
    role_code: Annotated[str, Field(pattern=r"^[-a-zA-Z0-9_]{1,50}$")]
    scope_type: ScopeType
    scope_code: Annotated[str, Field(min_length=1, max_length=40)]


class GrantsImporter(Importer[GrantRecord]):
    """Role grants; the user, the role and the scope must be stored already."""

    kind = ImportKind.GRANTS
    record_type = GrantRecord
    key = ("username", "role_code", "scope_type", "scope_code")
    permissions = (MANAGE,)
    columns = (
        Column("username", ("用户名", "账号", "帐号", "登录名"), required=True),
        Column("role_code", ("角色代码", "角色"), required=True),
        Column("scope_type", ("范围类型", "授权范围类型"), required=True, choices=SCOPE_TYPES),
        Column("scope_code", ("范围代码", "授权范围代码"), required=True),
    )

    def prepare(self, rows: Sequence[Mapping[str, Any]]) -> None:
        usernames = {str(r.get("username") or "") for r in rows} - {""}
        self.users: dict[str, Any] = get_user_model()._default_manager.in_bulk(
            list(usernames), field_name="username"
        )
        self.roles: dict[str, Role] = Role.objects.in_bulk(
            list({str(r.get("role_code") or "") for r in rows}), field_name="code"
        )
        self.scopes: dict[tuple[str, str], models.Model] = {}
        for scope_type, model in SCOPE_MODELS.items():
            codes = {
                str(r.get("scope_code") or "") for r in rows if r.get("scope_type") == scope_type
            }
            for obj in visible(model, self.actor, MANAGE).filter(code__in=codes - {""}):
                self.scopes[(scope_type, str(obj.code))] = obj  # type: ignore[attr-defined]
        self.grants = {
            (username, role, *_scope_of(region, department, grid))
            for username, role, region, department, grid in RoleGrant.objects.filter(
                user__username__in=usernames
            ).values_list(
                "user__username", "role__code", "region__code", "department__code", "grid__code"
            )
        }

    def stored(self, values: Mapping[str, Any]) -> dict[str, Any] | None:
        return {} if self.key_of(values) in self.grants else None

    def check(
        self, entries: Sequence[Entry[GrantRecord]], keys: set[tuple[str, ...]], problems: Problems
    ) -> None:
        for entry in entries:
            record = entry.record
            if record.username not in self.users:
                problems.add(
                    entry.line,
                    "username",
                    _("there is no account %(name)s") % {"name": record.username},
                )
            if record.role_code not in self.roles:
                problems.add(
                    entry.line,
                    "role_code",
                    _("there is no role %(code)s") % {"code": record.role_code},
                )
            if (record.scope_type, record.scope_code) not in self.scopes:
                problems.add(
                    entry.line,
                    "scope_code",
                    _("%(type)s %(code)s is not stored")
                    % {"type": SCOPE_LABELS[record.scope_type], "code": record.scope_code},
                )

    def write(self, records: Sequence[GrantRecord]) -> UpsertReport:
        grants = [
            RoleGrant(
                user=self.users[record.username],
                role=self.roles[record.role_code],
                **{record.scope_type: self.scopes[(record.scope_type, record.scope_code)]},
            )
            for record in records
        ]
        added = grant_roles(actor=self.actor, grants=grants)
        return UpsertReport(created=added, unchanged=len(records) - added)


def _scope_of(region: str | None, department: str | None, grid: str | None) -> tuple[str, str]:
    """(scope type, code) of a stored grant."""
    if region:
        return ("region", region)
    if department:
        return ("department", department)
    return ("grid", grid or "")
