"""The key demo sign-ins: staff whose accounts get short, stable usernames to try the fronts
with (every other account is named after its holder's employee number)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kuaiji.platform.directory.demo_city.departments import (
    employee_no,
    government_code,
    line_code,
    office_code,
)
from kuaiji.platform.directory.demo_city.reference import CITY_CODE
from kuaiji.platform.directory.demo_city.staff import grid_staff_no
from kuaiji.platform.directory.models import GridRole

YUECHENG, TASHAN = "330602", "330602001"  # 越城区, its 塔山街道 (in every demo size)


@dataclass(frozen=True)
class KeyAccount:
    """A username for one staff member, and what signing in as them shows."""

    username: str
    employee_no: str
    purpose: Promise


KEY_ACCOUNTS = (
    KeyAccount("leader", employee_no(government_code(CITY_CODE), 1),
               _("city leader (mayor of Shaoxing): sees the whole city")),
    KeyAccount("county", employee_no(government_code(YUECHENG), 1),
               _("county officer: head of Yuecheng District")),
    KeyAccount("township", employee_no(office_code(TASHAN), 1),
               _("township officer: party secretary of Tashan Street, Yuecheng")),
    KeyAccount("department", employee_no(line_code(YUECHENG, "SCJ"), 1),
               _("department officer: head of Yuecheng market regulation")),
    KeyAccount("gridworker", grid_staff_no(GridRole.FULL_TIME, f"{TASHAN}001001"),
               _("grid worker of the first grid of Tashan Street")),
    KeyAccount("diradmin", employee_no(line_code(CITY_CODE, "DSJ"), 6),
               _("directory administrator: divisions, grids, departments and staff")),
    KeyAccount("auditor", employee_no(line_code(CITY_CODE, "DSJ"), 8),
               _("auditor: searches the audit log and verifies its chain")),
)  # fmt: skip


def usernames() -> dict[str, str]:
    """Employee number -> username of the key accounts."""
    return {account.employee_no: account.username for account in KEY_ACCOUNTS}
