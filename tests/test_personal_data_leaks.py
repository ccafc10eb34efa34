"""No endpoint shows a normal caller an identity number or phone whole, and no log line does."""

from __future__ import annotations

import io
import logging
import zipfile
from typing import Any

import pytest
from django.test import Client

from kuaiji.platform.core.actors import SYSTEM
from kuaiji.platform.directory.models import Staff
from kuaiji.platform.directory.records import CitizenRecord
from kuaiji.platform.directory.services import upsert_citizens
from tests.directory.city import TinyCity
from tests.pdf import pdf_text
from tests.test_permission_matrix import MATRIX, QUERIES, SAMPLES, api_paths

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

NORMAL_ROLES = [
    "city_leader",
    "county_officer",
    "township_officer",
    "department_officer",
    "grid_head",
    "grid_worker",
]
SCREENS = [
    "/work/",
    "/work/directory/",
    "/work/directory/staff/?q=员工",
    "/cockpit/",
    "/work/directory/grids/map/",
]


def readable(response: Any) -> str:
    """A response's text; a workbook's cells (an XLSX is a zip of XML parts); a PDF's text."""
    if response.get("Content-Type", "").startswith("application/pdf"):
        return pdf_text(response.content)
    if response.get("Content-Type", "").startswith(XLSX):
        with zipfile.ZipFile(io.BytesIO(response.content)) as book:
            return "".join(book.read(name).decode() for name in book.namelist())
    return str(response.content.decode())


def test_no_personal_data_in_any_response_or_log(
    city: TinyCity, client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    upsert_citizens(
        actor=SYSTEM,
        records=[
            CitizenRecord(
                name="张伟",
                id_number="330602199001011231",
                phone="13912345678",
                address="越城区塔山街道府山社区1幢",
                region_code="330602001001",
            ),
        ],
    )
    secrets = {"330602199001011231", "13912345678", *Staff.objects.values_list("phone", flat=True)}
    assert api_paths(client) == set(MATRIX), "a new endpoint must be added to the matrix"
    urls = [SAMPLES.get(path, path) + QUERIES.get(path, "") for path in MATRIX]
    caplog.set_level(logging.DEBUG)
    for role in NORMAL_ROLES:
        caller = Client()
        caller.force_login(city.users[role])
        for url in urls + SCREENS:
            body = readable(caller.get(url))
            leaked = [secret for secret in secrets if secret and secret in body]
            assert not leaked, (role, url, leaked)
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert not [secret for secret in secrets if secret and secret in logged]
