"""The cockpit page: the reader's widest region, its regions below, the links and endpoints it
hands its script, and the words for a reader without figures."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client

from kuaiji.fronts.cockpit.links import LINKS, link_table
from kuaiji.platform.identity.models import User
from tests.directory.city import TinyCity

pytestmark = pytest.mark.django_db


def _config(html: str) -> dict:  # type: ignore[type-arg]
    found = re.search(r'<script id="cockpit-config" type="application/json">(.*?)</script>', html)
    assert found, "the configuration is handed over as JSON, not as code"
    return json.loads(found.group(1))  # type: ignore[no-any-return]


def test_city_leader_sees_the_counties(client: Client, city: TinyCity) -> None:
    client.cookies["kuaiji_language"] = "en"
    client.force_login(city.users["city_leader"])
    response = client.get("/cockpit/")
    html = response.content.decode()
    assert response.status_code == 200
    config = _config(html)
    assert config["start"]["code"] == "330600" and config["start"]["level"] == "city"
    assert config["urls"]["board"] == "/api/v1/metrics/cockpit"
    assert config["urls"]["children"] == "/api/v1/metrics/indicators/__code__/regions"
    assert config["urls"]["heat"] == "/api/v1/grassroots/heat"
    assert config["urls"]["ranking"] == "/api/v1/data/quality/ranking"
    assert config["urls"]["supervision"] == "/api/v1/command/supervision/summary"
    assert [group["prefix"] for group in config["groups"]] == [
        "grassroots.",
        "government.",
        "data.",
        "command.directives.",
        "command.tasks.",
    ]
    links = {row["prefix"]: row for row in config["links"]}
    assert links["grassroots."]["url"] == "/work/events/"
    assert links["data."]["url"] == "/work/data/"
    assert links["command.directives."]["url"] == "/work/directives/"
    assert links["command.tasks."]["url"] == "/work/checklists/"
    assert links["supervision"]["url"] == "/work/supervision/"
    assert links["supervision"]["by_region"] is True
    assert config["text"]["no_alerts"] == "No red lights."
    for code in ("330602", "330603"):
        assert f'<li data-code="{code}"><button type="button" data-code="{code}">' in html
    assert 'value="grassroots.events.reported">Events reported</option>' in html
    assert "<script>" not in html, "no inline script"
    assert "Grassroots events" in html and "One-stop services" in html


def test_county_officer_starts_at_the_county(client: Client, city: TinyCity) -> None:
    client.force_login(city.users["county_officer"])
    html = client.get("/cockpit/").content.decode()
    config = _config(html)
    assert config["start"]["code"] == "330602"
    assert 'data-code="330602001"' in html and 'data-code="330602002"' in html
    assert 'data-code="330603' not in html


def test_department_officer_gets_no_supervision_endpoint(client: Client, city: TinyCity) -> None:
    client.force_login(city.users["department_officer"])
    config = _config(client.get("/cockpit/").content.decode())
    assert config["urls"]["supervision"] == ""
    assert config["urls"]["heat"] == "/api/v1/grassroots/heat"


def test_reader_without_figures_sees_a_word(client: Client, staff_user: User) -> None:
    client.cookies["kuaiji_language"] = "en"
    client.force_login(staff_user)
    response = client.get("/cockpit/")
    assert response.status_code == 200
    assert "No region is within your scope." in response.content.decode()
    assert _config(response.content.decode())["start"] is None


def test_every_link_leads_somewhere(city: TinyCity) -> None:
    table = link_table()
    assert len(table) == len(LINKS)
    assert all(row["url"].startswith("/work/") for row in table)  # type: ignore[union-attr]
