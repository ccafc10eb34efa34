"""Writes to the reform organisation (组织保障): the leading group, its office, topic groups and
task forces, each with its head, members and the units it coordinates.

Like the other directory upserts, `upsert_reform_bodies` takes validated records and is
idempotent. A record states a body completely: members and units not listed are removed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from kuaiji.platform.access.services import authorize, authorize_all
from kuaiji.platform.audit.services import record as record_audit
from kuaiji.platform.directory.models import (
    Department,
    ReformBody,
    ReformMembership,
    Staff,
)
from kuaiji.platform.directory.records import ReformBodyRecord
from kuaiji.platform.directory.upsert import (
    UpsertReport,
    problem,
    regions_by_code,
    save_rows,
)

PERMISSION = "directory.reform.manage"


@transaction.atomic
def upsert_reform_bodies(*, actor: Any, records: Sequence[ReformBodyRecord]) -> UpsertReport:
    """Create or update reform bodies with their members and units, in the given order."""
    authorize(actor, PERMISSION)
    regions = regions_by_code(r.region_code for r in records)
    staff = Staff.objects.in_bulk(
        {r.head_employee_no for r in records if r.head_employee_no}
        | {seat.employee_no for r in records for seat in r.members},
        field_name="employee_no",
    )
    units = Department.objects.in_bulk(
        {code for r in records for code in r.unit_codes}, field_name="code"
    )
    for index, record in enumerate(records):
        _require_references(index, record, regions, staff, units)
    authorize_all(actor, PERMISSION, regions.values())
    known = ReformBody.objects.in_bulk(
        {r.parent_code for r in records if r.parent_code}, field_name="code"
    )
    report = UpsertReport()
    for index, record in enumerate(records):
        parent = known.get(record.parent_code) if record.parent_code else None
        if record.parent_code and parent is None:
            message = _("parent reform body %(code)s does not exist")
            raise problem(index, message % {"code": record.parent_code})
        values = {
            "name": record.name,
            "name_en": record.name_en,
            "kind": record.kind.value,
            "region": regions[record.region_code],
            "parent": parent,
            "head": staff.get(record.head_employee_no),
        }
        saved = UpsertReport()
        row = {record.code: values}
        body = save_rows(ReformBody, "code", row, saved, actor=actor, code=PERMISSION)[record.code]
        seats = {staff[seat.employee_no].pk: seat.role for seat in record.members}
        coordinated = {units[code].pk for code in record.unit_codes}
        links_changed = _sync_seats(body, seats) | _sync_units(body, coordinated)
        if links_changed:
            changes = {"members": [None, sorted(seats)], "units": [None, sorted(coordinated)]}
            record_audit(
                actor=actor, action="directory.reformbody.members", obj=body, changes=changes
            )
        _add(report, saved, record.code, links_changed=links_changed)
        known[record.code] = body
    return report


def _require_references(
    index: int,
    record: ReformBodyRecord,
    regions: dict[str, Any],
    staff: dict[str, Staff],
    units: dict[str, Department],
) -> None:
    """Raise `InvalidInput` for the record's first region, staff or unit that does not exist."""
    if record.region_code not in regions:
        raise problem(index, _("region %(code)s does not exist") % {"code": record.region_code})
    people = [record.head_employee_no] if record.head_employee_no else []
    for number in people + [seat.employee_no for seat in record.members]:
        if number not in staff:
            raise problem(index, _("staff %(code)s does not exist") % {"code": number})
    for code in record.unit_codes:
        if code not in units:
            raise problem(index, _("department %(code)s does not exist") % {"code": code})


def _sync_seats(body: ReformBody, wanted: dict[int, str]) -> bool:
    """Make the body's seats exactly `wanted` (staff pk -> role); whether anything changed."""
    current = {m.staff_id: m for m in ReformMembership.objects.filter(body=body)}
    gone = [m.pk for m in current.values() if m.staff_id not in wanted]
    moved = [m for m in current.values() if m.staff_id in wanted and m.role != wanted[m.staff_id]]
    new = [
        ReformMembership(body=body, staff_id=staff_id, role=role)
        for staff_id, role in wanted.items()
        if staff_id not in current
    ]
    ReformMembership.objects.filter(pk__in=gone).delete()
    for membership in moved:
        membership.role = wanted[membership.staff_id]
    ReformMembership.objects.bulk_update(moved, ["role"])
    ReformMembership.objects.bulk_create(new)
    return bool(gone or moved or new)


def _sync_units(body: ReformBody, wanted: set[int]) -> bool:
    """Make the body's coordinated units exactly `wanted` (department pks)."""
    if set(body.units.values_list("pk", flat=True)) == wanted:
        return False
    body.units.set(wanted)
    return True


def _add(report: UpsertReport, saved: UpsertReport, code: str, *, links_changed: bool) -> None:
    """Add one body's outcome to the report; a body whose fields are unchanged but whose
    members or units changed counts as updated."""
    if links_changed and saved.unchanged:
        saved = UpsertReport(updated=1, changed_keys=[code])
    report.created += saved.created
    report.updated += saved.updated
    report.unchanged += saved.unchanged
    report.changed_keys += saved.changed_keys
