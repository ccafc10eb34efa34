"""The workforce of the demo city: a holder for every post of every unit, a grid head and a
grid instructor per village, a full-time grid worker per grid and some part-time ones, with
their grid roles and the standard roles their accounts are granted."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from kuaiji.platform.directory.demo_city.contacts import mobile_number
from kuaiji.platform.directory.demo_city.departments import Unit, employee_no, office_code
from kuaiji.platform.directory.demo_city.names import person_name
from kuaiji.platform.directory.demo_city.seed import stream
from kuaiji.platform.directory.demo_city.territory import Territory
from kuaiji.platform.directory.models import GridRole, RegionLevel
from kuaiji.platform.directory.records import (
    DepartmentRecord,
    GridMemberRecord,
    GridRecord,
    RegionRecord,
    StaffRecord,
)

PART_TIME_SHARE = 0.25
GRID_TITLES = {
    GridRole.HEAD: "网格长",
    GridRole.INSTRUCTOR: "网格指导员",
    GridRole.FULL_TIME: "专职网格员",
    GridRole.PART_TIME: "兼职网格员",
}
# Heads and instructors serve a village, grid workers one grid: their employee numbers are the
# village's or grid's code behind a letter. Heads and full-time workers sign in.
GRID_STAFF_PREFIX = {
    GridRole.HEAD: "H",
    GridRole.INSTRUCTOR: "I",
    GridRole.FULL_TIME: "G",
    GridRole.PART_TIME: "P",
}
GRID_ACCOUNTS = (GridRole.HEAD, GridRole.FULL_TIME)


@dataclass(frozen=True)
class PlannedGrant:
    """A standard role for an account, in exactly one scope (the code that is set)."""

    username: str
    role: str
    region_code: str = ""
    department_code: str = ""
    grid_code: str = ""


@dataclass(frozen=True)
class Workforce:
    """The staff, their roles in grids and the grants of their accounts."""

    staff: tuple[StaffRecord, ...]
    members: tuple[GridMemberRecord, ...]
    grants: tuple[PlannedGrant, ...]


def grid_staff_no(role: GridRole, code: str) -> str:
    """The employee number of a village's grid head or instructor, or of a grid's worker."""
    return GRID_STAFF_PREFIX[role] + code


class _Roster:
    """Collects the workforce while it is hired."""

    def __init__(self, usernames: Mapping[str, str]) -> None:
        self.usernames = usernames
        self.rng = stream("staff")
        self.staff: list[StaffRecord] = []
        self.members: list[GridMemberRecord] = []
        self.grants: list[PlannedGrant] = []

    def hire(self, number: str, department_code: str, title: str, *, account: bool) -> StaffRecord:
        """Add a staff member with a synthetic name and phone, and an account if asked for
        (named by `usernames`, or else after the employee number)."""
        record = StaffRecord(
            employee_no=number,
            name=person_name(self.rng),
            department_code=department_code,
            title=title,
            phone=mobile_number(self.rng),
            username=self.usernames.get(number, number.lower()) if account else "",
        )
        self.staff.append(record)
        return record


def build_workforce(
    territory: Territory, units: list[Unit], usernames: Mapping[str, str]
) -> Workforce:
    """Staff every unit's posts, then every village and grid; `usernames` names the accounts
    of some employee numbers."""
    roster = _Roster(usernames)
    for unit in units:
        for position, post in enumerate(unit.posts, start=1):
            number = employee_no(unit.record.code, position)
            holder = roster.hire(number, unit.record.code, post.title, account=bool(post.role))
            if post.role:
                roster.grants.append(_unit_grant(holder.username, post.role, unit.record))
    for village in territory.at_level(RegionLevel.VILLAGE):
        _staff_village(roster, village, territory.grids_in(village.code))
    return Workforce(tuple(roster.staff), tuple(roster.members), tuple(roster.grants))


def _unit_grant(username: str, role: str, department: DepartmentRecord) -> PlannedGrant:
    """Department officers act for their department, everyone else for the unit's region."""
    if role == "department_officer":
        return PlannedGrant(username, role, department_code=department.code)
    return PlannedGrant(username, role, region_code=department.region_code)


def _staff_village(roster: _Roster, village: RegionRecord, grids: list[GridRecord]) -> None:
    """A head and an instructor for the village's grids, a full-time worker for each grid and,
    for about `PART_TIME_SHARE` of them, a part-time one."""
    office = office_code(village.parent_code)

    def hire(role: GridRole, code: str) -> StaffRecord:
        number = grid_staff_no(role, code)
        return roster.hire(number, office, GRID_TITLES[role], account=role in GRID_ACCOUNTS)

    head, instructor = hire(GridRole.HEAD, village.code), hire(GridRole.INSTRUCTOR, village.code)
    roster.grants.append(PlannedGrant(head.username, "grid_head", region_code=village.code))
    for grid in grids:
        worker = hire(GridRole.FULL_TIME, grid.code)
        roster.grants.append(PlannedGrant(worker.username, "grid_worker", grid_code=grid.code))
        team = {GridRole.HEAD: head, GridRole.INSTRUCTOR: instructor, GridRole.FULL_TIME: worker}
        if roster.rng.random() < PART_TIME_SHARE:
            team[GridRole.PART_TIME] = hire(GridRole.PART_TIME, grid.code)
        roster.members += [
            GridMemberRecord(grid_code=grid.code, employee_no=member.employee_no, role=role)
            for role, member in team.items()
        ]
