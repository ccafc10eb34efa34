"""The tiny city with people behind its units, for the directive tests.

330600-GOV   city government        leader (city_leader over 330600)
330602-GOV   西区 government         county (county_officer over 330602)
330602-SCJ   西区 market regulation  department (department_officer), clerk (no role)
330602001-OFFICE                    township (township_officer over 330602001),
                                    gridworker (E004, a grid member)
330603001-OFFICE (东区)             east (township_officer over 330603001)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from kuaiji.apps.command.directives.issuing import issue
from kuaiji.apps.command.models import Directive
from kuaiji.platform.access.models import Role, RoleGrant
from kuaiji.platform.access.scoping import forget_grants
from kuaiji.platform.core.actors import SYSTEM
from kuaiji.platform.directory import services
from kuaiji.platform.directory.models import Department, Region, Staff
from kuaiji.platform.directory.records import DepartmentRecord, StaffRecord
from kuaiji.platform.identity.models import User
from tests.directory.city import PASSWORD, TinyCity


@dataclass
class Office:
    """The people of the tiny city the directive tests use."""

    city: TinyCity
    leader: User
    county: User
    township: User
    department: User
    clerk: User
    gridworker: User
    east: User

    def dept(self, code: str) -> Department:
        return Department.objects.get(code=code)

    def region(self, code: str) -> Region:
        return Region.objects.get(code=code)

    def role(self, code: str) -> Role:
        return Role.objects.get(code=code)

    def issue(self, actor: User | None = None, key: str = "k1", **changes: Any) -> Directive:
        """A directive from the leader to 西区 market regulation, unless told otherwise."""
        arguments: dict[str, Any] = {
            "title": "关于做好防汛工作的通知",
            "body": "各单位立即开展汛前隐患排查。",
            "priority": "urgent",
            "departments": [self.dept("330602-SCJ")],
            "regions": [],
            "roles": [],
            "deadline": timezone.now() + timedelta(days=3),
            "feedback_required": True,
            "attachments": [],
            "submission_key": key,
            **changes,
        }
        return issue(actor=actor or self.leader, **arguments)


def _user(username: str, name: str) -> User:
    return User.objects.create(
        username=username, password=make_password(PASSWORD), is_staff=True, display_name=name
    )


def build_office(city: TinyCity) -> Office:
    services.upsert_departments(
        actor=SYSTEM,
        records=[
            DepartmentRecord(
                code="330600-GOV", name="测试市人民政府", level="city", kind="government",
                region_code="330600",
            ),
            DepartmentRecord(
                code="330602-GOV", name="西区人民政府", level="county", kind="government",
                region_code="330602",
            ),
        ],
    )  # fmt: skip
    clerk, east = _user("clerk", "王科员"), _user("east", "东区书记")
    people = {
        "G01": ("330600-GOV", city.users["city_leader"]),
        "G02": ("330602-GOV", city.users["county_officer"]),
        "S01": ("330602-SCJ", city.users["department_officer"]),
        "S02": ("330602-SCJ", clerk),
        "T01": ("330602001-OFFICE", city.users["township_officer"]),
        "T02": ("330603001-OFFICE", east),
    }
    services.upsert_staff(
        actor=SYSTEM,
        records=[
            StaffRecord(
                employee_no=number, name=f"员工{number}", department_code=code, title="干部"
            )
            for number, (code, _user_) in people.items()
        ],
    )
    for number, (_code, user) in people.items():
        Staff.objects.filter(employee_no=number).update(user=user)
    RoleGrant.objects.create(
        user=east,
        role=Role.objects.get(code="township_officer"),
        region=Region.objects.get(code="330603001"),
    )
    forget_grants(east)
    return Office(
        city=city,
        leader=city.users["city_leader"],
        county=city.users["county_officer"],
        township=city.users["township_officer"],
        department=city.users["department_officer"],
        clerk=clerk,
        gridworker=city.users["grid_worker"],
        east=east,
    )


@pytest.fixture
def office(city: TinyCity) -> Office:
    return build_office(city)


def pdf(name: str = "通知.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4 test", content_type="application/pdf")


def as_user(user: User, language: str = "") -> Client:
    client = Client()
    client.force_login(user)
    if language:
        client.cookies["kuaiji_language"] = language
    return client


def later(hours: float, start: datetime | None = None) -> datetime:
    return (start or timezone.now()) + timedelta(hours=hours)
