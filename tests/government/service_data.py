"""Applications made directly through the models, for the ratings and statistics tests."""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta

from django.utils import timezone

from kuaiji.apps.government.models import (
    Application,
    ApplicationItem,
    ApplicationStatus,
    ItemStatus,
    MaterialSource,
    ServiceItem,
    SuppliedMaterial,
)
from kuaiji.platform.directory.models import Department, Region
from kuaiji.platform.identity.models import User

_numbers = itertools.count(1)


def service_item(code: str = "330602-SCJ-001", department: str = "330602-SCJ") -> ServiceItem:
    """A service item of a department, promised in 5 working days."""
    found = ServiceItem.objects.filter(code=code).first()
    if found is not None:
        return found
    return ServiceItem.objects.create(
        code=code,
        name=f"食品经营许可 {code}",
        department=Department.objects.get(code=department),
        kind="licence",
        applicants="both",
        legal_basis="《中华人民共和国食品安全法》",
        statutory_days=20,
        promised_days=5,
        online_level=4,
        result_name="食品经营许可证",
    )


def applicant(username: str = "applicant") -> User:
    found = User.objects.filter(username=username).first()
    return found or User.objects.create_user(username, display_name="王芳")


def application(
    *,
    person: User | None = None,
    item: ServiceItem | None = None,
    region: str = "330602001",
    status: str = ApplicationStatus.DECIDED,
    online: bool = True,
    submitted_at: datetime | None = None,
    decided_at: datetime | None = None,
    promised_by: date | None = None,
    shared: int = 0,
    uploaded: int = 0,
) -> Application:
    """An application with its one item (and materials), stored as the services would."""
    item = item or service_item()
    person = person or applicant()
    place = Region.objects.get(code=region)
    submitted = submitted_at or timezone.now() - timedelta(days=3)
    decided = decided_at
    if decided is None and status in (ApplicationStatus.DECIDED, ApplicationStatus.DELIVERED):
        decided = submitted + timedelta(days=2)
    n = next(_numbers)
    found = Application.objects.create(
        number=f"T{n:08d}",
        submission_key=f"key-{n}",
        applicant=person,
        applicant_name="王芳",
        item=item,
        region=place,
        region_path=place.path,
        status=status,
        online=online,
        submitted_at=submitted,
        accepted_at=submitted,
        promised_by=promised_by
        if promised_by is not None
        else timezone.localtime(submitted).date() + timedelta(days=7),
        decided_at=decided,
    )
    ApplicationItem.objects.create(
        application=found,
        item=item,
        department=item.department,
        status=ItemStatus.DONE if decided else ItemStatus.HANDLING,
    )
    for k in range(shared):
        SuppliedMaterial.objects.create(
            application=found, code=f"shared-{k}", name="营业执照", source=MaterialSource.SHARED
        )
    for k in range(uploaded):
        SuppliedMaterial.objects.create(
            application=found, code=f"upload-{k}", name="场所平面图", source=MaterialSource.UPLOAD
        )
    return found
