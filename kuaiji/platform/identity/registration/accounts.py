"""Opening an account for a person of the directory, and keeping one phone number to one
account.

A person is known by identity number. Registering either creates their directory record or,
when staff recorded them already, claims that record (the name must match it). Either way the
record is written through the directory's own upsert, so the identity number and the phone are
sealed at rest and their blind indexes computed by the one mechanism every directory write
uses.
"""

from __future__ import annotations

import secrets

from django.db import IntegrityError
from django.utils.translation import gettext_lazy as _

from kuaiji.platform.core.actors import SYSTEM
from kuaiji.platform.core.errors import Conflict, InvalidInput
from kuaiji.platform.core.personal import PersonalKind, blind_index
from kuaiji.platform.directory.models import Citizen, Region
from kuaiji.platform.directory.records import CitizenRecord
from kuaiji.platform.directory.services import upsert_citizens
from kuaiji.platform.identity.models import AccountKind, RealNameLevel, User

USERNAME_PREFIX = "person-"
ALREADY_REGISTERED = _(
    "An account is already registered with this identity number: sign in with its phone "
    "number instead."
)
PHONE_TAKEN = _("This phone number is already registered with another account.")


def opaque_username() -> str:
    """A username that says nothing about the person (they sign in with their phone)."""
    return f"{USERNAME_PREFIX}{secrets.token_hex(8)}"


def citizen_by_id_number(id_number: str, *, lock: bool = False) -> Citizen | None:
    """The directory record with this identity number, if there is one."""
    found = Citizen.objects.select_related("region").filter(
        id_number_index=blind_index(PersonalKind.ID_NUMBER, id_number)
    )
    return (found.select_for_update(of=("self",)) if lock else found).first()


def require_phone_free(phone: str, *, owner: User | None = None) -> None:
    """No account but `owner`'s may sign in with `phone` (Conflict otherwise)."""
    holders = Citizen.objects.filter(
        phone_index=blind_index(PersonalKind.PHONE, phone), user__isnull=False
    )
    if owner is not None:
        holders = holders.exclude(user=owner)
    if holders.exists():
        raise Conflict(PHONE_TAKEN, fields={"phone": PHONE_TAKEN})


def check_claim(record: CitizenRecord, existing: Citizen | None) -> None:
    """A recorded person can be registered once, and only under the name on record."""
    if existing is None:
        return
    if existing.user_id is not None:
        raise Conflict(ALREADY_REGISTERED, fields={"id_number": ALREADY_REGISTERED})
    if existing.name != record.name:
        raise InvalidInput(
            fields={
                "name": _("The name does not match the one on record for this identity number.")
            }
        )


def check_region(record: CitizenRecord) -> None:
    """The region the person says they live in must be one the directory knows."""
    if record.region_code and not Region.objects.filter(code=record.region_code).exists():
        raise InvalidInput(fields={"region_code": _("Choose where you live from the list.")})


def merged_record(record: CitizenRecord, existing: Citizen | None) -> CitizenRecord:
    """What to store: the registration, keeping the recorded address and region where the
    person gave none."""
    if existing is None:
        return record
    return record.model_copy(
        update={
            "address": record.address or existing.address or "",
            "region_code": record.region_code or (existing.region.code if existing.region else ""),
        }
    )


def open_account(
    record: CitizenRecord, password: str, *, kind: AccountKind
) -> tuple[User, Citizen]:
    """Create the account, write the person's record and link the two; return both.

    Call inside a transaction, once the inputs and `check_region` passed. A person registered
    already, or a phone number taken, raise before anything is written."""
    existing = citizen_by_id_number(record.id_number, lock=True)
    check_claim(record, existing)
    require_phone_free(record.phone)
    user = User(
        username=opaque_username(),
        display_name=record.name,
        kind=kind,
        real_name_level=RealNameLevel.SELF_DECLARED,
    )
    user.set_password(password)
    user.save()
    try:
        upsert_citizens(actor=SYSTEM, records=[merged_record(record, existing)])
    except IntegrityError:  # the same person registering twice at the same moment
        raise Conflict(ALREADY_REGISTERED, fields={"id_number": ALREADY_REGISTERED}) from None
    index = blind_index(PersonalKind.ID_NUMBER, record.id_number)
    if Citizen.objects.filter(id_number_index=index, user__isnull=True).update(user=user) != 1:
        raise Conflict(ALREADY_REGISTERED, fields={"id_number": ALREADY_REGISTERED})
    # The upsert's audit entry locked the audit chain until commit, so registrations are
    # serialised from here on: this second look sees any account committed meanwhile.
    require_phone_free(record.phone, owner=user)
    return user, Citizen.objects.select_related("region").get(id_number_index=index)
