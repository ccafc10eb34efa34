"""Hotline tickets are imported from the work front by those who record calls."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from kuaiji.apps.grassroots.models import Event
from tests.directory.city import TinyCity
from tests.grassroots.test_hotline import export

pytestmark = pytest.mark.django_db
URL = "/work/events/hotline/"


def upload(client: Client, data: bytes) -> str:
    answer = client.post(URL, {"file": SimpleUploadedFile("tickets.csv", data)})
    return f"{answer.status_code} {answer.content.decode()}"


def test_importing_from_the_work_front(city: TinyCity, calendar: None) -> None:
    township = Client()
    township.force_login(city.users["township_officer"])
    assert township.get(URL).status_code == 200
    good = export("GD100,2026-11-20 09:15,路灯不亮晚上很黑,西区001街道001-1社区,,,李女士,,")
    assert upload(township, good).startswith("200") and 'data-testid="hotline-done"' in upload(
        township, good
    )
    assert Event.objects.filter(external_ref="GD100").count() == 1
    bad = upload(township, export("GD101,昨天,路灯不亮,,,,,,"))
    assert bad.startswith("400") and 'data-testid="hotline-problems"' in bad
    worker = Client()
    worker.force_login(city.users["grid_worker"])
    assert worker.get(URL).status_code == 403
