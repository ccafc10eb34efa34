"""Open data: only open resources, only level-1 fields, every preview and download logged."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.test import Client

from kuaiji.platform.core.errors import NotFound
from kuaiji.platform.data import opendata, services
from kuaiji.platform.data.models import CallChannel, DataCall, DataResource
from tests.data.conftest import ENTITIES, market_entities, put_rows
from tests.directory.city import TinyCity

pytestmark = pytest.mark.django_db

PUBLIC = ["credit_code", "name", "region_code", "founded"]
HIDDEN = ["capital", "legal_person_phone"]


@pytest.fixture
def open_entities(city: TinyCity) -> DataResource:
    """The market entities opened to the public (capital is level 2, the phone level 4)."""
    resource = services.register_resource(
        actor=city.users["department_officer"],
        resource=market_entities(
            code="open-entities",
            title="公开的市场主体",
            description="西区登记的市场主体名录",
            opening="open",
            themes=["经济", "市场监管"],
        ),
    )
    put_rows(resource, ENTITIES)
    return resource


@pytest.fixture
def second_open(city: TinyCity) -> DataResource:
    """An open resource of the other county's bureau, on another theme."""
    officer = city.users["platform_admin"]
    return services.register_resource(
        actor=officer,
        resource=market_entities(
            code="east-shops",
            title="东区门店",
            title_en="Shops of the east",
            department_code="330603-SCJ",
            opening="open",
            themes=["商贸"],
            tags=["门店"],
        ),
    )


def test_only_open_resources_are_listed_with_facets(
    entities: DataResource, open_entities: DataResource, second_open: DataResource
) -> None:
    everything = opendata.open_resources()
    assert [item.code for item in everything.resources] == ["east-shops", "open-entities"]
    assert {facet.value: facet.count for facet in everything.themes} == {
        "经济": 1,
        "市场监管": 1,
        "商贸": 1,
    }
    assert {facet.value: facet.count for facet in everything.departments} == {
        "330602-SCJ": 1,
        "330603-SCJ": 1,
    }
    assert [r.code for r in opendata.open_resources(q="名录").resources] == ["open-entities"]
    assert [r.code for r in opendata.open_resources(q="门店").resources] == ["east-shops"]
    assert [r.code for r in opendata.open_resources(q="EAST").resources] == ["east-shops"]
    by_theme = opendata.open_resources(theme="商贸")
    assert [r.code for r in by_theme.resources] == ["east-shops"]
    assert {f.value for f in by_theme.themes} == {"经济", "市场监管", "商贸"}
    assert [f.value for f in by_theme.departments] == ["330603-SCJ"]
    by_department = opendata.open_resources(department="330602-SCJ")
    assert [r.code for r in by_department.resources] == ["open-entities"]
    assert opendata.open_resources(theme="商贸", department="330602-SCJ").resources == []


def test_public_fields_are_level_one_only(open_entities: DataResource) -> None:
    assert [item.name for item in opendata.public_fields(open_entities)] == PUBLIC


def test_preview_shows_public_fields_and_is_logged(
    open_entities: DataResource, city: TinyCity
) -> None:
    page = opendata.preview(open_entities, limit=2)
    assert [item.name for item in page.fields] == PUBLIC and page.total == 3
    assert len(page.records) == 2 and all(set(row) == set(PUBLIC) for row in page.records)
    call = DataCall.objects.get()
    assert call.channel == CallChannel.PREVIEW and call.actor is None
    assert call.fields == PUBLIC and call.rows == 2 and call.audit_sequence is None
    opendata.preview(open_entities, actor=city.users["grid_worker"])
    assert DataCall.objects.filter(actor=city.users["grid_worker"], rows=3).exists()


def test_resources_that_are_not_open_are_not_found(entities: DataResource) -> None:
    with pytest.raises(NotFound):
        opendata.open_resource("market-entities")
    with pytest.raises(NotFound):
        opendata.preview(entities)
    with pytest.raises(NotFound):
        opendata.download(entities, "csv")
    assert not DataCall.objects.exists()


def _body(response: object) -> bytes:
    return b"".join(response.streaming_content)  # type: ignore[attr-defined]


def test_csv_download_has_a_bom_and_public_fields_only(open_entities: DataResource) -> None:
    response = opendata.download(open_entities, "csv")
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="open-entities.csv"' in response["Content-Disposition"]
    body = _body(response)
    assert body.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert table[0] == PUBLIC and len(table) == 4
    assert table[1] == ["91330602MA00000001", "越城绍兴黄酒有限公司", "330602001", "2015-03-01"]
    text = body.decode("utf-8-sig")
    assert "13800000001" not in text and "1200" not in text
    call = DataCall.objects.get()
    assert call.channel == CallChannel.DOWNLOAD and call.rows == 3 and call.fields == PUBLIC


def test_json_download_has_public_fields_only(open_entities: DataResource) -> None:
    records = json.loads(_body(opendata.download(open_entities, "json")))
    assert len(records) == 3 and all(list(record) == PUBLIC for record in records)
    assert records[2]["name"] == "东湖茶叶合作社"
    with pytest.raises(NotFound):
        opendata.download(open_entities, "xlsx")


def test_a_resource_without_public_fields_gives_nothing(city: TinyCity) -> None:
    fields = [{"name": "phone", "type": "string", "level": 4, "primary_key": True}]
    resource = services.register_resource(
        actor=city.users["department_officer"],
        resource=market_entities(code="phones", opening="open", fields=fields),
    )
    put_rows(resource, [{"phone": "13800000009"}])
    assert opendata.preview(resource).records == []
    body = _body(opendata.download(resource, "csv")).decode("utf-8-sig")
    assert "13800000009" not in body
    assert json.loads(_body(opendata.download(resource, "json"))) == []


def test_the_portal_pages(
    client: Client, entities: DataResource, open_entities: DataResource
) -> None:
    listed = client.get("/data/?q=名录")
    assert listed.status_code == 200
    html = listed.content.decode()
    assert "公开的市场主体" in html and "市场主体登记信息" not in html
    assert 'href="/data/"' in html.split('data-testid="front-nav"')[1].split("</nav>")[0]
    page = client.get("/data/open-entities/")
    assert page.status_code == 200
    html = page.content.decode()
    for name in PUBLIC:
        assert f'<th scope="col">{name}</th>' in html
    for name in HIDDEN:
        assert name not in html
    assert "13800000001" not in html and "越城绍兴黄酒有限公司" in html
    assert "/api/3/action/datastore_search?resource_id=open-entities" in html
    assert "/catalog/open-entities.ttl" in html
    assert DataCall.objects.filter(channel=CallChannel.PREVIEW, actor=None).count() == 1
    assert client.get("/data/market-entities/").status_code == 404
    assert client.get("/data/market-entities/download/csv/").status_code == 404
    assert client.get("/data/open-entities/download/xlsx/").status_code == 404
    download = client.get("/data/open-entities/download/csv/")
    assert download.status_code == 200
    text = b"".join(download.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
    assert text.splitlines()[0] == ",".join(PUBLIC) and "13800000001" not in text
    json_download = client.get("/data/open-entities/download/json/")
    records = json.loads(b"".join(json_download.streaming_content))  # type: ignore[attr-defined]
    assert all(list(record) == PUBLIC for record in records)
    assert DataCall.objects.filter(channel=CallChannel.DOWNLOAD).count() == 2


def test_signed_in_downloads_are_logged_with_the_person(
    client: Client, citizen_user: object, open_entities: DataResource
) -> None:
    client.force_login(citizen_user)  # type: ignore[arg-type]
    response = client.get("/data/open-entities/download/json/")
    b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert DataCall.objects.get().actor == citizen_user


def test_the_portal_pages_in_english(client: Client, second_open: DataResource) -> None:
    client.cookies["kuaiji_language"] = "en"
    html = client.get("/data/").content.decode()
    assert "Open data" in html and "Shops of the east" in html
    assert "API documentation" in client.get("/data/east-shops/").content.decode()
