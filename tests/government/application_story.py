"""A small catalog for the application tests, described through the catalog services: a birth
bundle ("出生一件事") of four items of four departments, two of its materials obtained from shared
data (免提交); a citizen of the tiny city with an account; an officer for each department."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from stdnum.cn import ric

from kuaiji.apps.government import catalog
from kuaiji.apps.government.models import Bundle, ServiceItem
from kuaiji.apps.government.records import BundleRecord, ItemRecord, MaterialRecord
from kuaiji.platform.access.models import Role
from kuaiji.platform.access.services import grant_role
from kuaiji.platform.core.actors import SYSTEM
from kuaiji.platform.data import services as data_services
from kuaiji.platform.data.models import DataResource
from kuaiji.platform.data.records import ResourceRecord
from kuaiji.platform.directory import services as directory
from kuaiji.platform.directory.models import Citizen, Department, Region
from kuaiji.platform.directory.records import DepartmentRecord
from kuaiji.platform.identity.models import AccountKind, User
from tests.data.conftest import put_rows
from tests.directory.city import TinyCity

DEPARTMENTS = {
    "330602-WJW": "西区卫生健康局",
    "330602-GAJ": "西区公安分局",
    "330602-YBJ": "西区医疗保障局",
    "330602-RSJ": "西区人力社保局",
}
MOTHER_ID = "33060219900101002" + ric.calc_check_digit("33060219900101002")
OTHER_ID = "33060219850505003" + ric.calc_check_digit("33060219850505003")
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def pdf(name: str = "scan.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@dataclass
class Story:
    """The catalog, the citizen and the officers of one test."""

    city: TinyCity
    bundle: Bundle
    single: ServiceItem
    citizen: User
    stranger: User
    officers: dict[str, User]
    window: User

    @property
    def answers(self) -> dict[str, Any]:
        return {"child_name": "李小明", "birth_date": "2026-01-05", "hospital": "绍兴市妇幼保健院"}


def _resource(code: str, title: str, department: str, key: str) -> DataResource:
    resource = data_services.register_resource(
        actor=SYSTEM,
        resource=ResourceRecord(
            code=code,
            title=title,
            department_code=department,
            frequency="daily",
            sharing="conditional",
            opening="not_open",
            fields=[
                {"name": key, "type": "string", "level": 3, "primary_key": True, "required": True},
                {"name": "child_name", "type": "string", "level": 2},
                {"name": "certificate_no", "type": "string", "level": 2},
            ],
        ),
    )
    return resource


def _item(code: str, name: str, department: str, materials: list[MaterialRecord]) -> ServiceItem:
    return catalog.register_item(
        actor=SYSTEM,
        item=ItemRecord(
            code=code,
            name=name,
            department_code=department,
            kind="public_service",
            applicants="citizen",
            legal_basis="《测试依据》",
            statutory_days=10,
            promised_days={"330602-WJW": 3}.get(department, 5),
            online_level=4,
            result_name=f"{name}结果",
            materials=materials,
        ),
    )


def build(city: TinyCity) -> Story:
    """Departments, shared data, the items and the bundle, the citizen and the officers."""
    directory.upsert_departments(
        actor=SYSTEM,
        records=[
            DepartmentRecord(
                code=code, name=name, level="county", kind="functional", region_code="330602"
            )
            for code, name in DEPARTMENTS.items()
        ],
    )
    births = _resource("birth-certificates", "出生医学证明", "330602-WJW", "mother_id")
    put_rows(
        births,
        [{"mother_id": MOTHER_ID, "child_name": "李小明", "certificate_no": "Q330000001"}],
    )
    households = _resource("household-register", "户籍信息", "330602-GAJ", "id_number")
    put_rows(
        households,
        [{"id_number": MOTHER_ID, "child_name": "", "certificate_no": "H0001"}],
    )
    birth_proof = MaterialRecord(
        code="birth-proof",
        name="出生医学证明",
        data_resource="birth-certificates",
        lookup_field="mother_id",
    )
    household = MaterialRecord(
        code="household",
        name="户口簿",
        data_resource="household-register",
        lookup_field="id_number",
    )
    photo = MaterialRecord(code="photo", name="照片")
    _item("WJW-001", "出生医学证明登记", "330602-WJW", [birth_proof])
    _item("GAJ-001", "出生登记", "330602-GAJ", [birth_proof, household])
    _item("YBJ-001", "新生儿参保登记", "330602-YBJ", [household, photo])
    _item("RSJ-001", "社会保障卡申领", "330602-RSJ", [photo])
    single = _item(
        "SCJ-001", "个体户登记", "330602-SCJ", [MaterialRecord(code="lease", name="租赁合同")]
    )
    bundle = catalog.register_bundle(
        actor=SYSTEM,
        bundle=BundleRecord(
            code="birth",
            name="出生一件事",
            applicants="citizen",
            items=["WJW-001", "GAJ-001", "YBJ-001", "RSJ-001"],
            form=[
                {"name": "child_name", "label": "新生儿姓名", "type": "text"},
                {"name": "birth_date", "label": "出生日期", "type": "date"},
                {"name": "hospital", "label": "医院", "type": "text", "required": False},
            ],
        ),
    )
    village = Region.objects.get(code="330602001001")
    citizen = User.objects.create_user("mother", display_name="李娟", kind=AccountKind.CITIZEN)
    Citizen.objects.create(
        name="李娟",
        id_number=MOTHER_ID,
        phone="13900000001",
        address="测试市西区001街道1号",
        region=village,
        user=citizen,
    )
    stranger = User.objects.create_user("stranger", display_name="王强", kind=AccountKind.CITIZEN)
    Citizen.objects.create(name="王强", id_number=OTHER_ID, region=village, user=stranger)
    role = Role.objects.get(code="department_officer")
    officers = {}
    for code in [*DEPARTMENTS, "330602-SCJ"]:
        officer = User.objects.create_user(f"officer_{code}", is_staff=True)
        grant_role(
            actor=SYSTEM, user=officer, role=role, department=Department.objects.get(code=code)
        )
        officers[code] = officer
    return Story(
        city=city,
        bundle=bundle,
        single=single,
        citizen=citizen,
        stranger=stranger,
        officers=officers,
        window=city.users["county_officer"],
    )


def png(name: str = "photo.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def big_pdf() -> SimpleUploadedFile:
    content = io.BytesIO(PDF + b"0" * (10 * 1024 * 1024))
    return SimpleUploadedFile("big.pdf", content.getvalue(), content_type="application/pdf")
