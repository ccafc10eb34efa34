"""What the application screens share: the applicant's details as staff may see them, the
materials with shared records masked as the API masks them, and what a correction may name."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count, Max, Q, QuerySet

from kuaiji.apps.government import materials as supplied
from kuaiji.apps.government.applying import form_of
from kuaiji.apps.government.casework import is_applicant
from kuaiji.apps.government.models import Application, MaterialSource, SuppliedMaterial
from kuaiji.platform.core.personal import PersonalKind, mask

ACCEPT = "government.application.accept"
HANDLE = "government.application.handle"
DECIDE = "government.application.decide"
VIEW = "government.application.view"


@dataclass(frozen=True)
class Applicant:
    """Who applied, as the viewer may see it (staff: identity number, phone, address masked)."""

    name: str
    id_number: str
    phone: str
    address: str
    enterprise: str
    masked: bool


def applicant_of(actor: Any, application: Application) -> Applicant:
    """The applicant's details: whole for the applicant, masked for staff (as the API)."""
    own = is_applicant(actor, application)
    return Applicant(
        name=application.applicant_name,
        id_number=(application.id_number or "")
        if own
        else mask(PersonalKind.ID_NUMBER, application.id_number),
        phone=(application.phone or "") if own else mask(PersonalKind.PHONE, application.phone),
        address=(application.address or "")
        if own
        else mask(PersonalKind.ADDRESS, application.address),
        enterprise=application.enterprise.name if application.enterprise else "",
        masked=not own,
    )


def masked_id(application: Application) -> str:
    """The applicant's identity number masked (for lists)."""
    return mask(PersonalKind.ID_NUMBER, application.id_number)


@dataclass(frozen=True)
class MaterialRow:
    """A material of the application: an uploaded file, or a shared record (fields of level
    3–4 masked for staff)."""

    material: SuppliedMaterial
    record: list[tuple[str, Any]]

    @property
    def shared(self) -> bool:
        return self.material.source == MaterialSource.SHARED

    @property
    def has_file(self) -> bool:
        return bool(self.material.file)


def material_rows(actor: Any, application: Application) -> list[MaterialRow]:
    """The application's materials in order, shared records masked for staff."""
    own = is_applicant(actor, application)
    return [
        MaterialRow(material, list((supplied.record_for(material, own=own) or {}).items()))
        for material in application.materials.select_related("data_call").order_by("pk")
    ]


def answer_rows(application: Application) -> list[tuple[str, Any]]:
    """The answers by their fields' labels, in the form's order (unknown answers last)."""
    fields = form_of(application.item, application.bundle)
    answers = dict(application.answers or {})
    rows = [
        (str(field.get("label") or field["name"]), answers.pop(str(field["name"]), ""))
        for field in fields
    ]
    return rows + list(answers.items())


def correction_targets(application: Application) -> list[tuple[str, str]]:
    """What a correction may name: the application's materials, then its form's fields."""
    items = [entry.item for entry in application.items.select_related("item")]
    materials = [
        (f"material:{code}", f"{need.name} ({code})")
        for code, need in supplied.needed(items).items()
    ]
    fields = [
        (f"field:{field['name']}", f"{field.get('label') or field['name']} ({field['name']})")
        for field in form_of(application.item, application.bundle)
    ]
    return materials + fields


def related(application: Application, relation: str) -> Any:
    """The application's correction or certificate, or None."""
    try:
        return getattr(application, relation)
    except ObjectDoesNotExist:
        return None


def with_counts(applications: QuerySet[Application]) -> QuerySet[Application]:
    """Applications with their materials counted (and those from shared data) and the
    longest promised limit of their items, in working days."""
    return applications.annotate(
        materials_count=Count("materials", distinct=True),
        shared_count=Count(
            "materials", filter=Q(materials__source=MaterialSource.SHARED), distinct=True
        ),
        promised_days=Max("items__item__promised_days"),
    )
