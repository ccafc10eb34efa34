"""Who may read what the cockpit reads: each role's answer from the endpoints added for it
(the rows the permission matrix needs)."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.directory.city import TinyCity

pytestmark = pytest.mark.django_db

# Indicators: the city leader and the county, township and department officers read them.
METRICS = {
    "platform_admin": 200,
    "directory_admin": 403,
    "city_leader": 200,
    "county_officer": 200,
    "township_officer": 200,
    "department_officer": 200,
    "grid_head": 403,
    "grid_worker": 403,
}
# Grid heat of township 330602001: readers of grid events whose scope holds the township.
HEAT = {**METRICS, "grid_head": 404, "grid_worker": 404}
ENDPOINTS = {
    "/api/v1/metrics/indicators/grassroots.events.reported/regions": METRICS,
    "/api/v1/metrics/cockpit": METRICS,
    "/api/v1/grassroots/heat?region=330602001": HEAT,
}


@pytest.mark.parametrize("url", list(ENDPOINTS))
def test_answers_by_role(city: TinyCity, url: str) -> None:
    answers = {}
    for role, user in city.users.items():
        client = Client()
        client.force_login(user)
        answers[role] = client.get(url).status_code
    assert answers == ENDPOINTS[url]
    assert Client().get(url).status_code == 401
