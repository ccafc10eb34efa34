"""What an integrated application learns about a staff member: the claims of the ID token
and of userinfo, each released only with its scope."""

from __future__ import annotations

from typing import Any, TypedDict

from kuaiji.platform.access.scoping import actor_grants, is_unrestricted
from kuaiji.platform.directory.models import Staff

# Claim name -> the scope that releases it.
CLAIM_SCOPES: dict[str, str] = {
    "sub": "openid",
    "name": "profile",
    "preferred_username": "profile",
    "department": "kuaiji",
    "roles": "kuaiji",
    "region_scope": "kuaiji",
}


class DepartmentClaim(TypedDict):
    """The staff member's department."""

    code: str
    name: str


class ScopeClaim(TypedDict):
    """One region, department or grid a grant covers (``kind`` "all" for superusers)."""

    kind: str
    code: str
    path: str


def subject(user: Any) -> str:
    """The stable subject identifier: the user's primary key as a string."""
    return str(user.pk)


def display_name(user: Any) -> str:
    """The name screens show: the display name, else the user name."""
    return str(user.display_name or user.username)


def department(user: Any) -> DepartmentClaim | None:
    """The department of the active staff record linked to the account, if any."""
    staff = (
        Staff.objects.filter(user_id=user.pk, is_active=True)
        .select_related("department")
        .only("department__code", "department__name")
        .first()
    )
    if staff is None:
        return None
    return {"code": staff.department.code, "name": staff.department.name}


def roles(user: Any) -> list[str]:
    """The codes of the roles the user holds, in any scope."""
    return sorted({grant.role.code for grant in actor_grants(user)})


def region_scope(user: Any) -> list[ScopeClaim]:
    """What the user's grants cover, without repeats; superusers cover everything."""
    found: dict[tuple[str, str], ScopeClaim] = {}
    if is_unrestricted(user):
        found[("all", "*")] = {"kind": "all", "code": "*", "path": ""}
    for grant in actor_grants(user):
        if grant.region is not None:
            claim = ScopeClaim(kind="region", code=grant.region.code, path=grant.region.path)
        elif grant.department is not None:
            claim = ScopeClaim(
                kind="department", code=grant.department.code, path=grant.department.path
            )
        elif grant.grid is not None:
            # A grid has no path of its own: it lies under its village's region path.
            claim = ScopeClaim(kind="grid", code=grant.grid.code, path=grant.grid.region.path)
        else:  # pragma: no cover - the database forbids a grant without a scope
            continue
        found[(claim["kind"], claim["code"])] = claim
    return [found[key] for key in sorted(found)]
