"""The enterprise an operator registers for: found by its unified social credit code, or
recorded through the directory's upsert when the platform does not know it yet."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import IntegrityError
from django.utils.translation import gettext_lazy as _

from kuaiji.platform.core.actors import SYSTEM
from kuaiji.platform.core.errors import Conflict, InvalidInput
from kuaiji.platform.directory.models import Enterprise, Region
from kuaiji.platform.directory.records import EnterpriseRecord
from kuaiji.platform.directory.services import upsert_enterprises
from kuaiji.platform.identity.registration import inputs


@dataclass(frozen=True)
class EnterpriseClaim:
    """The enterprise named at registration: the stored one, or what to record."""

    credit_code: str
    name: str
    stored: Enterprise | None
    new_record: dict[str, Any] = field(default_factory=dict)


def registration_region(credit_code: str) -> Region | None:
    """Where an enterprise new to the platform is recorded: the division that registered it
    (characters 3 to 8 of the credit code) when the directory has it, else the city."""
    codes = [credit_code[2:8], settings.KUAIJI_CITY.division_code]
    regions = Region.objects.in_bulk(codes, field_name="code")
    return next((regions[code] for code in codes if code in regions), None)


def find(
    *, credit_code: str, name: str, legal_representative: str, industry_code: str, scale: str
) -> EnterpriseClaim:
    """Check the enterprise against the directory before anything is written.

    A stored enterprise must be named as on record, and keeps the details staff recorded; a
    new one needs its legal representative, industry and scale.
    """
    stored = Enterprise.objects.select_related("region").filter(credit_code=credit_code).first()
    if stored is not None:
        if stored.name != name:
            raise InvalidInput(
                fields={
                    "enterprise_name": _(
                        "The name does not match the enterprise registered with this credit code."
                    )
                }
            )
        return EnterpriseClaim(credit_code=credit_code, name=name, stored=stored)
    details = inputs.new_enterprise_details(
        legal_representative=legal_representative, industry_code=industry_code, scale=scale
    )
    region = registration_region(credit_code)
    if region is None:
        raise InvalidInput(
            fields={"credit_code": _("The platform has no region to record this enterprise in.")}
        )
    return EnterpriseClaim(
        credit_code=credit_code,
        name=name,
        stored=None,
        new_record={**details, "region_code": region.code},
    )


def record_if_new(claim: EnterpriseClaim) -> Enterprise:
    """The stored enterprise, recorded first if it is new (through the directory's upsert)."""
    if claim.stored is not None:
        return claim.stored
    record = EnterpriseRecord(credit_code=claim.credit_code, name=claim.name, **claim.new_record)
    try:
        upsert_enterprises(actor=SYSTEM, records=[record])
    except IntegrityError:  # recorded by another registration at the same moment
        raise Conflict() from None
    return Enterprise.objects.select_related("region").get(credit_code=claim.credit_code)
