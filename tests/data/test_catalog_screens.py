"""The catalog screens of the work front: the list and its filters, a resource's page, and
registering and describing anew through the form, with errors shown beside the fields."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from kuaiji.platform.data import services
from kuaiji.platform.data.models import DataResource
from tests.data.conftest import market_entities
from tests.directory.city import TinyCity

pytestmark = pytest.mark.django_db

LIST = "/work/data/"
REGISTER = "/work/data/register/"


def _client(city: TinyCity, role: str) -> Client:
    client = Client()
    client.cookies["kuaiji_language"] = "en"
    client.force_login(city.users[role])
    return client


@pytest.fixture
def catalog(city: TinyCity, entities: DataResource) -> list[DataResource]:
    """The market entities (conditional) and an open resource of the east county."""
    east = services.register_resource(
        actor=city.users["platform_admin"],
        resource=market_entities(
            code="east-shops",
            title="东区门店",
            title_en="Shops of the east",
            department_code="330603-SCJ",
            sharing="unconditional",
            opening="open",
            themes=["商贸"],
            tags=["门店"],
        ),
    )
    return [entities, east]


def _codes(html: str) -> list[str]:
    return [part.split('"', 1)[0] for part in html.split('<tr data-code="')[1:]]


def test_the_list_and_its_filters(city: TinyCity, catalog: list[DataResource]) -> None:
    officer = _client(city, "township_officer")
    response = officer.get(LIST)
    assert response.status_code == 200
    html = response.content.decode()
    assert _codes(html) == ["east-shops", "market-entities"]
    assert "/work/data/register/" not in html, "a township officer registers nothing"
    assert 'href="/work/data/"' in html.split('data-testid="front-nav"')[1].split("</nav>")[0]
    assert _codes(officer.get(LIST, {"q": "门店"}).content.decode()) == ["east-shops"]
    assert _codes(officer.get(LIST, {"q": "MARKET"}).content.decode()) == ["market-entities"]
    assert _codes(officer.get(LIST, {"theme": "经济"}).content.decode()) == ["market-entities"]
    by_department = officer.get(LIST, {"department": "330603-SCJ"}).content.decode()
    assert _codes(by_department) == ["east-shops"]
    assert _codes(officer.get(LIST, {"sharing": "conditional"}).content.decode()) == [
        "market-entities"
    ]
    assert _codes(officer.get(LIST, {"opening": "open"}).content.decode()) == ["east-shops"]
    assert officer.get(LIST, {"opening": "nonsense"}).status_code == 400
    grid_worker = _client(city, "grid_worker")
    assert grid_worker.get(LIST).status_code == 403
    assert Client().get(LIST).status_code == 302


def test_the_resource_page(city: TinyCity, catalog: list[DataResource]) -> None:
    officer = _client(city, "township_officer")
    html = officer.get("/work/data/resources/market-entities/").content.decode()
    for text in ("西区市场监管局", "CC-BY-4.0", "GB 32100-2015", "legal_person_phone"):
        assert text in html
    assert 'data-field="legal_person_phone" data-level="4"' in html
    assert "/edit/" not in html, "only its department describes it anew"
    assert officer.get("/work/data/resources/nothing-here/").status_code == 404
    owner = _client(city, "department_officer")
    assert (
        "/work/data/resources/market-entities/edit/"
        in owner.get("/work/data/resources/market-entities/").content.decode()
    )
    english = _client(city, "township_officer")
    english.cookies["kuaiji_language"] = "en"
    in_english = english.get("/work/data/resources/east-shops/").content.decode()
    assert "Shops of the east" in in_english and "4 sensitive" in in_english


def _form(**changes: Any) -> dict[str, Any]:
    """A filled registration form with two schema rows (and a third left empty)."""
    data: dict[str, Any] = {
        "code": "licences",
        "title": "食品经营许可",
        "title_en": "Food business licences",
        "description": "西区发放的食品经营许可证",
        "description_en": "",
        "department_code": "330602-SCJ",
        "steward": "张三",
        "frequency": "weekly",
        "themes": "市场监管, 食品",
        "tags": "许可、食品",
        "licence": "CC-BY-4.0",
        "sharing": "unconditional",
        "sharing_basis": "",
        "opening": "open",
        "fields-TOTAL_FORMS": "3",
        "fields-INITIAL_FORMS": "0",
        "fields-MIN_NUM_FORMS": "0",
        "fields-MAX_NUM_FORMS": "300",
        "fields-0-name": "licence_no",
        "fields-0-type": "string",
        "fields-0-level": "1",
        "fields-0-primary_key": "on",
        "fields-0-required": "on",
        "fields-0-standard": "",
        "fields-0-description": "许可证编号",
        "fields-1-name": "holder_phone",
        "fields-1-type": "string",
        "fields-1-level": "4",
        "fields-1-description": "",
        "fields-1-standard": "",
        "fields-2-name": "",
        "fields-2-type": "string",
        "fields-2-level": "",
    }
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def test_registering_through_the_form(city: TinyCity) -> None:
    owner = _client(city, "department_officer")
    page = owner.get(REGISTER)
    assert page.status_code == 200 and 'name="fields-0-name"' in page.content.decode()
    response = owner.post(REGISTER, _form())
    assert response.status_code == 302
    assert response["Location"] == "/work/data/resources/licences/"
    saved = DataResource.objects.get(code="licences")
    assert saved.version == 1 and saved.themes == ["市场监管", "食品"]
    assert saved.tags == ["许可", "食品"] and saved.department.code == "330602-SCJ"
    assert [(f.name, f.level, f.primary_key) for f in saved.fields.order_by("position")] == [
        ("licence_no", 1, True),
        ("holder_phone", 4, False),
    ]
    again = owner.post(REGISTER, _form())
    assert again.status_code == 400 and "registered already" in again.content.decode()
    township = _client(city, "township_officer")
    assert township.get(REGISTER).status_code == 403
    assert township.post(REGISTER, _form(code="other")).status_code == 403


def test_adding_a_schema_row_keeps_what_was_typed(city: TinyCity) -> None:
    owner = _client(city, "department_officer")
    response = owner.post(REGISTER, _form(add_field="1"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="licence_no"' in html and 'value="holder_phone"' in html
    assert 'name="fields-2-name"' in html and 'name="fields-3-name"' not in html
    assert 'value="食品经营许可"' in html and "form-error" not in html
    assert not DataResource.objects.filter(code="licences").exists()


@pytest.mark.parametrize(
    ("changes", "where", "expected"),
    [
        ({"code": "Bad Code"}, "error-code", ""),
        ({"title": ""}, "error-title", ""),
        ({"fields-0-name": "Licence No"}, "error-fields-0-name", "underscores"),
        ({"fields-1-name": "licence_no"}, "schema-errors", "its own name"),
        ({"fields-0-primary_key": None}, "schema-errors", "primary key"),
        ({"sharing": "not_shared", "opening": "not_open"}, "error-sharing_basis", "legal basis"),
        (
            {"sharing": "not_shared", "sharing_basis": "《统计法》"},
            "error-opening",
            "cannot be open",
        ),
        ({"themes": "a/b"}, "error-themes", "theme or tag"),
        ({"fields-0-level": "9"}, "error-fields-0-level", ""),
        ({"department_code": "330603-SCJ"}, "error-department_code", ""),
        (
            {
                **{f"fields-{n}-{name}": "" for n in (0, 1) for name in ("name", "level")},
                "fields-0-primary_key": None,
                "fields-0-required": None,
                "fields-0-description": "",
            },
            "schema-errors",
            "at least one field",
        ),
    ],
)
def test_errors_are_shown_beside_the_fields(
    city: TinyCity, changes: dict[str, Any], where: str, expected: str
) -> None:
    owner = _client(city, "department_officer")
    data = _form(**changes)
    response = owner.post(REGISTER, data)
    assert response.status_code == 400, response.content.decode()[:2000]
    html = response.content.decode()
    assert f'data-testid="{where}"' in html
    block = html.split(f'data-testid="{where}"', 1)[1].split("</ul>", 1)[0]
    assert expected in block
    assert not DataResource.objects.filter(code="licences").exists()


def test_describing_a_resource_anew(city: TinyCity, catalog: list[DataResource]) -> None:
    owner = _client(city, "department_officer")
    url = "/work/data/resources/market-entities/edit/"
    page = owner.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'value="市场主体登记信息"' in html and 'value="legal_person_phone"' in html
    assert re.search(r'name="fields-INITIAL_FORMS" value="6"', html)
    data = _form(
        code="ignored-since-the-code-cannot-change",
        title="市场主体登记信息（新）",
        sharing="conditional",
        opening="conditional",
    )
    response = owner.post(url, data)
    assert response.status_code == 302
    resource = DataResource.objects.get(code="market-entities")
    assert resource.version == 2 and resource.title == "市场主体登记信息（新）"
    assert [f.name for f in resource.fields.order_by("position")] == ["licence_no", "holder_phone"]
    assert not DataResource.objects.filter(code="ignored-since-the-code-cannot-change").exists()
    unchanged = owner.post(url, data, follow=True)
    assert "version 2" in unchanged.content.decode().lower()
    assert DataResource.objects.get(code="market-entities").version == 2
    assert owner.get("/work/data/resources/east-shops/edit/").status_code == 404
    assert _client(city, "township_officer").get(url).status_code == 403
