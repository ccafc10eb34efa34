"""Sharing requests and grants: how a department obtains another's data.

A department applies (`apply`) for fields of a resource shared on conditions, or for the level 3–4
fields of one shared unconditionally, stating purpose, legal basis and period. The request runs
on the shipped ``data_sharing`` chain: the providing department's officers approve or reject,
then the platform administrators review it for data security. `follow_chain`, called each time
the chain moves, brings the request in line: the ``end_granted`` end makes a `Grant` of the
fields until ``now + period_days``; a rejection in either step rejects it; a withdrawn chain
withdraws it. The provider may `revoke` a grant at any time; the applicant may `withdraw` a
request while it is pending. Every write is audited.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from kuaiji.platform.access.scoping import is_unrestricted
from kuaiji.platform.access.services import authorize, has_permission
from kuaiji.platform.audit.services import record
from kuaiji.platform.chains import services as chains
from kuaiji.platform.chains.models import ChainInstance, InstanceStatus, TaskStatus, WorkTask
from kuaiji.platform.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from kuaiji.platform.data.access import department_of, departments_of, person_of
from kuaiji.platform.data.models import (
    DataResource,
    Grant,
    Level,
    RequestStatus,
    SharingRequest,
    SharingType,
)

BUSINESS_TYPE = "data.sharing"
CHAIN = "data_sharing"
MAX_PERIOD_DAYS = 3 * 365


def _text(value: str, name: str, limit: int) -> str:
    value = (value or "").strip()
    if not value:
        raise InvalidInput(fields={name: _("This field is required.")})
    if len(value) > limit:
        raise InvalidInput(fields={name: _("At most %(count)d characters.") % {"count": limit}})
    return value


def _applicable_fields(resource: DataResource) -> dict[str, int]:
    """The fields one may apply for, with their levels: every field of a conditional resource,
    the level 3–4 fields of an unconditional one, none of a resource not shared."""
    schema = {item.name: item.level for item in resource.fields.all()}
    if resource.sharing == SharingType.CONDITIONAL:
        return schema
    if resource.sharing == SharingType.UNCONDITIONAL:
        return {name: level for name, level in schema.items() if level >= Level.RESTRICTED}
    return {}


def applicable_fields(resource: DataResource) -> dict[str, int]:
    """The fields of `resource` a department may apply for, with their levels."""
    return _applicable_fields(resource)


@transaction.atomic
def apply(
    *,
    actor: Any,
    resource: DataResource,
    purpose: str,
    legal_basis: str,
    fields: Sequence[str],
    period_days: int,
) -> SharingRequest:
    """Apply for `fields` of `resource` on behalf of the actor's department; starts the
    ``data_sharing`` chain, whose provider step goes to the resource department's officers."""
    authorize(actor, "data.sharing.apply")
    department = department_of(actor, "data.sharing.apply")
    if department is None:
        raise Forbidden(_("You act for no department, so you cannot apply for data."))
    if department.pk == resource.department_id:
        raise InvalidInput(_("Your department already keeps this resource."))
    purpose = _text(purpose, "purpose", 500)
    legal_basis = _text(legal_basis, "legal_basis", 300)
    if not 1 <= period_days <= MAX_PERIOD_DAYS:
        raise InvalidInput(
            fields={"period_days": _("Between 1 and %(days)d days.") % {"days": MAX_PERIOD_DAYS}}
        )
    applicable = _applicable_fields(resource)
    if not applicable:
        raise InvalidInput(_("This resource cannot be applied for."))
    wanted = list(dict.fromkeys(name.strip() for name in fields if name.strip()))
    if not wanted:
        raise InvalidInput(fields={"fields": _("Choose at least one field.")})
    schema = {item.name for item in resource.fields.all()}
    unknown = [name for name in wanted if name not in schema]
    if unknown:
        raise InvalidInput(
            fields={"fields": _("No such field: %(names)s.") % {"names": ", ".join(unknown)}}
        )
    needless = [name for name in wanted if name not in applicable]
    if needless:
        raise InvalidInput(
            fields={
                "fields": _("These fields are shared without applying: %(names)s.")
                % {"names": ", ".join(needless)}
            }
        )
    DataResource.objects.select_for_update().filter(pk=resource.pk).first()
    pending = SharingRequest.objects.filter(
        resource=resource, department=department, status=RequestStatus.PENDING
    )
    if pending.exists():
        raise Conflict(_("Your department already has a pending request for this resource."))
    request = SharingRequest.objects.create(
        resource=resource,
        department=department,
        applicant=person_of(actor),
        purpose=purpose,
        legal_basis=legal_basis,
        fields=[name for name in (item.name for item in resource.fields.all()) if name in wanted],
        period_days=period_days,
    )
    request.chain = chains.start(
        actor=actor,
        definition=CHAIN,
        title=_("%(department)s applies for %(resource)s")
        % {"department": department.name, "resource": resource.title},
        business_type=BUSINESS_TYPE,
        business_id=str(request.pk),
        region=department.region,
        department=resource.department,
        data={"resource": resource.code, "applicant_department": department.code},
    )
    request.save(update_fields=["chain"])
    record(
        actor=actor,
        action="data.sharing.apply",
        obj=request,
        changes={
            "resource": [None, resource.code],
            "department": [None, department.code],
            "fields": [None, len(request.fields)],
            "period_days": [None, period_days],
        },
    )
    return request


def _outcome(instance: ChainInstance) -> RequestStatus | None:
    """Where an ended chain left the request: granted, rejected or withdrawn."""
    if instance.status in (InstanceStatus.WITHDRAWN, InstanceStatus.CANCELLED):
        return RequestStatus.WITHDRAWN
    if instance.status != InstanceStatus.COMPLETED:
        return None
    done = {
        task.step: task
        for task in instance.tasks.filter(status=TaskStatus.DONE).order_by("completed_at", "pk")
    }
    for step in ("provider_approval", "security_review"):
        task = done.get(step)
        if task is None or task.form.get("decision") == "reject":
            return RequestStatus.REJECTED
    return RequestStatus.GRANTED


def follow_chain(instance: ChainInstance, open_tasks: list[WorkTask]) -> None:
    """Bring the request of `instance` in line with its chain (a chains listener)."""
    if open_tasks or not instance.business_id.isdigit():
        return
    request = (
        SharingRequest.objects.select_for_update()
        .filter(pk=int(instance.business_id), status=RequestStatus.PENDING)
        .first()
    )
    if request is None:
        return
    outcome = _outcome(instance)
    if outcome is None:
        return
    now = instance.ended_at or timezone.now()
    request.status, request.decided_at = outcome, now
    request.save(update_fields=["status", "decided_at"])
    if outcome == RequestStatus.GRANTED:
        Grant.objects.create(
            resource_id=request.resource_id,
            department_id=request.department_id,
            request=request,
            fields=list(request.fields),
            purpose=request.purpose,
            starts_at=now,
            expires_at=now + timedelta(days=request.period_days),
        )


@transaction.atomic
def revoke(*, actor: Any, grant: Grant, reason: str) -> Grant:
    """The providing department ends a grant before it expires."""
    resource = grant.resource
    if not is_unrestricted(actor):
        authorize(actor, "data.resource.manage", resource)
    reason = _text(reason, "reason", 300)
    locked = Grant.objects.select_for_update().get(pk=grant.pk)
    if locked.revoked_at is not None:
        raise Conflict(_("This grant has already been revoked."))
    locked.revoked_at = timezone.now()
    locked.revoked_by = person_of(actor)
    locked.revoke_reason = reason
    locked.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
    record(
        actor=actor,
        action="data.grant.revoke",
        obj=locked,
        changes={"revoked_at": [None, locked.revoked_at.isoformat()], "reason": [None, reason]},
    )
    return locked


@transaction.atomic
def withdraw(*, actor: Any, request: SharingRequest, reason: str) -> SharingRequest:
    """The applicant takes back a pending request; its chain is withdrawn (possible while
    nobody has acted on it yet, as for every chain)."""
    if request.applicant_id != getattr(person_of(actor), "pk", None):
        raise NotFound()
    if request.status != RequestStatus.PENDING:
        raise Conflict(_("Only a pending request can be withdrawn."))
    reason = _text(reason, "reason", 300)
    if request.chain_id is not None:
        chains.withdraw(actor=actor, instance=request.chain_id, reason=reason)
    request.refresh_from_db()
    if request.status == RequestStatus.PENDING:  # no chain, or its listener did not run
        request.status, request.decided_at = RequestStatus.WITHDRAWN, timezone.now()
        request.save(update_fields=["status", "decided_at"])
    record(
        actor=actor,
        action="data.sharing.withdraw",
        obj=request,
        changes={"status": [RequestStatus.PENDING.value, RequestStatus.WITHDRAWN.value]},
    )
    return request


def _resource_scope(actor: Any) -> Q:
    owned = DataResource.objects.visible_to(actor, "data.resource.manage").values("pk")
    return Q(resource__in=owned)


def requests_for(actor: Any) -> QuerySet[SharingRequest]:
    """Requests the actor may see: those of its departments, and those for resources it
    answers for (incoming)."""
    departments = [d.pk for d in departments_of(actor, "data.sharing.apply")]
    if is_unrestricted(actor) or has_permission(actor, "data.sharing.review"):
        scope = Q()
    else:
        scope = Q(department__in=departments) | _resource_scope(actor)
    return SharingRequest.objects.filter(scope).select_related(
        "resource", "department", "applicant", "chain"
    )


def my_requests(actor: Any) -> QuerySet[SharingRequest]:
    """Requests of the actor's departments."""
    departments = [d.pk for d in departments_of(actor, "data.sharing.apply")]
    return requests_for(actor).filter(department__in=departments)


def incoming_requests(actor: Any) -> QuerySet[SharingRequest]:
    """Requests for resources the actor answers for."""
    return requests_for(actor).filter(_resource_scope(actor))


def request_of(actor: Any, pk: int) -> SharingRequest:
    """One request the actor may see (NotFound otherwise)."""
    found = requests_for(actor).filter(pk=pk).first()
    if found is None:
        raise NotFound()
    return found


def grants_for(actor: Any) -> QuerySet[Grant]:
    """Grants the actor may see: its departments' grants and those of resources it answers
    for."""
    departments = [d.pk for d in departments_of(actor, "data.rows.read")]
    departments += [d.pk for d in departments_of(actor, "data.sharing.apply")]
    if is_unrestricted(actor) or has_permission(actor, "data.sharing.review"):
        scope = Q()
    else:
        scope = Q(department__in=departments) | _resource_scope(actor)
    return Grant.objects.filter(scope).select_related("resource", "department", "request")


def my_grants(actor: Any) -> QuerySet[Grant]:
    """Grants made to the actor's departments."""
    departments = [d.pk for d in departments_of(actor, "data.rows.read")]
    departments += [d.pk for d in departments_of(actor, "data.sharing.apply")]
    return grants_for(actor).filter(department__in=departments)


def given_grants(actor: Any) -> QuerySet[Grant]:
    """Grants of resources the actor answers for (given by its department)."""
    return grants_for(actor).filter(_resource_scope(actor))


def grant_of(actor: Any, pk: int) -> Grant:
    """One grant the actor may see (NotFound otherwise)."""
    found = grants_for(actor).filter(pk=pk).first()
    if found is None:
        raise NotFound()
    return found
