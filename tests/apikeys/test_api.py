"""Calling the API with a key: scope of the owner, codes of the key, refusals, rate, use log."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kuaiji.platform.apikeys.models import ApiKey, ApiKeyUse
from kuaiji.platform.apikeys.services import revoke_key
from kuaiji.platform.core.actors import SYSTEM
from kuaiji.platform.directory.models import Region
from kuaiji.platform.identity.models import User
from tests.apikeys.conftest import MakeKey
from tests.directory.city import TinyCity

pytestmark = pytest.mark.django_db

REGIONS = "/api/v1/directory/regions"
GRIDS = "/api/v1/directory/grids.geojson"
TOWNSHIP = {"330602001", "330602001001", "330602001002"}


def bearer(plaintext: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {plaintext}"}


def header(plaintext: str) -> dict[str, str]:
    return {"HTTP_X_API_KEY": plaintext}


def assert_error(response: object, status: int, code: str) -> None:
    assert response.status_code == status  # type: ignore[attr-defined]
    body = response.json()  # type: ignore[attr-defined]
    assert set(body) == {"error"} and body["error"]["code"] == code


def test_key_sees_only_its_owners_scope(city: TinyCity, make_key: MakeKey) -> None:
    _key, plaintext = make_key(city.users["township_officer"], ["directory.region.view"])
    for credentials in (bearer(plaintext), header(plaintext)):
        response = Client().get(REGIONS, **credentials)
        assert response.status_code == 200
        body = response.json()
        assert body["count"] == 3
        assert {r["code"] for r in body["items"]} == TOWNSHIP


def test_key_is_limited_to_its_codes(city: TinyCity, make_key: MakeKey) -> None:
    owner = city.users["township_officer"]
    _key, regions_only = make_key(owner, ["directory.region.view"])
    assert_error(Client().get(GRIDS, **bearer(regions_only)), 403, "forbidden")
    _key, with_grids = make_key(owner, ["directory.grid.view"])
    body = Client().get(GRIDS, **bearer(with_grids)).json()
    assert body["numberMatched"] == 4, "the owner's township, and only it"
    assert_error(Client().get(REGIONS, **bearer(with_grids)), 403, "forbidden")


def test_key_loses_a_code_the_owner_loses(city: TinyCity, make_key: MakeKey) -> None:
    owner = city.users["township_officer"]
    _key, plaintext = make_key(owner, ["directory.region.view"])
    owner.grants.all().delete()
    assert_error(Client().get(REGIONS, **bearer(plaintext)), 403, "forbidden")


def test_superuser_owner_does_not_make_a_key_unrestricted(
    city: TinyCity, admin_user: User, make_key: MakeKey
) -> None:
    _key, plaintext = make_key(admin_user, ["directory.region.view"])
    body = Client().get(f"{REGIONS}?limit=100", **bearer(plaintext)).json()
    assert body["count"] == Region.objects.count(), "its code, over the whole city"
    assert_error(Client().get(GRIDS, **bearer(plaintext)), 403, "forbidden")
    assert_error(
        Client().get("/api/v1/directory/departments", **bearer(plaintext)), 403, "forbidden"
    )


def test_revoked_and_expired_keys_are_refused(city: TinyCity, make_key: MakeKey) -> None:
    owner = city.users["township_officer"]
    key, plaintext = make_key(owner, ["directory.region.view"])
    assert Client().get(REGIONS, **bearer(plaintext)).status_code == 200
    revoke_key(actor=SYSTEM, key=key)
    assert_error(Client().get(REGIONS, **bearer(plaintext)), 401, "not_authenticated")
    old, stale = make_key(
        owner, ["directory.region.view"], expires_at=timezone.now() + timedelta(days=1)
    )
    ApiKey.objects.filter(pk=old.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert_error(Client().get(REGIONS, **header(stale)), 401, "not_authenticated")
    statuses = sorted(ApiKeyUse.objects.values_list("status", flat=True))
    assert statuses == [200, 401, 401], "refusals of known keys are logged too"


def test_a_deactivated_owners_key_is_refused(city: TinyCity, make_key: MakeKey) -> None:
    owner = city.users["township_officer"]
    _key, plaintext = make_key(owner, ["directory.region.view"])
    User.objects.filter(pk=owner.pk).update(is_active=False)
    assert_error(Client().get(REGIONS, **bearer(plaintext)), 401, "not_authenticated")


def test_unknown_and_malformed_keys_are_refused(city: TinyCity, make_key: MakeKey) -> None:
    _key, plaintext = make_key(city.users["township_officer"], ["directory.region.view"])
    forged = plaintext[:-1] + ("A" if plaintext[-1] != "A" else "B")
    for presented in (forged, "kj_short", "not-a-key"):
        assert_error(Client().get(REGIONS, **header(presented)), 401, "not_authenticated")
    assert_error(Client().get(REGIONS, **bearer(forged)), 401, "not_authenticated")
    assert not ApiKeyUse.objects.exists()


def test_a_key_overrides_the_session_and_a_foreign_bearer_does_not(
    city: TinyCity, make_key: MakeKey
) -> None:
    client = Client()
    client.force_login(city.users["city_leader"])
    _key, plaintext = make_key(city.users["township_officer"], ["directory.region.view"])
    assert client.get(REGIONS, **bearer(plaintext)).json()["count"] == 3
    assert client.get(REGIONS, HTTP_AUTHORIZATION="Bearer some-jwt").json()["count"] > 3
    assert_error(client.get(REGIONS, **header("kj_wrong")), 401, "not_authenticated")


def test_browser_sessions_keep_working(city: TinyCity) -> None:
    client = Client()
    client.force_login(city.users["township_officer"])
    assert {r["code"] for r in client.get(REGIONS).json()["items"]} == TOWNSHIP
    assert_error(Client().get(REGIONS), 401, "not_authenticated")


def test_rate_limit_answers_429_with_retry_after(city: TinyCity, make_key: MakeKey) -> None:
    _key, plaintext = make_key(city.users["township_officer"], ["directory.region.view"], rate=2)
    client = Client()
    assert [client.get(REGIONS, **bearer(plaintext)).status_code for _ in range(2)] == [200, 200]
    refused = client.get(REGIONS, **bearer(plaintext))
    assert_error(refused, 429, "rate_limited")
    assert 1 <= int(refused["Retry-After"]) <= 60
    _other, fresh = make_key(city.users["township_officer"], ["directory.region.view"], rate=2)
    assert client.get(REGIONS, **bearer(fresh)).status_code == 200, "each key counts alone"


def test_every_use_is_logged(city: TinyCity, make_key: MakeKey) -> None:
    key, plaintext = make_key(city.users["township_officer"], ["directory.region.view"])
    client = Client()
    ok = client.get(f"{REGIONS}?level=village", **bearer(plaintext), HTTP_X_REQUEST_ID="req-ok-123")
    client.get(GRIDS, **header(plaintext))
    client.get("/api/v1/directory/regions/330603", **bearer(plaintext))
    uses = list(ApiKeyUse.objects.filter(key=key).order_by("id"))
    assert [(u.method, u.path, u.status) for u in uses] == [
        ("GET", REGIONS, 200),
        ("GET", GRIDS, 403),
        ("GET", "/api/v1/directory/regions/330603", 404),
    ]
    assert uses[0].request_id == ok["X-Request-ID"] == "req-ok-123"
    assert uses[0].source_ip == "127.0.0.1"
    key.refresh_from_db()
    assert key.last_used_at is not None


def test_a_use_costs_one_insert(city: TinyCity, make_key: MakeKey) -> None:
    _key, plaintext = make_key(city.users["township_officer"], ["directory.region.view"])
    client = Client()
    client.get(REGIONS, **bearer(plaintext))  # sets last_used_at
    with CaptureQueriesContext(connection) as queries:
        assert client.get(REGIONS, **bearer(plaintext)).status_code == 200
    writes = [
        q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE"))
    ]
    assert len(writes) == 1 and "apikeys_apikeyuse" in writes[0]
