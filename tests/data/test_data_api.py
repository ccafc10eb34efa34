"""The governed data API: parameters, masking, the ways to authenticate (API key, OpenID
Connect access token, session), the rate per consumer department, and the sharing endpoints."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from oauth2_provider.models import AccessToken, Application

from kuaiji.platform.apikeys.services import create_key
from kuaiji.platform.data.models import DataCall, DataResource, Grant, RequestStatus
from kuaiji.platform.identity.models import User
from tests.data.sharing_story import apply_for, consumer, decide
from tests.directory.city import TinyCity

pytestmark = pytest.mark.django_db

URL = "/api/v1/data/resources/market-entities/rows"
GRANTED = ["credit_code", "name", "region_code", "capital", "founded"]


@pytest.fixture(autouse=True)
def fresh_counters() -> None:
    cache.clear()


@pytest.fixture
def reader(city: TinyCity, entities: DataResource) -> User:
    """The consumer's officer, with a live grant of every field but the phone."""
    user = consumer()
    request = decide(city, apply_for(user, entities, GRANTED))
    assert request.status == RequestStatus.GRANTED
    return user


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_anonymous_callers_are_refused(entities: DataResource) -> None:
    assert Client().get(URL).status_code == 401


def test_owner_reads_every_field_unmasked(city: TinyCity, entities: DataResource) -> None:
    body = signed_in(city.users["department_officer"]).get(URL).json()
    assert body["masked"] == []
    assert body["data_version"] == entities.data_version
    assert {record["legal_person_phone"] for record in body["records"]} >= {"13800000001"}
    call = DataCall.objects.get()
    assert call.department is not None and call.department.code == "330602-SCJ"
    assert call.grant is None and call.audit_sequence is not None


def test_parameters(reader: User) -> None:
    client = signed_in(reader)
    params: dict[str, Any] = {
        "filters": json.dumps({"region_code": ["330602001", "330603001"]}),
        "fields": "name,capital",
        "sort": "capital asc",
        "limit": 1,
        "offset": 1,
    }
    body = client.get(URL, params).json()
    assert body["total"] == 2
    assert body["records"] == [{"name": "越城绍兴黄酒有限公司", "capital": 500.0}]
    assert body["masked"] == [] and [item["name"] for item in body["fields"]] == ["name", "capital"]
    assert client.get(URL, {"q": "茶叶"}).json()["total"] == 1
    assert client.get(URL, {"limit": 1001}).status_code == 400
    assert client.get(URL, {"filters": "[1]"}).status_code == 400
    assert client.get(URL, {"sort": "legal_person_phone desc"}).status_code == 403
    assert client.get(URL, {"fields": "nope"}).status_code == 400
    assert client.get("/api/v1/data/resources/nothing/rows").status_code == 404


def test_api_key(city: TinyCity, reader: User) -> None:
    _key, plaintext = create_key(
        actor=city.users["platform_admin"],
        owner=reader,
        name="监管系统",
        permissions=["data.rows.read"],
        rate_per_minute=100,
    )
    response = Client().get(URL, {"purpose": "key"}, HTTP_AUTHORIZATION=f"Bearer {plaintext}")
    assert response.status_code == 200, response.json()
    assert response.json()["masked"] == ["legal_person_phone"]
    call = DataCall.objects.get(purpose="key")
    assert call.actor == reader and call.audit_sequence is not None
    assert Client().get(URL, HTTP_AUTHORIZATION="Bearer kj_wrong").status_code == 401


def test_openid_connect_access_token(reader: User) -> None:
    application = Application.objects.create(
        name="联合监管平台",
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris="https://app.example.org/callback",
        algorithm=Application.RS256_ALGORITHM,
    )
    AccessToken.objects.create(
        user=reader,
        application=application,
        token="sso-access-token-0001",
        scope="openid kuaiji",
        expires=timezone.now() + timedelta(hours=1),
    )
    response = Client().get(
        URL, {"purpose": "sso"}, HTTP_AUTHORIZATION="Bearer sso-access-token-0001"
    )
    assert response.status_code == 200, response.json()
    assert DataCall.objects.get(purpose="sso").actor == reader
    assert Client().get(URL, HTTP_AUTHORIZATION="Bearer not-a-token").status_code == 401
    AccessToken.objects.update(expires=timezone.now() - timedelta(seconds=1))
    assert Client().get(URL, HTTP_AUTHORIZATION="Bearer sso-access-token-0001").status_code == 401


def test_rate_per_consumer_department(reader: User, settings: Any) -> None:
    settings.KUAIJI_DATA_API_RATE_PER_MINUTE = 2
    colleague = consumer("u_colleague")  # same department, same counter
    assert signed_in(reader).get(URL).status_code == 200
    assert signed_in(colleague).get(URL).status_code == 200
    refused = signed_in(reader).get(URL)
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "rate_limited"
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert DataCall.objects.count() == 2


def test_sharing_endpoints(city: TinyCity, entities: DataResource) -> None:
    applicant = consumer()
    client = signed_in(applicant)
    payload = {
        "resource": "market-entities",
        "purpose": "抽查",
        "legal_basis": "条例",
        "fields": ["name"],
        "period_days": 10,
    }
    created = client.post("/api/v1/data/sharing-requests", payload, content_type="application/json")
    assert created.status_code == 200, created.json()
    request_id = created.json()["id"]
    again = client.post("/api/v1/data/sharing-requests", payload, content_type="application/json")
    assert again.status_code == 409
    bad = client.post(
        "/api/v1/data/sharing-requests",
        {**payload, "resource": "nothing"},
        content_type="application/json",
    )
    assert bad.status_code == 400

    mine = client.get("/api/v1/data/sharing-requests", {"box": "mine"}).json()
    assert [item["id"] for item in mine["items"]] == [request_id]
    provider = signed_in(city.users["department_officer"])
    incoming = provider.get("/api/v1/data/sharing-requests", {"box": "incoming"}).json()
    assert [item["id"] for item in incoming["items"]] == [request_id]
    assert provider.get("/api/v1/data/sharing-requests", {"box": "mine"}).json()["count"] == 0
    detail = provider.get(f"/api/v1/data/sharing-requests/{request_id}").json()
    assert detail["status"] == "pending" and detail["chain"] is not None
    other = signed_in(User.objects.get(username="u_county_officer"))
    assert other.get(f"/api/v1/data/sharing-requests/{request_id}").status_code == 404

    withdrawn = client.post(
        f"/api/v1/data/sharing-requests/{request_id}/withdraw",
        {"reason": "不需要了"},
        content_type="application/json",
    )
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"

    request = decide(city, apply_for(applicant, entities, ["name", "capital"]))
    grant = Grant.objects.get(request=request)
    client.get(URL, {"purpose": "usage"})
    listed = client.get("/api/v1/data/grants", {"box": "mine"}).json()
    assert [item["id"] for item in listed["items"]] == [grant.pk]
    given = provider.get("/api/v1/data/grants", {"box": "given"}).json()
    assert [item["id"] for item in given["items"]] == [grant.pk]
    shown = provider.get(f"/api/v1/data/grants/{grant.pk}").json()
    assert shown["live"] is True and shown["fields"] == ["name", "capital"]
    assert shown["usage"]["calls"] == 1 and shown["usage"]["rows"] == 3
    assert shown["request"] == request.pk
