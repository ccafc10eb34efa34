"""A task list of the tiny city: the city's big data bureau draws it up, West district's market
regulation leads, a township office of the West district cooperates, the East district's
market regulation is a stranger."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from kuaiji.apps.command.checklists import drawing
from kuaiji.apps.command.checklists.drawing import MilestoneDraft, TaskDraft
from kuaiji.apps.command.models import Task, TaskList
from kuaiji.platform.access.models import RoleGrant
from kuaiji.platform.access.scoping import forget_grants
from kuaiji.platform.directory.models import Department, Staff
from kuaiji.platform.identity.models import User
from tests.directory.city import TinyCity, role

PDF = b"%PDF-1.4\n% evidence\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16


def pdf(name: str = "验收材料.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def fake_png(name: str = "photo.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"not a png at all", content_type="image/png")


@dataclass
class Story:
    city: TinyCity
    office: Department
    leader: User
    lead: Department
    lead_user: User
    helper_unit: Department
    helper: User
    stranger: User
    county: User

    def draft(self, **changes: Any) -> TaskDraft:
        today = timezone.localdate()
        fields: dict[str, Any] = {
            "title": "完成市场主体数据归集",
            "description": "归集全区市场主体登记数据并接入公共数据平台",
            "target_value": Decimal("5000"),
            "unit": "户",
            "lead": self.lead,
            "starts_on": today - timedelta(days=10),
            "deadline": today + timedelta(days=20),
            "cooperating": [self.helper_unit],
            "milestones": [MilestoneDraft("完成数据清洗", today + timedelta(days=5))],
        }
        fields.update(changes)
        return TaskDraft(**fields)

    def draw_as(self, actor: Any, key: str, **changes: Any) -> TaskList:
        """A list drawn up by `actor` (a plan with one task, unless told)."""
        fields: dict[str, Any] = {
            "title": "专项任务清单",
            "origin": "plan",
            "origin_reference": "专项工作方案",
            "tasks": [self.draft()],
        }
        fields.update(changes)
        return drawing.draw_up(actor=actor, submission_key=key, **fields)

    def draw(
        self, key: str = "key-1", tasks: list[TaskDraft] | None = None, publish: bool = True
    ) -> TaskList:
        made = drawing.draw_up(
            actor=self.leader,
            submission_key=key,
            title="2026年数字化改革重点任务清单",
            origin="meeting",
            origin_reference="市数字化改革领导小组第一次全体会议（2026年1月）",
            tasks=tasks or [self.draft()],
        )
        if publish:
            drawing.publish(actor=self.leader, task_list=made)
        return TaskList.objects.get(pk=made.pk)


def build(city: TinyCity) -> Story:
    office = Department.objects.get(code="330600-DSJ")
    leader = city.users["city_leader"]
    Staff.objects.filter(employee_no="E001").update(user=leader)
    helper_unit = Department.objects.get(code="330602001-OFFICE")
    helper = city.users["township_officer"]
    Staff.objects.create(
        employee_no="T-001", name="乡镇联络员", department=helper_unit, user=helper
    )
    stranger = User.objects.create(username="u_stranger", is_staff=True)
    RoleGrant.objects.create(
        user=stranger,
        role=role("department_officer"),
        department=Department.objects.get(code="330603-SCJ"),
    )
    forget_grants(stranger)
    return Story(
        city=city,
        office=office,
        leader=leader,
        lead=Department.objects.get(code="330602-SCJ"),
        lead_user=city.users["department_officer"],
        helper_unit=helper_unit,
        helper=helper,
        stranger=stranger,
        county=city.users["county_officer"],
    )


def first_task(task_list: TaskList) -> Task:
    return task_list.tasks.select_related("task_list", "lead_department").get(sequence=1)


def as_user(user: User, language: str = "") -> Client:
    client = Client()
    client.force_login(user)
    if language:
        client.cookies["kuaiji_language"] = language
    return client


def days(n: int) -> date:
    return timezone.localdate() + timedelta(days=n)
