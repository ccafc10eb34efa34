"""Demo steps of the directory: load the demo city (`demo_city`) through the upsert services.

Every step writes as the system and reports "N created, N updated, N unchanged"; a second run
finds everything in place and reports nothing created or updated.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db.models import Model, QuerySet

from kuaiji.platform.access.models import Role, RoleGrant
from kuaiji.platform.access.services import grant_roles
from kuaiji.platform.access.standard_roles import STANDARD_ROLES, load_standard_roles
from kuaiji.platform.core.actors import SYSTEM
from kuaiji.platform.core.demo_loader import DemoAccount, DemoSize, DemoStep
from kuaiji.platform.directory.demo_city.accounts import KEY_ACCOUNTS
from kuaiji.platform.directory.demo_city.city import DemoCity, demo_city
from kuaiji.platform.directory.models import Department, Grid, Region
from kuaiji.platform.directory.reform_services import upsert_reform_bodies
from kuaiji.platform.directory.services import (
    upsert_citizens,
    upsert_departments,
    upsert_enterprises,
    upsert_grid_members,
    upsert_grids,
    upsert_regions,
    upsert_staff,
)
from kuaiji.platform.directory.upsert import UpsertReport
from kuaiji.platform.identity.demo import DEMO_PASSWORD

M = TypeVar("M", bound=Model)

ACCOUNTS = [DemoAccount(a.username, DEMO_PASSWORD, a.purpose) for a in KEY_ACCOUNTS]


def _upsert(
    name: str,
    upsert: Callable[..., UpsertReport],
    records: Callable[[DemoCity], Sequence[Any]],
) -> DemoStep:
    """A step handing one kind of the city's records to its upsert service."""

    def run(size: DemoSize) -> str:
        return str(upsert(actor=SYSTEM, records=records(demo_city(size))))

    return DemoStep(name, run)


def load_staff(size: DemoSize) -> str:
    """Staff and their accounts; the new accounts share one hash of the demo password
    (hashing it for each account would take minutes)."""
    report = upsert_staff(
        actor=SYSTEM,
        records=demo_city(size).workforce.staff,
        password_hash=make_password(DEMO_PASSWORD),
    )
    return str(report)


def load_standard_roles_step(size: DemoSize) -> str:
    """The standard roles the grants below refer to."""
    existing = set(Role.objects.values_list("code", flat=True))
    load_standard_roles(actor=SYSTEM)
    created = sum(role.code not in existing for role in STANDARD_ROLES)
    return str(UpsertReport(created=created, unchanged=len(STANDARD_ROLES) - created))


def load_role_grants(size: DemoSize) -> str:
    """The standard roles of the staff accounts, each in its region, department or grid.

    The grants carry their user and scope as objects (loaded in one query per model, without
    their other fields), so `grant_roles` does not load them one grant at a time.
    """
    planned = demo_city(size).workforce.grants
    users = _by_key(get_user_model()._default_manager.filter(staff__isnull=False), "username")
    roles = _by_key(Role.objects.all(), "code")
    regions = _by_key(Region.objects.all(), "code")
    departments = _by_key(Department.objects.all(), "code")
    grids = _by_key(Grid.objects.all(), "code")
    grants = [
        RoleGrant(
            user=users[grant.username],
            role=roles[grant.role],
            region=regions.get(grant.region_code),
            department=departments.get(grant.department_code),
            grid=grids.get(grant.grid_code),
        )
        for grant in planned
    ]
    added = grant_roles(actor=SYSTEM, grants=grants)
    return str(UpsertReport(created=added, unchanged=len(grants) - added))


def _by_key(queryset: QuerySet[M], key: str) -> dict[str, M]:
    """The rows by `key`, with only their primary key and `key` loaded."""
    return {getattr(row, key): row for row in queryset.only("pk", key)}


STEPS = [
    _upsert("regions", upsert_regions, lambda city: city.territory.regions),
    _upsert("departments", upsert_departments, lambda city: city.departments),
    _upsert("grids", upsert_grids, lambda city: city.territory.grids),
    DemoStep("staff", load_staff),
    _upsert("grid members", upsert_grid_members, lambda city: city.workforce.members),
    _upsert("reform bodies", upsert_reform_bodies, lambda city: city.reform_bodies),
    _upsert("citizens", upsert_citizens, lambda city: city.citizens),
    _upsert("enterprises", upsert_enterprises, lambda city: city.enterprises),
    DemoStep("standard roles", load_standard_roles_step),
    DemoStep("role grants", load_role_grants),
]
