"""Reads for the service front and the staff who verify real names."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import get_language

from kuaiji.platform.core.personal import PersonalKind, mask
from kuaiji.platform.directory.models import Citizen, Enterprise, Region, RegionLevel
from kuaiji.platform.identity.models import RealNameLevel, User
from kuaiji.platform.identity.permissions import VERIFY_REAL_NAME


@dataclass(frozen=True)
class EnterpriseLine:
    """An enterprise the person acts for, as their profile lists it."""

    name: str
    credit_code: str
    region: str


@dataclass(frozen=True)
class Profile:
    """What the person sees of their own record: personal data masked, as everywhere."""

    name: str
    kind: str
    kind_label: str
    real_name_level: str
    real_name_level_label: str
    id_number: str
    phone: str
    address: str
    region: str
    enterprises: tuple[EnterpriseLine, ...]


def _english() -> bool:
    return (get_language() or "").startswith("en")


def region_name(region: Region | None) -> str:
    """A region's name in the reader's language."""
    if region is None:
        return ""
    return region.name_en if _english() and region.name_en else region.name


def profile_of(user: User) -> Profile | None:
    """The signed-in person's profile; None for an account without a directory record."""
    citizen = Citizen.objects.select_related("region").filter(user=user).first()
    if citizen is None:
        return None
    operated = Enterprise.objects.filter(operators=user).select_related("region")
    return Profile(
        name=citizen.name,
        kind=user.kind,
        kind_label=user.get_kind_display(),
        real_name_level=user.real_name_level,
        real_name_level_label=user.get_real_name_level_display(),
        id_number=mask(PersonalKind.ID_NUMBER, citizen.id_number),
        phone=mask(PersonalKind.PHONE, citizen.phone),
        address=mask(PersonalKind.ADDRESS, citizen.address),
        region=region_name(citizen.region),
        enterprises=tuple(
            EnterpriseLine(e.name, e.credit_code, region_name(e.region)) for e in operated
        ),
    )


def residence_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The townships and streets a person may say they live in, grouped by county (in the
    order of their codes), as choices for a select box."""
    townships = Region.objects.filter(level=RegionLevel.TOWNSHIP).select_related("parent")
    groups: dict[str, list[tuple[str, str]]] = {}
    for township in townships.order_by("code"):
        groups.setdefault(region_name(township.parent), []).append(
            (township.code, region_name(township))
        )
    return list(groups.items())


def awaiting_verification(actor: Any) -> QuerySet[Citizen]:
    """People with an account whose real name is self-declared, in the actor's scope for
    verifying real names, oldest registration first."""
    return (
        Citizen.objects.visible_to(actor, VERIFY_REAL_NAME)
        .filter(user__real_name_level=RealNameLevel.SELF_DECLARED)
        .select_related("region", "user")
        .order_by("user__date_joined", "pk")
    )
