"""Writes to the accounts of citizens and enterprise operators.

Each service runs in one transaction: it checks every input first (so a refusal writes
nothing), writes the account and the person's directory record together, and appends an
audit entry in the name of whoever acted. Personal data reaches the audit log masked only.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from kuaiji.platform.access.services import authorize
from kuaiji.platform.audit.services import diff, record
from kuaiji.platform.core.actors import SYSTEM
from kuaiji.platform.core.errors import Forbidden, NotFound
from kuaiji.platform.directory.models import Citizen
from kuaiji.platform.directory.services import upsert_citizens
from kuaiji.platform.identity.models import AccountKind, RealNameLevel, User
from kuaiji.platform.identity.permissions import VERIFY_REAL_NAME
from kuaiji.platform.identity.registration import accounts, enterprises, inputs
from kuaiji.platform.identity.registration.inputs import Problems


def _registered(user: User, citizen: Citizen, **changes: list[Any]) -> None:
    """The audit entry of a registration, in the new account's own name."""
    record(
        actor=user,
        action="identity.user.register",
        obj=user,
        region_path=citizen.region.path if citizen.region else "",
        changes={
            "kind": [None, user.kind],
            "real_name_level": [None, user.real_name_level],
            "citizen": [None, citizen.pk],
            **changes,
        },
    )


@transaction.atomic
def register_citizen(
    *,
    name: str,
    id_number: str,
    phone: str,
    password: str,
    address: str = "",
    region_code: str = "",
) -> User:
    """Open a citizen's account; they sign in with `phone`, their real name self-declared.

    The person registering is the actor: the audit entry is written in the new account's name.
    Raises `InvalidInput` naming each field with a problem, `Conflict` when the identity
    number already has an account or the phone belongs to another one.
    """
    problems = Problems()
    with problems.collect():
        person = inputs.person(
            name=name, id_number=id_number, phone=phone, address=address, region_code=region_code
        )
    with problems.collect():
        inputs.password(password, name=name)
    problems.raise_any()
    accounts.check_region(person)
    user, citizen = accounts.open_account(person, password, kind=AccountKind.CITIZEN)
    _registered(user, citizen)
    return user


@transaction.atomic
def register_enterprise_operator(
    *,
    name: str,
    id_number: str,
    phone: str,
    password: str,
    credit_code: str,
    enterprise_name: str,
    legal_representative: str = "",
    industry_code: str = "",
    scale: str = "",
    address: str = "",
    region_code: str = "",
) -> User:
    """Open the account of a person acting for an enterprise, as its authorised operator.

    The enterprise is found by its credit code (GB 32100) and must be named as on record; one
    the platform does not know yet is recorded, with its legal representative, industry
    (GB/T 4754) and scale, in the division that registered it. Errors as `register_citizen`.
    """
    problems = Problems()
    with problems.collect():
        person = inputs.person(
            name=name, id_number=id_number, phone=phone, address=address, region_code=region_code
        )
    with problems.collect():
        code = inputs.credit_code(credit_code)
    with problems.collect():
        registered_name = inputs.enterprise_name(enterprise_name)
    with problems.collect():
        inputs.password(password, name=name)
    problems.raise_any()
    accounts.check_region(person)
    claim = enterprises.find(
        credit_code=code,
        name=registered_name,
        legal_representative=legal_representative,
        industry_code=industry_code,
        scale=scale,
    )
    user, citizen = accounts.open_account(person, password, kind=AccountKind.ENTERPRISE_OPERATOR)
    enterprise = enterprises.record_if_new(claim)
    enterprise.operators.add(user)
    _registered(user, citizen, enterprise=[None, enterprise.pk])
    record(
        actor=user,
        action="directory.enterprise.operator.add",
        obj=enterprise,
        changes={"operators": [None, user.pk]},
    )
    return user


@transaction.atomic
def update_profile(
    *, actor: Any, user: User, phone: str | None = None, address: str | None = None
) -> Citizen:
    """Change the phone number (which the person signs in with) or the address of one's own
    directory record; None leaves a value as it is. The record is written through the
    directory's upsert, which seals the values and recomputes their blind indexes."""
    if getattr(actor, "pk", None) != user.pk:
        raise NotFound()
    citizen = (
        Citizen.objects.select_for_update(of=("self",))
        .select_related("region")
        .filter(user=user)
        .first()
    )
    if citizen is None:
        raise NotFound()
    before = {"phone": citizen.phone, "address": citizen.address}
    updated = inputs.person(
        name=citizen.name,
        id_number=citizen.id_number,
        phone=citizen.phone if phone is None else phone,
        address=citizen.address if address is None else address,
        region_code=citizen.region.code if citizen.region else "",
    )
    after = {"phone": updated.phone, "address": updated.address}
    if after == before:
        return citizen
    if updated.phone != before["phone"]:
        accounts.require_phone_free(updated.phone, owner=user)
    upsert_citizens(actor=SYSTEM, records=[updated])
    accounts.require_phone_free(updated.phone, owner=user)  # serialised now, as at registration
    record(
        actor=actor,
        action="identity.user.update_profile",
        obj=user,
        region_path=citizen.region.path if citizen.region else "",
        changes=diff(citizen, before, after),
    )
    return Citizen.objects.select_related("region").get(pk=citizen.pk)


@transaction.atomic
def verify_real_name(*, actor: Any, user: User) -> User:
    """Mark the person's real name as verified by staff (核验实名).

    The actor needs ``identity.real_name.verify`` in a scope holding the region the person
    lives in; a person outside it answers as one who does not exist (NotFound). Nobody
    verifies themselves. Verifying twice changes nothing.
    """
    citizen = Citizen.objects.select_related("region").filter(user=user).first()
    if citizen is None:
        raise NotFound()
    authorize(actor, VERIFY_REAL_NAME, citizen)
    if getattr(actor, "pk", None) == user.pk:
        raise Forbidden(_("Nobody verifies their own real name."))
    account = User.objects.select_for_update().get(pk=user.pk)
    if account.real_name_level != RealNameLevel.VERIFIED:
        before = account.real_name_level
        account.real_name_level = RealNameLevel.VERIFIED
        account.save(update_fields=["real_name_level"])
        record(
            actor=actor,
            action="identity.user.verify_real_name",
            obj=account,
            region_path=citizen.region.path if citizen.region else "",
            changes={"real_name_level": [before, account.real_name_level]},
        )
    user.real_name_level = account.real_name_level
    return user
