"""Open311 GeoReport v2: services, service definitions, posting a request with an API key,
reading requests with the standard filters and tokens; JSON validated against the official
schemas, XML with the specification's element names, Open311 errors for bad input."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import pytest
from django.test import Client
from jsonschema import Draft4Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from kuaiji.apps.grassroots.models import Event, EventStatus
from kuaiji.platform.apikeys.services import create_key
from kuaiji.platform.core.actors import SYSTEM
from tests.directory.city import TinyCity
from tests.grassroots.conftest import inside

pytestmark = pytest.mark.django_db
BASE = "/open311/v2"
SCHEMAS = Path(__file__).with_name("open311_schemas")
CODE = "city.illegal_parking"


def validator(name: str) -> Draft4Validator:
    resources = [
        (path.name, Resource.from_contents(json.loads(path.read_text()), DRAFT4))
        for path in SCHEMAS.glob("*.json")
    ]
    registry: Registry[Any] = Registry().with_resources(resources)
    return Draft4Validator(json.loads((SCHEMAS / name).read_text()), registry=registry)


def parsed(content: bytes) -> ET.Element:
    return ET.fromstring(content)  # noqa: S314  (our own answer)


def assert_valid(name: str, document: Any) -> None:
    errors = sorted(validator(name).iter_errors(document), key=str)
    assert not errors, [error.message for error in errors[:5]]


@pytest.fixture
def api_key(city: TinyCity) -> str:
    _key, plaintext = create_key(
        actor=SYSTEM,
        name="12345 app",
        owner=city.users["county_officer"],
        permissions=["grassroots.event.report"],
        rate_per_minute=600,
    )
    return plaintext


def post(client: Client, fmt: str, **form: Any) -> Any:
    return client.post(f"{BASE}/requests.{fmt}", form)


def test_services_and_a_service_definition(client: Client) -> None:
    listed = client.get(f"{BASE}/services.json")
    assert listed.status_code == 200
    assert_valid("services.json", listed.json())
    assert CODE in {service["service_code"] for service in listed.json()}
    definition = client.get(f"{BASE}/services/{CODE}.json").json()
    assert_valid("service-definition.json", definition)
    xml = parsed(client.get(f"{BASE}/services/{CODE}.xml").content)
    assert xml.tag == "service_definition"
    assert xml.find("attributes/attribute/values/value/key") is not None
    services = parsed(client.get(f"{BASE}/services.xml").content)
    assert services.tag == "services" and services.find("service/service_code") is not None
    missing = client.get(f"{BASE}/services/nope.json")
    assert missing.status_code == 404 and missing.json()[0]["code"] == 404


def test_post_a_request_and_read_it_back(
    client: Client, city: TinyCity, calendar: None, api_key: str
) -> None:
    lon, lat = inside("330602001001001")
    answer = post(
        client,
        "json",
        api_key=api_key,
        service_code=CODE,
        lat=lat,
        long=lon,
        description="小区门口车辆乱停，堵住消防通道",
        phone="13800001111",
        first_name="伟",
        last_name="张",
        **{"attribute[urgency]": "urgent"},
    )
    assert answer.status_code == 200, answer.content
    [created] = answer.json()
    event = Event.objects.get(number=created["service_request_id"])
    assert event.status == EventStatus.ACCEPTING and event.urgency == "urgent"
    assert event.reporter is None and event.reporter_phone == "13800001111"

    one = client.get(f"{BASE}/requests/{event.number}.json").json()
    assert_valid("requests.json", one)
    assert one[0]["status"] == "open" and one[0]["status_notes"]
    assert "13800001111" not in json.dumps(one, ensure_ascii=False)
    listed = client.get(f"{BASE}/requests.json?status=open&service_code={CODE}").json()
    assert [item["service_request_id"] for item in listed] == [event.number]
    assert client.get(f"{BASE}/requests.json?status=closed").json() == []
    by_token = client.get(f"{BASE}/tokens/{created['token']}.json").json()
    assert by_token == [{"service_request_id": event.number, "token": created["token"]}]

    xml = parsed(client.get(f"{BASE}/requests/{event.number}.xml").content)
    assert xml.tag == "service_requests"
    assert xml.findtext("request/service_request_id") == event.number
    assert xml.findtext("request/status") == "open"


def test_posting_by_address_in_xml(
    client: Client, city: TinyCity, calendar: None, api_key: str
) -> None:
    village = Event._meta.get_field("region").related_model.objects.get(code="330602001001")
    answer = post(
        client,
        "xml",
        api_key=api_key,
        service_code=CODE,
        address_string=f"西区001街道{village.name}3号楼",
        description="楼下车辆乱停乱放",
    )
    assert answer.status_code == 200, answer.content
    xml = parsed(answer.content)
    assert xml.tag == "service_requests" and xml.findtext("request/token")


@pytest.mark.parametrize(
    ("form", "status"),
    [
        ({}, 400),
        ({"api_key": "kj_wrong"}, 401),
        ({"service_code": "nope"}, 404),
        ({"lat": "north"}, 400),
        ({"description": "x"}, 400),
        ({"lat": "20.0", "long": "100.0"}, 400),
    ],
)
def test_bad_posts_get_open311_errors(
    client: Client, city: TinyCity, calendar: None, api_key: str, form: dict[str, str], status: int
) -> None:
    lon, lat = inside("330602001001001")
    sent = {
        "api_key": api_key,
        "service_code": CODE,
        "lat": lat,
        "long": lon,
        "description": "小区门口车辆乱停，堵住消防通道",
    }
    if form:
        sent.update(form)
    else:
        sent.pop("api_key")
    answer = post(client, "json", **sent)
    assert answer.status_code == status, answer.content
    [problem] = answer.json()
    assert problem["code"] == status and problem["description"]
    assert not Event.objects.exists()


def test_bad_filters_get_open311_errors(client: Client) -> None:
    assert client.get(f"{BASE}/requests.json?status=maybe").status_code == 400
    assert client.get(f"{BASE}/requests.json?start_date=yesterday").status_code == 400
    assert client.get(f"{BASE}/requests/NOPE.xml").status_code == 404
    assert client.get(f"{BASE}/tokens/not-a-uuid.json").status_code == 404
