"""What the application services share: the scope of staff over applications, the locked row,
the chain task a step waits on, audit entries and notices to the applicant."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from kuaiji.apps.government.models import Application, ApplicationItem
from kuaiji.platform.access.scoping import NOTHING, grants_with, is_unrestricted
from kuaiji.platform.audit.services import record
from kuaiji.platform.chains.models import TaskStatus, WorkTask
from kuaiji.platform.core.errors import Conflict, NotFound
from kuaiji.platform.messaging.models import NotificationKind
from kuaiji.platform.messaging.services import notify

BUSINESS_TYPE = "government.application"
CHAIN = "one_thing_service"
LINK = "/services/applications/{number}/"  # the status page on the service front


def staff_scope(actor: Any, code: str) -> Q:
    """The applications a member of staff reaches with permission `code`: the service window
    those of its region, a department those with an item of the department (or below it)."""
    if is_unrestricted(actor):
        return Q()
    combined = NOTHING
    for grant in grants_with(actor, code):
        if grant.region is not None:
            combined |= Q(region_path__startswith=grant.region.path)
        elif grant.department is not None:
            items = ApplicationItem.objects.filter(
                department__path__startswith=grant.department.path
            ).values("application_id")
            combined |= Q(pk__in=items)
        elif grant.grid is not None:
            combined |= Q(region_path__startswith=grant.grid.region.path)
    return combined


def in_scope(actor: Any, code: str) -> QuerySet[Application]:
    """The applications `actor` may act on with `code`."""
    return Application.objects.filter(staff_scope(actor, code))


def is_applicant(actor: Any, application: Application) -> bool:
    """Whether the actor applied (for an enterprise application: or operates the enterprise)."""
    pk = getattr(actor, "pk", None)
    if pk is None:
        return False
    if application.applicant_id == pk:
        return True
    return bool(
        application.enterprise_id is not None
        and application.enterprise is not None
        and application.enterprise.operators.filter(pk=pk).exists()
    )


def locked(application: Application) -> Application:
    """The application re-read with its row locked until the transaction ends."""
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("item", "bundle", "region", "enterprise")
        .get(pk=application.pk)
    )


def authorized(actor: Any, application: Application, code: str) -> Application:
    """The application locked, if `actor` may act on it with `code`; NotFound otherwise."""
    if not in_scope(actor, code).filter(pk=application.pk).exists():
        raise NotFound()
    return locked(application)


def open_task(application: Application, step: str, *, department_id: int | None = None) -> WorkTask:
    """The open task of the application's chain at `step` (for a department, its own; the
    engine names the instances of a multi-instance step "<step> [child]")."""
    tasks = WorkTask.objects.filter(
        instance_id=application.chain_id, step__startswith=step, status=TaskStatus.OPEN
    )
    if department_id is not None:
        tasks = tasks.filter(candidate_key__endswith=f"@department:{department_id}")
    found = tasks.order_by("pk").first()
    if found is None:
        raise Conflict(
            _("The application is %(status)s; it does not wait for this.")
            % {"status": application.get_status_display()}
        )
    return found


def audit(actor: Any, action: str, application: Application, changes: dict[str, Any]) -> None:
    """An audit entry about the application (identity fields are never written)."""
    record(
        actor=actor,
        action=f"government.application.{action}",
        object_type="government.application",
        object_id=str(application.pk),
        object_label=application.number,
        region_path=application.region_path,
        changes=changes,
    )


def tell_applicant(actor: Any, application: Application, title: str, body: str = "") -> None:
    """Put a notice about the application in the applicant's inbox."""
    notify(
        actor=actor,
        recipients=[application.applicant],
        kind=NotificationKind.NOTICE,
        title=f"{title} · {application.number}"[:200],
        body=body,
        link=LINK.format(number=application.number),
    )
