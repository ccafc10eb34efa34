"""One authorisation mechanism: permission codes, roles, scoped grants, visible_to, authorize."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError

from kuaiji.platform.access.models import Role, RoleGrant
from kuaiji.platform.access.registry import permissions
from kuaiji.platform.access.services import authorize, grant_role, save_role
from kuaiji.platform.access.standard_roles import STANDARD_ROLES
from kuaiji.platform.core.actors import SYSTEM
from kuaiji.platform.core.errors import Forbidden, InvalidInput, NotFound
from kuaiji.platform.directory.models import Department, Grid, Region, Staff
from tests.directory.city import TinyCity

pytestmark = pytest.mark.django_db


def codes(queryset: object) -> set[str]:
    return set(queryset.values_list("code", flat=True))  # type: ignore[attr-defined]


def test_every_standard_role_uses_declared_codes() -> None:
    declared = permissions()
    for role in STANDARD_ROLES:
        assert role.codes(), role.code
        assert set(role.codes()) <= set(declared)


def test_role_refuses_unknown_codes() -> None:
    role = Role(code="odd", name="怪角色", permissions=["directory.grid.view", "no.such.code"])
    with pytest.raises(ValidationError, match=r"no\.such\.code"):
        role.full_clean()
    with pytest.raises(InvalidInput):
        save_role(actor=SYSTEM, code="odd", name="怪角色", permissions=["no.such.code"])


def test_township_officer_sees_only_their_township(city: TinyCity) -> None:
    officer = city.users["township_officer"]
    assert codes(Region.objects.visible_to(officer)) == {
        "330602001",
        "330602001001",
        "330602001002",
    }
    assert codes(Grid.objects.visible_to(officer)) == {
        "330602001001001",
        "330602001001002",
        "330602001002001",
        "330602001002002",
    }
    assert codes(Department.objects.visible_to(officer)) == {
        "330602001-OFFICE",
        "330602001-P-SAFETY",
    }


def test_grid_worker_sees_only_their_grid(city: TinyCity) -> None:
    worker = city.users["grid_worker"]
    assert codes(Grid.objects.visible_to(worker)) == {"330602001001001"}
    assert set(Staff.objects.visible_to(worker).values_list("employee_no", flat=True)) == set()
    head = city.users["grid_head"]
    assert set(Staff.objects.visible_to(head).values_list("employee_no", flat=True)) == {"E004"}, (
        "a grid head sees the staff serving in the grids of their village"
    )


def test_department_grant_covers_its_units_and_its_region(city: TinyCity) -> None:
    officer = city.users["department_officer"]
    assert codes(Department.objects.visible_to(officer)) == {"330602-SCJ"}
    assert "330602001" in codes(Region.objects.visible_to(officer))
    assert "330603" not in codes(Region.objects.visible_to(officer))
    assert codes(Grid.objects.visible_to(officer)) == set(), "the role has no grid permission"


def test_city_roles_see_everything_and_superusers_too(city: TinyCity) -> None:
    assert Grid.objects.visible_to(city.users["city_leader"]).count() == Grid.objects.count()
    assert Grid.objects.visible_to(SYSTEM).count() == Grid.objects.count()


def test_anonymous_and_grantless_users_see_nothing(city: TinyCity) -> None:
    from kuaiji.platform.identity.models import User

    nobody = User.objects.create(username="nobody")
    assert not Region.objects.visible_to(AnonymousUser()).exists()
    assert not Region.objects.visible_to(nobody).exists()


def test_out_of_scope_answers_like_missing(city: TinyCity) -> None:
    officer = city.users["township_officer"]
    own = Grid.objects.get(code="330602001001001")
    other = Grid.objects.get(code="330603001001001")
    authorize(officer, "directory.grid.view", own)
    with pytest.raises(NotFound):
        authorize(officer, "directory.grid.view", other)
    with pytest.raises(NotFound):
        authorize(officer, "directory.grid.manage", own)
    with pytest.raises(Forbidden):
        authorize(officer, "directory.grid.manage")
    with pytest.raises(ValueError, match="undeclared"):
        authorize(officer, "directory.grid.fly")


def test_a_new_grant_takes_effect_at_once(city: TinyCity) -> None:
    officer = city.users["township_officer"]
    assert "330603001" not in codes(Region.objects.visible_to(officer))
    grant_role(
        actor=SYSTEM,
        user=officer,
        role=Role.objects.get(code="township_officer"),
        region=Region.objects.get(code="330603001"),
    )
    assert "330603001" in codes(Region.objects.visible_to(officer))


def test_a_grant_has_exactly_one_scope(city: TinyCity) -> None:
    officer = city.users["township_officer"]
    role = Role.objects.get(code="township_officer")
    with pytest.raises(InvalidInput):
        grant_role(actor=SYSTEM, user=officer, role=role)
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        RoleGrant.objects.create(
            user=officer,
            role=role,
            region=Region.objects.get(code="330602"),
            grid=Grid.objects.first(),
        )


def test_only_role_managers_grant_roles(city: TinyCity) -> None:
    with pytest.raises(Forbidden):
        grant_role(
            actor=city.users["county_officer"],
            user=city.users["grid_worker"],
            role=Role.objects.get(code="city_leader"),
            region=Region.objects.get(code="330600"),
        )
