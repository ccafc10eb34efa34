"""The audit chain: every change recorded with its source, and any tampering detected."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from click.testing import CliRunner
from django.db import DatabaseError, connection, transaction

from kuaiji.cli import main
from kuaiji.platform.audit.models import AuditEntry
from kuaiji.platform.audit.services import record
from kuaiji.platform.audit.verify import verify_chain
from kuaiji.platform.core.actors import SYSTEM
from kuaiji.platform.core.context import RequestContext, bound
from kuaiji.platform.directory import services
from kuaiji.platform.directory.models import Grid
from kuaiji.platform.directory.records import StaffRecord
from tests.directory.city import TinyCity, grid_records

pytestmark = pytest.mark.django_db

TABLE = AuditEntry._meta.db_table


@contextmanager
def tampering() -> Iterator[None]:
    """Let raw SQL change the audit table (PostgreSQL's trigger refuses it otherwise)."""
    postgres = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        if postgres:
            cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER audit_entry_immutable")
        try:
            yield
        finally:
            if postgres:
                cursor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER audit_entry_immutable")


def sql(statement: str, *params: object) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_upserts_record_every_change_with_masked_personal_data(city: TinyCity) -> None:
    grid = grid_records()[0]
    services.upsert_grids(
        actor=city.users["directory_admin"], records=[grid.model_copy(update={"households": 777})]
    )
    entry = AuditEntry.objects.filter(action="directory.grid.update").get()
    assert entry.actor == "u_directory_admin" and entry.actor_id == city.users["directory_admin"].pk
    assert entry.changes == {"households": [100, 777]}
    assert entry.object_label == grid.name
    assert entry.region_path == "330600/330602/330602001/330602001001/"
    services.upsert_staff(
        actor=SYSTEM,
        records=[
            StaffRecord(
                employee_no="E001", name="员工1", department_code="330600-DSJ", phone="13912345678"
            )
        ],
    )
    changed = AuditEntry.objects.filter(action="directory.staff.update").get()
    assert changed.changes["phone"] == ["138****0001", "139****5678"]
    assert "13912345678" not in str(AuditEntry.objects.values_list("changes", flat=True))


def test_boundaries_are_kept_as_digests(city: TinyCity) -> None:
    created = AuditEntry.objects.filter(action="directory.grid.create").first()
    assert created is not None and created.changes["boundary"][1].startswith("sm3:")


def test_entries_carry_the_request_source() -> None:
    with bound(RequestContext(request_id="req-12345678", source_ip="10.1.2.3")):
        entry = record(actor=SYSTEM, action="test.thing", object_type="test", object_id="1")
    assert (entry.request_id, entry.source_ip, entry.actor) == (
        "req-12345678",
        "10.1.2.3",
        "system",
    )


def test_an_intact_chain_verifies(city: TinyCity) -> None:
    verdict = verify_chain()
    assert verdict.intact, verdict.problem
    assert verdict.checked == AuditEntry.objects.count() > 20
    result = CliRunner().invoke(main, ["audit", "verify"])
    assert result.exit_code == 0 and "Audit chain intact" in result.output


def test_an_edited_entry_is_found(city: TinyCity) -> None:
    victim = AuditEntry.objects.order_by("sequence")[10]
    with tampering():
        sql(f"UPDATE {TABLE} SET actor = %s WHERE id = %s", "someone_else", victim.pk)
    verdict = verify_chain()
    assert (verdict.sequence, verdict.problem) == (
        victim.sequence,
        f"entry #{victim.sequence} was changed or forged",
    )
    result = CliRunner().invoke(main, ["audit", "verify"])
    assert result.exit_code == 1 and f"#{victim.sequence}" in result.output


def test_a_deleted_entry_is_found(city: TinyCity) -> None:
    victim = AuditEntry.objects.order_by("sequence")[5]
    with tampering():
        sql(f"DELETE FROM {TABLE} WHERE id = %s", victim.pk)
    assert verify_chain().sequence == victim.sequence


def test_entries_cut_off_the_end_are_found(city: TinyCity) -> None:
    last = AuditEntry.objects.order_by("-sequence").first()
    assert last is not None
    with tampering():
        sql(f"DELETE FROM {TABLE} WHERE id = %s", last.pk)
    verdict = verify_chain()
    assert verdict.sequence == last.sequence and "removed" in verdict.problem


def test_an_inserted_entry_is_found(city: TinyCity) -> None:
    last = AuditEntry.objects.order_by("-sequence").first()
    assert last is not None
    forged = AuditEntry.objects.get(pk=last.pk)
    forged.pk, forged.sequence, forged.previous_hash = None, last.sequence + 1, last.hash
    forged.action, forged.hash = "directory.grid.delete", "f" * 64
    with tampering():
        AuditEntry.objects.bulk_create([forged])
    assert verify_chain().sequence == last.sequence + 1


def test_an_entry_forged_without_the_key_is_found(city: TinyCity) -> None:
    from kuaiji.platform.core.crypto import sm3

    victim = AuditEntry.objects.order_by("sequence")[3]
    with tampering():
        sql(
            f"UPDATE {TABLE} SET action = %s, hash = %s WHERE id = %s",
            "access.role.delete",
            sm3(b"recomputed without the audit key"),
            victim.pk,
        )
    assert verify_chain().sequence == victim.sequence


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL")
def test_postgresql_refuses_to_change_entries(city: TinyCity) -> None:
    entry = AuditEntry.objects.first()
    assert entry is not None
    with pytest.raises(DatabaseError, match="cannot be changed"), transaction.atomic():
        sql(f"UPDATE {TABLE} SET actor = 'x' WHERE id = %s", entry.pk)
    with pytest.raises(DatabaseError, match="cannot be changed"), transaction.atomic():
        sql(f"DELETE FROM {TABLE} WHERE id = %s", entry.pk)


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="SQLite's in-memory test database has one writer at a time",
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_keep_one_chain() -> None:
    errors: list[BaseException] = []

    def write(n: int) -> None:
        try:
            for i in range(10):
                record(
                    actor=SYSTEM, action="test.concurrent", object_type="test", object_id=f"{n}-{i}"
                )
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert AuditEntry.objects.filter(action="test.concurrent").count() == 40
    assert verify_chain().intact
    assert Grid.objects.count() == 0
