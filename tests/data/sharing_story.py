"""Helpers of the sharing tests: a consumer department officer, and a request carried through its
chain by the right people."""

from __future__ import annotations

from typing import Any

from kuaiji.platform.access.models import RoleGrant
from kuaiji.platform.access.services import grant_roles
from kuaiji.platform.chains import services as chains
from kuaiji.platform.chains.models import TaskStatus, WorkTask
from kuaiji.platform.core.actors import SYSTEM
from kuaiji.platform.data import sharing
from kuaiji.platform.data.models import DataResource, SharingRequest
from kuaiji.platform.directory.models import Department
from kuaiji.platform.identity.models import User
from tests.directory.city import TinyCity, role

CONSUMER = "330603-SCJ"


def officer_of(code: str, username: str) -> User:
    """A new department officer of the department `code`."""
    user = User.objects.create(username=username, is_staff=True)
    grant_roles(
        actor=SYSTEM,
        grants=[
            RoleGrant(
                user=user,
                role=role("department_officer"),
                department=Department.objects.get(code=code),
            )
        ],
    )
    return user


def consumer(username: str = "u_consumer") -> User:
    """A department officer of the east market regulation bureau (the consumer)."""
    return officer_of(CONSUMER, username)


def apply_for(
    actor: Any, resource: DataResource, fields: list[str], *, period_days: int = 30
) -> SharingRequest:
    return sharing.apply(
        actor=actor,
        resource=resource,
        purpose="联合监管抽查",
        legal_basis="《市场主体登记管理条例》第三十五条",
        fields=fields,
        period_days=period_days,
    )


def open_task(request: SharingRequest, step: str) -> WorkTask:
    return WorkTask.objects.get(instance_id=request.chain_id, step=step, status=TaskStatus.OPEN)


def decide(
    city: TinyCity,
    request: SharingRequest,
    *,
    provider: str = "approve",
    security: str = "pass",
) -> SharingRequest:
    """The provider's officer decides, then (if approved) the platform administrator."""
    task = open_task(request, "provider_approval")
    chains.complete(
        actor=city.users["department_officer"],
        task=task.pk,
        form={"decision": provider, "opinion": "同意" if provider == "approve" else "不同意"},
    )
    if provider == "approve":
        task = open_task(request, "security_review")
        chains.complete(
            actor=city.users["platform_admin"],
            task=task.pk,
            form={"decision": security, "opinion": "符合要求"},
        )
    request.refresh_from_db()
    return request
