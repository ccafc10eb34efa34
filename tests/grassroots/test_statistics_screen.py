"""The statistics screen: figures in scope, export links, a bad period refused."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.directory.city import TinyCity
from tests.grassroots.test_statistics import history

pytestmark = pytest.mark.django_db
URL = "/work/events/statistics/"


def test_the_statistics_screen(city: TinyCity) -> None:
    history("330602001001001", "city.garbage", 2)
    client = Client()
    client.force_login(city.users["township_officer"])
    client.cookies["kuaiji_language"] = "en"
    page = client.get(f"{URL}?by=grid")
    body = page.content.decode()
    assert page.status_code == 200 and 'data-testid="statistics-table"' in body
    assert "第1网格" in body
    export = client.get(page.context["xlsx_url"])
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd")
    bad = client.get(f"{URL}?start=2026-05-01&end=2026-04-01")
    assert bad.status_code == 400 and 'data-testid="statistics-errors"' in bad.content.decode()
    refused = Client()
    refused.force_login(city.users["directory_admin"])
    assert refused.get(URL).status_code in (403, 404)
