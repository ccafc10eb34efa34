"""Writes to the directory. Every write goes through an upsert of validated records, so the
admin screens, the file imports, the API and the demo generator share one path.

An upsert runs in one transaction: it resolves the codes the records refer to, checks that the
actor may change each referenced region or department, creates what is new, updates what
changed and leaves the rest alone, so applying the same records twice changes nothing. A
record that refers to something missing raises `InvalidInput` naming the record; nothing is
written then.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils.translation import gettext as _

from kuaiji.platform.access.services import authorize, authorize_all
from kuaiji.platform.audit.services import Change, record_changes
from kuaiji.platform.core.personal import PersonalKind, blind_index
from kuaiji.platform.directory.models import (
    Citizen,
    Department,
    Enterprise,
    Grid,
    GridMember,
    Region,
    Staff,
)
from kuaiji.platform.directory.records import (
    PARENT_LEVEL,
    CitizenRecord,
    DepartmentRecord,
    EnterpriseRecord,
    GridMemberRecord,
    GridRecord,
    RegionRecord,
    StaffRecord,
)
from kuaiji.platform.directory.upsert import (
    BATCH,
    UpsertReport,
    move_subtree,
    problem,
    regions_by_code,
    save_rows,
)


@transaction.atomic
def upsert_regions(*, actor: Any, records: Sequence[RegionRecord]) -> UpsertReport:
    """Create or update regions; parents may be earlier records or already stored."""
    authorize(actor, "directory.region.manage")
    ordered = sorted(
        enumerate(records), key=lambda item: len(item[1].code) + (item[1].level != "city")
    )
    known = regions_by_code([r.code for r in records] + [r.parent_code for r in records])
    parents_in_db = [known[r.parent_code] for r in records if r.parent_code in known]
    authorize_all(actor, "directory.region.manage", parents_in_db)
    report = UpsertReport()
    for index, record in ordered:
        parent = known.get(record.parent_code) if record.parent_code else None
        if record.parent_code and parent is None:
            raise problem(
                index, _("parent region %(code)s does not exist") % {"code": record.parent_code}
            )
        if parent is not None and parent.level != PARENT_LEVEL[record.level]:
            raise problem(
                index,
                _("a %(level)s cannot be placed under a %(parent)s")
                % {"level": record.level.label, "parent": parent.get_level_display()},
            )
        path = f"{parent.path if parent else ''}{record.code}/"
        previous = known.get(record.code)
        if previous is not None and previous.level != record.level and previous.children.exists():
            raise problem(index, _("the level of a region with divisions below it cannot change"))
        values = {
            "name": record.name,
            "name_en": record.name_en,
            "level": record.level.value,
            "parent": parent,
            "path": path,
            "is_real": record.is_real,
            # A record without a boundary keeps the stored one.
            "boundary": record.boundary
            if record.boundary is not None or previous is None
            else previous.boundary,
        }
        old_path = previous.path if previous else None
        saved = save_rows(
            Region,
            "code",
            {record.code: values},
            report,
            actor=actor,
            code="directory.region.manage",
        )[record.code]
        if old_path and old_path != path:
            move_subtree(Region, old_path, path)
        known[record.code] = saved
    return report


@transaction.atomic
def upsert_departments(*, actor: Any, records: Sequence[DepartmentRecord]) -> UpsertReport:
    """Create or update departments; parents may be earlier records or already stored."""
    authorize(actor, "directory.department.manage")
    regions = regions_by_code(r.region_code for r in records)
    missing = [(i, r.region_code) for i, r in enumerate(records) if r.region_code not in regions]
    if missing:
        index, code = missing[0]
        raise problem(index, _("region %(code)s does not exist") % {"code": code})
    authorize_all(actor, "directory.department.manage", regions.values())
    known = Department.objects.in_bulk(
        {r.code for r in records} | {r.parent_code for r in records if r.parent_code},
        field_name="code",
    )
    pending = dict(enumerate(records))
    report = UpsertReport()
    while pending:
        ready = [
            (i, r)
            for i, r in pending.items()
            if not r.parent_code or r.parent_code not in {p.code for p in pending.values()}
        ]
        if not ready:
            index = next(iter(pending))
            raise problem(
                index,
                _("departments form a cycle through %(code)s") % {"code": pending[index].code},
            )
        for index, record in ready:
            del pending[index]
            parent = known.get(record.parent_code) if record.parent_code else None
            if record.parent_code and parent is None:
                raise problem(
                    index,
                    _("parent department %(code)s does not exist") % {"code": record.parent_code},
                )
            path = f"{parent.path if parent else ''}{record.code}/"
            previous = known.get(record.code)
            if (
                parent is not None
                and previous is not None
                and parent.path.startswith(previous.path)
            ):
                raise problem(index, _("a department cannot be placed under its own sub-unit"))
            if len(path) > Department._meta.get_field("path").max_length:  # type: ignore[operator]
                raise problem(index, _("the department tree is nested too deeply"))
            values = {
                "name": record.name,
                "name_en": record.name_en,
                "level": record.level.value,
                "kind": record.kind.value,
                "platform": record.platform.value if record.platform else "",
                "region": regions[record.region_code],
                "parent": parent,
                "path": path,
            }
            old_path = previous.path if previous else None
            known[record.code] = save_rows(
                Department,
                "code",
                {record.code: values},
                report,
                actor=actor,
                code="directory.department.manage",
            )[record.code]
            if old_path and old_path != path:
                move_subtree(Department, old_path, path)
    return report


@transaction.atomic
def upsert_grids(*, actor: Any, records: Sequence[GridRecord]) -> UpsertReport:
    """Create or update grids in bulk."""
    authorize(actor, "directory.grid.manage")
    regions = regions_by_code(r.region_code for r in records)
    rows: dict[str, dict[str, Any]] = {}
    for index, record in enumerate(records):
        region = regions.get(record.region_code)
        if region is None:
            raise problem(index, _("region %(code)s does not exist") % {"code": record.region_code})
        if region.level not in ("village", "township"):
            raise problem(index, _("a grid belongs to a village or a township"))
        rows[record.code] = {
            "name": record.name,
            "kind": record.kind.value,
            "dedicated_to": record.dedicated_to,
            "region": region,
            "boundary": record.boundary,
            "households": record.households,
            "population": record.population,
            "is_synthetic": record.is_synthetic,
        }
    authorize_all(actor, "directory.grid.manage", regions.values())
    report = UpsertReport()
    save_rows(Grid, "code", rows, report, actor=actor, code="directory.grid.manage")
    if report.created or report.updated:
        transaction.on_commit(_grids_changed)
    return report


def _grids_changed() -> None:
    from kuaiji.platform.directory.locator import forget_locator

    forget_locator()


@transaction.atomic
def upsert_staff(
    *, actor: Any, records: Sequence[StaffRecord], password_hash: str = ""
) -> UpsertReport:
    """Create or update staff and, where a username is given, their sign-in accounts.

    New accounts get `password_hash` (the demo shares one hash) or an unusable password, to be
    set through the identity service.
    """
    authorize(actor, "directory.staff.manage")
    departments = Department.objects.in_bulk(
        {r.department_code for r in records}, field_name="code"
    )
    for index, record in enumerate(records):
        if record.department_code not in departments:
            raise problem(
                index, _("department %(code)s does not exist") % {"code": record.department_code}
            )
    authorize_all(actor, "directory.staff.manage", departments.values())
    users = _accounts_for(actor, records, password_hash)
    _check_accounts_free(records, users)
    rows: dict[str, dict[str, Any]] = {}
    for r in records:
        rows[r.employee_no] = {
            "name": r.name,
            "department": departments[r.department_code],
            "title": r.title,
            "phone": r.phone,
        }
        if r.username:  # without a username the stored account link is kept
            rows[r.employee_no]["user"] = users[r.username]
    report = UpsertReport()
    save_rows(Staff, "employee_no", rows, report, actor=actor, code="directory.staff.manage")
    return report


def _check_accounts_free(records: Sequence[StaffRecord], users: dict[str, Any]) -> None:
    """An account may belong to one staff member only, and never to a citizen or an
    administrator."""
    ids = [user.pk for user in users.values()]
    owners = dict(Staff.objects.filter(user_id__in=ids).values_list("user_id", "employee_no"))
    citizens = set(Citizen.objects.filter(user_id__in=ids).values_list("user_id", flat=True))
    for index, record in enumerate(records):
        if not record.username:
            continue
        account = users[record.username]
        owner = owners.get(account.pk)
        if owner is not None and owner != record.employee_no:
            raise problem(
                index,
                _("account %(name)s belongs to staff %(owner)s")
                % {"name": record.username, "owner": owner},
            )
        if account.pk in citizens or account.is_superuser:
            raise problem(
                index, _("account %(name)s cannot be a staff account") % {"name": record.username}
            )


def _accounts_for(actor: Any, records: Sequence[StaffRecord], password_hash: str) -> dict[str, Any]:
    user_model = get_user_model()
    wanted = {r.username: r for r in records if r.username}
    accounts = user_model._default_manager.in_bulk(list(wanted), field_name="username")
    new = [
        user_model(
            username=username,
            display_name=record.name,
            is_staff=True,
            password=password_hash or make_password(None),
        )
        for username, record in wanted.items()
        if username not in accounts
    ]
    created = user_model._default_manager.bulk_create(new, batch_size=BATCH)
    for account in created:
        accounts[account.username] = account
    record_changes(
        Change(
            actor=actor,
            action="identity.user.create",
            object_type="identity.user",
            object_id=str(account.pk),
            object_label=account.username,
            changes={"username": [None, account.username], "is_staff": [None, True]},
        )
        for account in created
    )
    return accounts


@transaction.atomic
def upsert_grid_members(*, actor: Any, records: Sequence[GridMemberRecord]) -> UpsertReport:
    """Give staff their roles in grids (existing memberships are kept)."""
    authorize(actor, "directory.grid.manage")
    grids = Grid.objects.in_bulk({r.grid_code for r in records}, field_name="code")
    staff = Staff.objects.in_bulk({r.employee_no for r in records}, field_name="employee_no")
    for index, record in enumerate(records):
        if record.grid_code not in grids:
            raise problem(index, _("grid %(code)s does not exist") % {"code": record.grid_code})
        if record.employee_no not in staff:
            raise problem(index, _("staff %(code)s does not exist") % {"code": record.employee_no})
    authorize_all(actor, "directory.grid.manage", grids.values())
    existing = set(
        GridMember.objects.filter(grid__in=grids.values()).values_list(
            "grid_id", "staff_id", "role"
        )
    )
    wanted = {(grids[r.grid_code].pk, staff[r.employee_no].pk, r.role.value) for r in records}
    new = wanted - existing
    created = GridMember.objects.bulk_create(
        [GridMember(grid_id=g, staff_id=s, role=role) for g, s, role in sorted(new)],
        batch_size=BATCH,
    )
    record_changes(
        Change(
            actor=actor,
            action="directory.gridmember.create",
            changes={
                "grid": [None, m.grid_id],
                "staff": [None, m.staff_id],
                "role": [None, m.role],
            },
            object_type="directory.gridmember",
            object_id=str(m.pk),
        )
        for m in created
    )
    return UpsertReport(created=len(new), unchanged=len(wanted) - len(new))


@transaction.atomic
def upsert_citizens(*, actor: Any, records: Sequence[CitizenRecord]) -> UpsertReport:
    """Register or update citizens, keyed by identity number."""
    authorize(actor, "directory.citizen.manage")
    regions = regions_by_code(r.region_code for r in records)
    rows = {}
    for index, record in enumerate(records):
        if record.region_code and record.region_code not in regions:
            raise problem(index, _("region %(code)s does not exist") % {"code": record.region_code})
        rows[blind_index(PersonalKind.ID_NUMBER, record.id_number)] = {
            "id_number": record.id_number,
            "name": record.name,
            "phone": record.phone,
            "address": record.address,
            "region": regions.get(record.region_code),
        }
    authorize_all(actor, "directory.citizen.manage", regions.values())
    report = UpsertReport()
    save_rows(
        Citizen, "id_number_index", rows, report, actor=actor, code="directory.citizen.manage"
    )
    return report


@transaction.atomic
def upsert_enterprises(*, actor: Any, records: Sequence[EnterpriseRecord]) -> UpsertReport:
    """Register or update enterprises, keyed by credit code."""
    authorize(actor, "directory.enterprise.manage")
    regions = regions_by_code(r.region_code for r in records)
    rows = {}
    for index, record in enumerate(records):
        if record.region_code not in regions:
            raise problem(index, _("region %(code)s does not exist") % {"code": record.region_code})
        rows[record.credit_code] = {
            "name": record.name,
            "legal_representative": record.legal_representative,
            "industry_code": record.industry_code,
            "region": regions[record.region_code],
            "scale": record.scale.value,
        }
    authorize_all(actor, "directory.enterprise.manage", regions.values())
    report = UpsertReport()
    save_rows(
        Enterprise, "credit_code", rows, report, actor=actor, code="directory.enterprise.manage"
    )
    return report
