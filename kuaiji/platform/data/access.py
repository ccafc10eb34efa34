"""What an actor may read of a resource's rows, and how the rest is masked.

- The owning department (``data.resource.manage`` on it) reads every field.
- A resource shared unconditionally: holders of ``data.rows.read`` read the fields of level 1–2;
  fields of level 3–4 need a live grant of their department naming them.
- A resource shared on conditions: only through a live `Grant` of the actor's department, whose
  fields are readable.
- A resource that is not shared: only its owner.

Fields the caller does not name come back masked (and are reported as masked); naming a field one
may not read is refused (403) with the field names. Filters, sort and text search only look at
readable fields (`rows.search(..., readable=...)`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kuaiji.platform.access.scoping import actor_grants, grants_with, is_unrestricted
from kuaiji.platform.access.services import has_permission
from kuaiji.platform.core.errors import Forbidden
from kuaiji.platform.core.personal import PersonalKind, mask
from kuaiji.platform.data.models import DataResource, Grant, Level, ResourceField, SharingType
from kuaiji.platform.directory.models import Department, Staff

MASK = "***"
OPEN_LEVELS = (Level.PUBLIC, Level.INTERNAL)


@dataclass(frozen=True)
class Reading:
    """What one actor may read of one resource, and on which ground."""

    resource: DataResource
    readable: frozenset[str]
    department: Department | None = None
    grant: Grant | None = None
    owner: bool = False


@dataclass(frozen=True)
class Selection:
    """The fields a read returns (schema order) and those among them that are masked."""

    fields: list[str]
    masked: list[str]


def person_of(actor: Any) -> Any:
    """The person behind an actor (an API key's owner for a key)."""
    return getattr(actor, "user", actor)


def departments_of(actor: Any, code: str) -> list[Department]:
    """The departments the actor acts for with permission `code`: those of its department-scoped
    grants holding `code`, else the department of its active staff record (when it holds `code`
    at all). Sorted by code; the first is the actor's department."""
    found = {
        grant.department.pk: grant.department
        for grant in grants_with(actor, code)
        if grant.department is not None
    }
    if not found and (is_unrestricted(actor) or grants_with(actor, code)):
        staff = (
            Staff.objects.filter(user_id=int(getattr(actor, "pk", 0) or 0), is_active=True)
            .select_related("department__region")
            .first()
        )
        if staff is not None:
            found[staff.department.pk] = staff.department
    return sorted(found.values(), key=lambda department: department.code)


def department_of(actor: Any, code: str) -> Department | None:
    """The department the actor acts for with `code` (see `departments_of`), if any."""
    found = departments_of(actor, code)
    return found[0] if found else None


def is_owner(actor: Any, resource: DataResource) -> bool:
    """Whether the actor answers for the resource (``data.resource.manage`` on its department)."""
    if is_unrestricted(actor):
        return True
    return (
        DataResource.objects.visible_to(actor, "data.resource.manage")
        .filter(pk=resource.pk)
        .exists()
    )


def live_grants(resource: DataResource, departments: Iterable[Department]) -> list[Grant]:
    """The grants of these departments on the resource that allow reading now."""
    now = timezone.now()
    return list(
        Grant.objects.filter(
            Q(resource=resource, department__in=list(departments), revoked_at__isnull=True)
            & Q(starts_at__lte=now, expires_at__gt=now)
        )
        .select_related("department")
        .order_by("-starts_at", "-pk")
    )


def reading(actor: Any, resource: DataResource) -> Reading:
    """What `actor` may read of `resource`; Forbidden when nothing at all."""
    schema = list(resource.fields.all())
    everything = frozenset(item.name for item in schema)
    if is_owner(actor, resource):
        return Reading(
            resource=resource,
            readable=everything,
            department=resource.department,
            owner=True,
        )
    if resource.sharing == SharingType.NOT_SHARED or not has_permission(actor, "data.rows.read"):
        raise Forbidden(_("This resource is not shared with you."))
    departments = departments_of(actor, "data.rows.read")
    grants = live_grants(resource, departments) if departments else []
    grant = grants[0] if grants else None
    granted = frozenset(name for found in grants for name in found.fields) & everything
    department = grant.department if grant is not None else next(iter(departments), None)
    if resource.sharing == SharingType.UNCONDITIONAL:
        open_fields = frozenset(item.name for item in schema if item.level in OPEN_LEVELS)
        return Reading(
            resource=resource,
            readable=open_fields | granted,
            department=department,
            grant=grant if granted - open_fields else None,
        )
    if grant is None:
        raise Forbidden(
            _("This resource is shared on conditions: your department needs a live grant.")
        )
    return Reading(resource=resource, readable=granted, department=department, grant=grant)


def select(
    readable: Iterable[str], schema: Sequence[ResourceField], requested: Sequence[str]
) -> Selection:
    """The fields to return for `requested` (empty: all) and those to mask. Naming a field that
    exists but may not be read is Forbidden, with the names (unknown names are left to
    `rows.search`, which says they do not exist)."""
    allowed = set(readable)
    names = [item.name for item in schema]
    if requested:
        wanted = set(requested)
        refused = [name for name in names if name in wanted and name not in allowed]
        if refused:
            raise Forbidden(
                _("You may not read these fields: %(names)s.") % {"names": ", ".join(refused)},
                fields={name: _("Not readable for you.") for name in refused},
                code="fields_forbidden",
            )
        chosen = list(dict.fromkeys(requested))
    else:
        chosen = names
    return Selection(fields=chosen, masked=[name for name in chosen if name not in allowed])


def mask_value(value: Any) -> Any:
    """A value hidden: text keeps its first 3 and last 4 characters when long enough (as for
    identity and phone numbers), anything else becomes a fixed mask; no value stays none."""
    if value is None:
        return None
    if isinstance(value, str):
        return mask(PersonalKind.ID_NUMBER, value) if len(value) > 7 else MASK
    return MASK


def masked_records(
    records: Iterable[dict[str, Any]], masked: Iterable[str]
) -> list[dict[str, Any]]:
    """The records with the masked fields' values hidden."""
    hidden = list(masked)
    if not hidden:
        return list(records)
    return [
        {name: mask_value(value) if name in hidden else value for name, value in record.items()}
        for record in records
    ]


def holds_any_grant(actor: Any) -> bool:
    """Whether the actor holds any role at all (a government caller)."""
    return is_unrestricted(actor) or bool(actor_grants(actor))
