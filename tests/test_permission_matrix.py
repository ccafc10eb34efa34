"""Every role against every API endpoint. A new endpoint fails this test until its row is added."""

from __future__ import annotations

import pytest
from django.test import Client

from kuaiji.platform.identity.models import User
from tests.directory.city import TinyCity

pytestmark = pytest.mark.django_db

ROLES = [
    "platform_admin",
    "directory_admin",
    "city_leader",
    "county_officer",
    "township_officer",
    "department_officer",
    "grid_head",
    "grid_worker",
]
EVERYONE = ["anonymous", "no_grant", *ROLES]

# The paths with their parameters filled in for the tiny city (ids no one has answer 404).
SAMPLES = {
    "/api/v1/directory/regions/{code}": "/api/v1/directory/regions/330602001",
    "/api/v1/directory/grids/{code}": "/api/v1/directory/grids/330602001001001",
    "/api/v1/chains/models/{key}": "/api/v1/chains/models/grid_event",
    "/api/v1/chains/models/{key}/versions/{number}.bpmn": (
        "/api/v1/chains/models/grid_event/versions/1.bpmn"
    ),
    "/api/v1/chains/instances/{instance_id}": "/api/v1/chains/instances/999999",
    "/api/v1/chains/tasks/{task_id}": "/api/v1/chains/tasks/999999",
    "/api/v1/grassroots/events/{event_id}": "/api/v1/grassroots/events/999999",
    "/api/v1/data/resources/{code}": "/api/v1/data/resources/no-such-resource",
    "/api/v1/data/resources/{code}/loads": "/api/v1/data/resources/no-such-resource/loads",
    "/api/v1/data/resources/{code}/sources": "/api/v1/data/resources/no-such-resource/sources",
    "/api/v1/data/loads/{load_id}": "/api/v1/data/loads/999999",
    "/api/v1/data/resources/{code}/rows": "/api/v1/data/resources/no-such-resource/rows",
    "/api/v1/data/sharing-requests/{request_id}": "/api/v1/data/sharing-requests/999999",
    "/api/v1/data/grants/{grant_id}": "/api/v1/data/grants/999999",
    "/api/v1/data/resources/{code}/quality": "/api/v1/data/resources/no-such-resource/quality",
    "/api/v1/data/subscriptions/{subscription_id}/deliveries": (
        "/api/v1/data/subscriptions/999999/deliveries"
    ),
    "/api/v1/data/deliveries/{delivery_id}": "/api/v1/data/deliveries/999999",
    "/api/v1/data/deliveries/{delivery_id}/rows.csv": "/api/v1/data/deliveries/999999/rows.csv",
    "/api/v1/government/items/{code}": "/api/v1/government/items/no-such-item",
    "/api/v1/government/bundles/{code}": "/api/v1/government/bundles/no-such-bundle",
}
SAMPLES.update(
    {
        "/api/v1/government/applications/{number}": (
            "/api/v1/government/applications/SX20260101999999"
        ),
        "/api/v1/government/applications/{number}/certificate": (
            "/api/v1/government/applications/SX20260101999999/certificate"
        ),
        "/api/v1/government/certificates/{code}/verify": (
            "/api/v1/government/certificates/ABCDEFGHJKLM/verify"
        ),
    }
)
SAMPLES["/api/v1/metrics/indicators/{code}/values"] = (
    "/api/v1/metrics/indicators/grassroots.events.reported/values"
)
SAMPLES.update(
    {
        "/api/v1/command/directives/{number}": "/api/v1/command/directives/ZL202601019999",
        "/api/v1/command/checklists/{number}": "/api/v1/command/checklists/QD20269999",
        "/api/v1/command/checklists/{number}/tasks/{sequence}": (
            "/api/v1/command/checklists/QD20269999/tasks/1"
        ),
    }
)
SAMPLES["/api/v1/metrics/indicators/{code}/regions"] = (
    "/api/v1/metrics/indicators/grassroots.events.reported/regions"
)
QUERIES = {
    "/api/v1/directory/locate": "?lon=120.05&lat=30.1",
    "/api/v1/grassroots/heat": "?region=330602001",
}


def expect(default: int, **exceptions: int) -> dict[str, int]:
    """Signed-in roles get `default` unless named; anonymous callers always get 401."""
    row = {who: exceptions.get(who, default) for who in EVERYONE}
    row.setdefault("anonymous", 401)
    if "anonymous" not in exceptions:
        row["anonymous"] = 401
    return row


MATRIX: dict[str, dict[str, int]] = {
    "/api/v1/platform/info": expect(200, anonymous=200),
    "/api/v1/directory/regions": expect(200, no_grant=403),
    "/api/v1/directory/regions.geojson": expect(200, no_grant=403),
    "/api/v1/directory/regions/{code}": expect(200, no_grant=404, grid_head=404, grid_worker=404),
    "/api/v1/directory/departments": expect(200, no_grant=403, grid_head=403, grid_worker=403),
    "/api/v1/directory/grids.geojson": expect(200, no_grant=403, department_officer=403),
    "/api/v1/directory/grids/{code}": expect(200, no_grant=404, department_officer=404),
    "/api/v1/directory/staff": expect(200, no_grant=403, grid_worker=403),
    "/api/v1/directory/locate": expect(200, no_grant=403, department_officer=403),
    "/api/v1/messaging/inbox": expect(200),
    "/api/v1/chains/models": expect(200, no_grant=403, directory_admin=403),
    "/api/v1/chains/models/{key}": expect(200, no_grant=404, directory_admin=404),
    "/api/v1/chains/models/{key}/versions/{number}.bpmn": expect(
        200, no_grant=404, directory_admin=404
    ),
    "/api/v1/chains/instances": expect(200, no_grant=403, directory_admin=403),
    "/api/v1/chains/instances/{instance_id}": expect(404),
    "/api/v1/chains/tasks": expect(200, no_grant=403, directory_admin=403, city_leader=403),
    "/api/v1/chains/tasks/{task_id}": expect(404),
    "/api/v1/chains/supervision/units": expect(
        200, no_grant=403, directory_admin=403, department_officer=403, grid_worker=403
    ),
    "/api/v1/chains/supervision/overdue": expect(
        200, no_grant=403, directory_admin=403, department_officer=403, grid_worker=403
    ),
    "/api/v1/grassroots/categories": expect(200, no_grant=403, directory_admin=403),
    "/api/v1/grassroots/events": expect(200, no_grant=403, directory_admin=403),
    "/api/v1/grassroots/events/{event_id}": expect(404),
    "/api/v1/grassroots/triage": expect(403, platform_admin=200, county_officer=200),
    "/api/v1/grassroots/metrics": expect(200, no_grant=403, directory_admin=403),
    "/api/v1/grassroots/statistics": expect(200, no_grant=403, directory_admin=403),
    "/api/v1/grassroots/statistics/export": expect(200, no_grant=403, directory_admin=403),
    "/api/v1/government/ratings": expect(
        403, platform_admin=200, city_leader=200, county_officer=200, department_officer=200
    ),
    "/api/v1/government/statistics": expect(
        403, platform_admin=200, city_leader=200, county_officer=200, department_officer=200
    ),
    "/api/v1/government/metrics": expect(
        403, platform_admin=200, city_leader=200, county_officer=200, department_officer=200
    ),
    "/api/v1/data/resources": expect(
        200, no_grant=403, directory_admin=403, grid_head=403, grid_worker=403
    ),
    "/api/v1/data/resources/{code}": expect(
        404, no_grant=403, directory_admin=403, grid_head=403, grid_worker=403
    ),
    "/api/v1/data/resources/{code}/loads": expect(403, platform_admin=404, department_officer=404),
    "/api/v1/data/resources/{code}/sources": expect(
        403, platform_admin=404, department_officer=404
    ),
    "/api/v1/data/loads/{load_id}": expect(403, platform_admin=404, department_officer=404),
    "/api/v1/data/resources/{code}/rows": expect(
        404, no_grant=403, directory_admin=403, city_leader=403, grid_head=403, grid_worker=403
    ),
    "/api/v1/data/sharing-requests": expect(
        200, no_grant=403, directory_admin=403, grid_head=403, grid_worker=403
    ),
    "/api/v1/data/sharing-requests/{request_id}": expect(
        404, no_grant=403, directory_admin=403, grid_head=403, grid_worker=403
    ),
    "/api/v1/data/grants": expect(
        200, no_grant=403, directory_admin=403, grid_head=403, grid_worker=403
    ),
    "/api/v1/data/grants/{grant_id}": expect(
        404, no_grant=403, directory_admin=403, grid_head=403, grid_worker=403
    ),
    "/api/v1/data/quality/ranking": expect(
        200, no_grant=403, directory_admin=403, grid_head=403, grid_worker=403
    ),
    "/api/v1/data/resources/{code}/quality": expect(
        404, no_grant=403, directory_admin=403, grid_head=403, grid_worker=403
    ),
    "/api/v1/data/subscriptions": expect(
        403, platform_admin=200, county_officer=200, township_officer=200
    ),
    "/api/v1/data/subscriptions/{subscription_id}/deliveries": expect(
        403, platform_admin=404, county_officer=404, township_officer=404
    ),
    "/api/v1/data/deliveries/{delivery_id}": expect(
        403, platform_admin=404, county_officer=404, township_officer=404
    ),
    "/api/v1/data/deliveries/{delivery_id}/rows.csv": expect(
        403, platform_admin=404, county_officer=404, township_officer=404
    ),
    # The service catalog is public.
    "/api/v1/government/items": expect(200, anonymous=200),
    "/api/v1/government/items/{code}": expect(404, anonymous=404),
    "/api/v1/government/bundles": expect(200, anonymous=200),
    "/api/v1/government/bundles/{code}": expect(404, anonymous=404),
    # Applications: one's own list; someone else's (or no) application answers 404.
    "/api/v1/government/applications": expect(200),
    "/api/v1/government/applications/{number}": expect(404),
    "/api/v1/government/applications/{number}/certificate": expect(404),
    "/api/v1/government/certificates/{code}/verify": expect(200, anonymous=200),
}
# Indicators: the city leader and the county, township and department officers read them.
_METRICS_READERS = {
    "platform_admin": 200,
    "city_leader": 200,
    "county_officer": 200,
    "township_officer": 200,
    "department_officer": 200,
}
MATRIX.update(
    {
        "/api/v1/metrics/indicators": expect(403, **_METRICS_READERS),
        "/api/v1/metrics/indicators/{code}/values": expect(403, **_METRICS_READERS),
        "/api/v1/metrics/snapshot": expect(403, **_METRICS_READERS),
        "/api/v1/metrics/indicators/{code}/regions": expect(403, **_METRICS_READERS),
        "/api/v1/metrics/cockpit": expect(403, **_METRICS_READERS),
        "/api/v1/grassroots/heat": expect(
            200, no_grant=403, directory_admin=403, grid_head=404, grid_worker=404
        ),
    }
)


# Holistic governance: directives received are anyone's own; statistics, task lists and
# supervision need their view permissions.
_SUPERVISORS = {
    who: 200 for who in ("platform_admin", "city_leader", "county_officer", "township_officer")
}
MATRIX.update(
    {
        "/api/v1/command/directives": expect(200),
        "/api/v1/command/directives/statistics": expect(403, **_METRICS_READERS),
        "/api/v1/command/directives/{number}": expect(404),
        "/api/v1/command/checklists": expect(200),
        "/api/v1/command/checklists/tasks/mine": expect(200),
        "/api/v1/command/checklists/{number}": expect(404),
        "/api/v1/command/checklists/{number}/tasks/{sequence}": expect(404),
        "/api/v1/command/supervision/summary": expect(403, **_SUPERVISORS),
        "/api/v1/command/supervision/items": expect(403, **_SUPERVISORS),
        "/api/v1/command/supervision/report.pdf": expect(403, **_SUPERVISORS),
        "/api/v1/command/supervision/report.xlsx": expect(403, **_SUPERVISORS),
    }
)


def api_paths(client: Client) -> set[str]:
    schema = client.get("/api/v1/openapi.json").json()
    return {path for path, operations in schema["paths"].items() if "get" in operations}


def test_every_endpoint_has_a_row(client: Client) -> None:
    assert api_paths(client) == set(MATRIX)


@pytest.mark.parametrize("path", sorted(MATRIX))
def test_matrix(city: TinyCity, path: str) -> None:
    callers: dict[str, User | None] = {
        "anonymous": None,
        "no_grant": User.objects.create(username="nogrant", is_staff=True),
        **city.users,
    }
    url = SAMPLES.get(path, path) + QUERIES.get(path, "")
    seen = {}
    for who, user in callers.items():
        client = Client()
        if user is not None:
            client.force_login(user)
        response = client.get(url)
        seen[who] = response.status_code
        if response.status_code >= 400:
            assert set(response.json()) == {"error"}, (who, url)
    assert seen == MATRIX[path]
