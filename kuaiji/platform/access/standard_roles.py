"""The roles a new deployment starts with. Administrators edit them afterwards.

Permission patterns (``*.view``) are matched against every declared code when the roles are
loaded, so a role keeps pace with the apps that are installed.
"""

from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatch
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kuaiji.platform.access.models import Role
from kuaiji.platform.access.registry import permissions
from kuaiji.platform.access.services import save_role


@dataclass(frozen=True)
class StandardRole:
    """A role and the permission patterns it bundles."""

    code: str
    name: str
    name_en: str
    description: str | Promise
    patterns: tuple[str, ...]
    excluded: tuple[str, ...] = ()

    def codes(self) -> list[str]:
        """The declared codes matching a pattern and no exclusion."""
        return sorted(
            code
            for code in permissions()
            if any(fnmatch(code, p) for p in self.patterns)
            and not any(fnmatch(code, p) for p in self.excluded)
        )


_GRASSROOTS_VIEW = ("directory.region.view", "directory.grid.view", "directory.citizen.view")
# Working on chains: see models and instances, start them, handle one's tasks.
_CHAIN_WORK = (
    "chains.model.view",
    "chains.instance.view",
    "chains.instance.start",
    "chains.task.handle",
)
# Grid events: see those in one's scope and report new ones.
_GRID_EVENTS = ("grassroots.event.view", "grassroots.event.report")
# Township platforms and the county centre also merge duplicates.
_GRID_EVENT_DISPATCH = (*_GRID_EVENTS, "grassroots.event.merge")
# Using shared data: the catalog, rows shared with one's unit, applying for more, quality.
_DATA_USE = ("data.resource.view", "data.rows.read", "data.sharing.apply", "data.quality.view")
# Counties and townships also receive their region's data back.
_DATA_REGION = (*_DATA_USE, "data.flowback.subscribe")
# One-stop services: the service window accepts and decides; departments handle their items.
_SERVICE_WINDOW = (
    "government.item.view",
    "government.application.view",
    "government.application.accept",
    "government.application.decide",
    "government.rating.view",
)
_SERVICE_DEPARTMENT = (
    "government.item.view",
    "government.item.manage",
    "government.application.view",
    "government.application.handle",
    "government.rating.view",
)
# Holistic governance: directives and task lists reach units; offices issue, accept and urge.
_COMMAND_UNIT = ("command.directive.view", "command.checklist.view")
_COMMAND_OFFICE = (
    *_COMMAND_UNIT,
    "command.directive.issue",
    "command.checklist.manage",
    "command.supervision.view",
    "command.supervision.urge",
)

STANDARD_ROLES = (
    StandardRole(
        "platform_admin",
        "平台管理员",
        "Platform administrator",
        _("Runs the platform: every permission."),
        ("*",),
    ),
    StandardRole(
        "directory_admin",
        "组织架构管理员",
        "Directory administrator",
        _("Keeps divisions, grids, departments and staff up to date, imports them."),
        ("directory.*", "access.role.view"),
    ),
    StandardRole(
        "city_leader",
        "市领导",
        "City leader",
        _("Sees everything in the city, changes nothing (the audit log is the auditors')."),
        ("*.view", "chains.task.supervise", *_COMMAND_OFFICE),
        ("audit.*",),
    ),
    StandardRole(
        "county_officer",
        "区县工作人员",
        "County officer",
        _("Works for a county: sees its regions, units, grids, staff and residents."),
        (
            "directory.*.view",
            "identity.real_name.verify",
            *_CHAIN_WORK,
            "chains.task.supervise",
            *_GRID_EVENT_DISPATCH,
            "grassroots.event.triage",
            *_DATA_REGION,
            *_SERVICE_WINDOW,
            "metrics.indicator.view",
            *_COMMAND_OFFICE,
        ),
    ),
    StandardRole(
        "township_officer",
        "乡镇（街道）工作人员",
        "Township officer",
        _("Works for a township or street: sees its villages, grids, staff and residents."),
        (
            "directory.*.view",
            "identity.real_name.verify",
            *_CHAIN_WORK,
            "chains.task.supervise",
            *_GRID_EVENT_DISPATCH,
            *_DATA_REGION,
            "metrics.indicator.view",
            *_COMMAND_UNIT,
            "command.directive.issue",
            "command.supervision.view",
        ),
    ),
    StandardRole(
        "department_officer",
        "部门工作人员",
        "Department officer",
        _("Works in a line department: sees its units, staff and the enterprises of its region."),
        (
            "directory.region.view",
            "directory.department.view",
            "directory.staff.view",
            "directory.enterprise.view",
            *_CHAIN_WORK,
            "grassroots.event.view",
            *_DATA_USE,
            "data.resource.manage",
            *_SERVICE_DEPARTMENT,
            "metrics.indicator.view",
            *_COMMAND_UNIT,
        ),
    ),
    StandardRole(
        "grid_head",
        "网格长",
        "Grid head",
        _("Leads a grid: sees the grid, its members and residents."),
        (
            *_GRASSROOTS_VIEW,
            "directory.staff.view",
            *_CHAIN_WORK,
            "chains.task.supervise",
            *_GRID_EVENTS,
        ),
    ),
    StandardRole(
        "grid_worker",
        "网格员",
        "Grid worker",
        _("Works in a grid: sees the grid and its residents."),
        (*_GRASSROOTS_VIEW, *_CHAIN_WORK, *_GRID_EVENTS),
    ),
    StandardRole(
        "auditor",
        "审计员",
        "Auditor",
        _("Searches the audit log and checks that its chain is intact; changes nothing."),
        ("audit.*",),
    ),
)


def load_standard_roles(*, actor: Any) -> dict[str, Role]:
    """Create the standard roles that do not exist yet (edited ones are left as they are)."""
    roles = Role.objects.in_bulk(field_name="code")
    for role in STANDARD_ROLES:
        if role.code not in roles:
            roles[role.code] = save_role(
                actor=actor,
                code=role.code,
                name=role.name,
                name_en=role.name_en,
                description=str(role.description),
                permissions=role.codes(),
            )
    return roles
