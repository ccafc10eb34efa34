"""Personal data: sealed with SM4 at rest, found through blind indexes, keys rotated safely."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from django.core.exceptions import FieldError
from django.db import connection

from kuaiji.cli import main
from kuaiji.platform.core import keys
from kuaiji.platform.core.actors import SYSTEM
from kuaiji.platform.core.crypto import DecryptionFailed
from kuaiji.platform.core.personal import PersonalKind, blind_index
from kuaiji.platform.core.rotation import values_by_key
from kuaiji.platform.directory.models import Citizen, Staff
from kuaiji.platform.directory.records import CitizenRecord
from kuaiji.platform.directory.services import upsert_citizens
from tests.directory.city import TinyCity

pytestmark = pytest.mark.django_db

ID_NUMBER = "330602199001011231"
PHONE = "13912345678"


@pytest.fixture
def citizen(city: TinyCity) -> Citizen:
    upsert_citizens(
        actor=SYSTEM,
        records=[
            CitizenRecord(
                name="张伟",
                id_number=ID_NUMBER,
                phone=PHONE,
                address="越城区塔山街道府山社区1幢",
                region_code="330602001001",
            ),
        ],
    )
    return Citizen.objects.get(id_number_index=blind_index(PersonalKind.ID_NUMBER, ID_NUMBER))


@pytest.fixture
def own_keys(tmp_path: object, settings: object) -> None:
    """A key file of the test's own, so rotating does not touch the suite's keys."""
    settings.KUAIJI_KEYS_FILE = tmp_path / "keys.json"  # type: ignore[attr-defined, operator]
    keys.forget()
    yield
    keys.forget()


def raw_columns(table: str, columns: str) -> list[tuple[str, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM {table}")
        return list(cursor.fetchall())


def test_values_are_sealed_at_rest_and_read_back(citizen: Citizen) -> None:
    assert (citizen.id_number, citizen.phone) == (ID_NUMBER, PHONE)
    stored = raw_columns("directory_citizen", "id_number, phone, address")
    assert stored and all(value.startswith("sm4:") for row in stored for value in row)
    everything = str(raw_columns("directory_citizen", "*")) + str(
        raw_columns("directory_staff", "*")
    )
    assert (
        ID_NUMBER not in everything and PHONE not in everything and "13800000001" not in everything
    )


def test_same_value_seals_differently_each_time(citizen: Citizen) -> None:
    first = raw_columns("directory_citizen", "id_number")[0][0]
    citizen.save()
    assert raw_columns("directory_citizen", "id_number")[0][0] != first
    assert Citizen.objects.get(pk=citizen.pk).id_number == ID_NUMBER


def test_altered_ciphertext_is_refused(citizen: Citizen) -> None:
    sealed = raw_columns("directory_citizen", "phone")[0][0]
    forged = sealed[:-4] + ("AAAA" if not sealed.endswith("AAAA") else "BBBB")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE directory_citizen SET phone = %s", [forged])
    with pytest.raises(DecryptionFailed):
        Citizen.objects.get(pk=citizen.pk)


def test_blind_indexes_find_people_and_follow_changes(citizen: Citizen, city: TinyCity) -> None:
    assert (
        Citizen.objects.filter(phone_index=blind_index(PersonalKind.PHONE, "139 1234-5678")).get()
        == citizen
    )
    staff = Staff.objects.filter(phone_index=blind_index(PersonalKind.PHONE, "13800000001")).get()
    assert staff.employee_no == "E001"
    upsert_citizens(
        actor=SYSTEM,
        records=[
            CitizenRecord(
                name="张伟", id_number=ID_NUMBER, phone="13700000000", region_code="330602001001"
            )
        ],
    )
    assert not Citizen.objects.filter(phone_index=blind_index(PersonalKind.PHONE, PHONE)).exists()
    assert Citizen.objects.filter(
        phone_index=blind_index(PersonalKind.PHONE, "13700000000")
    ).exists()


def test_encrypted_columns_cannot_be_searched_by_mistake(citizen: Citizen) -> None:
    with pytest.raises(FieldError, match="blind index"):
        Citizen.objects.filter(id_number=ID_NUMBER).exists()
    assert Citizen.objects.filter(phone__isnull=False).count() == 1


def test_registering_twice_updates_rather_than_duplicates(citizen: Citizen) -> None:
    report = upsert_citizens(
        actor=SYSTEM,
        records=[
            CitizenRecord(
                name="张伟",
                id_number=ID_NUMBER.lower(),
                phone=PHONE,
                address="越城区塔山街道府山社区1幢",
                region_code="330602001001",
            ),
        ],
    )
    assert (report.created, report.updated, report.unchanged) == (0, 0, 1)
    assert Citizen.objects.count() == 1


def test_key_rotation_round_trip(own_keys: None, citizen: Citizen, city: TinyCity) -> None:
    before = {c.pk: (c.id_number, c.phone, c.address) for c in Citizen.objects.all()}
    staff_phones = dict(Staff.objects.values_list("pk", "phone"))
    old = keys.keyring().current
    result = CliRunner().invoke(main, ["keys", "rotate", "--retire"])
    assert result.exit_code == 0, result.output
    ring = keys.keyring()
    assert ring.current != old and old not in ring.data_keys, "the old key is retired"
    assert set(values_by_key()) == {ring.current}
    assert {c.pk: (c.id_number, c.phone, c.address) for c in Citizen.objects.all()} == before
    assert dict(Staff.objects.values_list("pk", "phone")) == staff_phones
    assert Citizen.objects.filter(
        id_number_index=blind_index(PersonalKind.ID_NUMBER, ID_NUMBER)
    ).exists()
    status = CliRunner().invoke(main, ["keys", "status"])
    assert f"{ring.current} (current):" in status.output
