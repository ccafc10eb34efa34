"""The work front's service statistics screen: figures, table, bad ratings with their chains,
downloads; only for holders of government.rating.view."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from kuaiji.apps.government import ratings
from tests.directory.city import TinyCity
from tests.government.service_data import application

pytestmark = pytest.mark.django_db

URL = "/work/services/statistics/"


def test_the_screen_shows_figures_table_and_bad_ratings(city: TinyCity, calendar: None) -> None:
    assert reverse("workbench:service_statistics:overview") == URL
    found = application(shared=1)
    rating = ratings.rate(actor=found.applicant, application=found, level=2, comment="太慢")
    client = Client()
    client.force_login(city.users["county_officer"])
    page = client.get(URL).content.decode()
    assert 'data-testid="service-figures"' in page and 'data-testid="statistics-table"' in page
    assert "西区市场监管局" in page and found.number in page and "太慢" in page
    chain_url = reverse("workbench:chains:instance", args=[rating.rectification_id])
    assert chain_url in page
    assert "/api/v1/government/statistics?by=department&amp;format=csv" in page
    assert "format=xlsx" in page
    by_item = client.get(URL, {"by": "item"}).content.decode()
    assert found.item.name in by_item  # type: ignore[union-attr]
    assert client.get(URL, {"start": "2020-01-01"}).status_code == 400
    home = client.get("/work/").content.decode()
    assert URL in home


def test_the_screen_is_for_rating_viewers(city: TinyCity) -> None:
    client = Client()
    client.force_login(city.users["township_officer"])
    assert client.get(URL).status_code == 403
    assert URL not in client.get("/work/").content.decode()
    assert Client().get(URL).status_code == 302
