"""The CKAN Action API (read) over the open data catalogue: CKAN's envelope and error shapes,
what anonymous and keyed callers see, package search with filters, sort and facets,
organizations, groups and tags, datastore_search limited to open resources' level-1 fields and
logged, bad input as CKAN validation errors, and the real `ckanapi` client against a live
server."""

from __future__ import annotations

import json
from typing import Any

import ckanapi
import pytest
from django.test import Client
from pytest_django.fixtures import Settings as SettingsWrapper
from pytest_django.live_server_helper import LiveServer

from kuaiji.platform.apikeys.services import create_key
from kuaiji.platform.audit.models import AuditEntry
from kuaiji.platform.core.actors import SYSTEM
from kuaiji.platform.data import services
from kuaiji.platform.data.models import DataCall, DataResource
from tests.data.conftest import market_entities, open_entities
from tests.directory.city import TinyCity

pytestmark = pytest.mark.django_db
API = "/api/3/action"
LEVEL_ONE = ["credit_code", "name", "region_code", "founded"]


@pytest.fixture
def opened(city: TinyCity) -> DataResource:
    """An open resource of the same schema (a level-2 and a level-4 field among its fields)."""
    return open_entities(city, themes=["经济", "市场监管"])


@pytest.fixture
def catalog_key(city: TinyCity) -> str:
    """A key whose owner reads the catalog through it."""
    _key, plaintext = create_key(
        actor=SYSTEM,
        name="catalog reader",
        owner=city.users["county_officer"],
        permissions=["data.resource.view"],
        rate_per_minute=600,
    )
    return plaintext


def call(client: Client, action: str, status: int = 200, **params: Any) -> Any:
    """GET an action with its parameters in the query; check the status and the envelope."""
    response = client.get(f"{API}/{action}", params)
    assert response.status_code == status, response.content
    body = response.json()
    assert body["help"].endswith(f"/api/3/action/help_show?name={action}")
    assert body["success"] is (status == 200)
    return body["result"] if status == 200 else body["error"]


def test_anonymous_callers_see_only_open_packages(
    client: Client, opened: DataResource, entities: DataResource
) -> None:
    assert call(client, "package_list") == ["open-entities"]
    package = call(client, "package_show", id="open-entities")
    assert package["name"] == package["id"] == "open-entities"
    assert package["title"] == "公开市场主体名录"
    assert package["title_translated"]["en"] == "Open list of market entities"
    assert package["notes"] == "在册市场主体的公开信息。"
    assert package["organization"]["id"] == "330602-SCJ"
    assert package["organization"]["name"] == "330602-scj"
    assert [tag["name"] for tag in package["tags"]] == ["企业", "名录"]
    assert [group["name"] for group in package["groups"]] == ["经济", "市场监管"]
    assert package["license_title"] == "CC-BY-4.0"
    assert package["license_url"] == "https://creativecommons.org/licenses/by/4.0/"
    assert package["metadata_created"] and package["metadata_modified"]
    extras = {extra["key"]: extra["value"] for extra in package["extras"]}
    assert extras["frequency"] == "daily" and extras["opening"] == "open"
    assert extras["sharing"] == "unconditional"
    [resource] = package["resources"]
    assert resource["id"] == "open-entities" and resource["datastore_active"] is True
    assert resource["url"] == "http://testserver/data/open-entities/download/csv/"
    assert resource["format"] == "CSV"
    assert call(client, "resource_show", id="open-entities") == resource
    hidden = call(client, "package_show", 404, id="market-entities")
    assert hidden["__type"] == "Not Found Error" and hidden["message"]
    assert call(client, "resource_show", 404, id="market-entities")["__type"] == "Not Found Error"
    missing = call(client, "package_show", 409)
    assert missing["__type"] == "Validation Error" and missing["id"]


def test_a_key_with_the_catalog_permission_sees_every_package(
    client: Client, opened: DataResource, entities: DataResource, catalog_key: str
) -> None:
    for headers in (
        {"Authorization": catalog_key},
        {"X-CKAN-API-Key": catalog_key},
        {"Authorization": f"Bearer {catalog_key}"},
    ):
        listed = client.get(f"{API}/package_list", headers=headers).json()["result"]
        assert listed == ["market-entities", "open-entities"]
    shown = client.get(
        f"{API}/package_show", {"id": "market-entities"}, headers={"Authorization": catalog_key}
    ).json()["result"]
    assert shown["private"] is True
    refused = client.get(f"{API}/package_list", headers={"Authorization": "kj_" + "x" * 40})
    assert refused.status_code == 403
    assert refused.json()["error"]["__type"] == "Authorization Error"


def test_a_key_without_the_catalog_permission_sees_what_everyone_sees(
    client: Client, city: TinyCity, opened: DataResource, entities: DataResource
) -> None:
    _key, plaintext = create_key(
        actor=SYSTEM,
        name="reporting app",
        owner=city.users["county_officer"],
        permissions=["grassroots.event.report"],
        rate_per_minute=600,
    )
    listed = client.get(f"{API}/package_list", headers={"X-CKAN-API-Key": plaintext})
    assert listed.json()["result"] == ["open-entities"]


def test_package_search_filters_sorts_pages_and_counts_facets(
    client: Client, city: TinyCity, opened: DataResource, entities: DataResource, catalog_key: str
) -> None:
    services.register_resource(
        actor=city.users["department_officer"],
        resource=market_entities(
            code="open-licences",
            title="经营许可公开名录",
            themes=["市场监管"],
            tags=["许可"],
            sharing="unconditional",
            opening="open",
        ),
    )
    everything = call(client, "package_search")
    assert everything["count"] == 2
    assert everything["sort"] == "score desc, metadata_modified desc"
    assert [item["name"] for item in everything["results"]] == ["open-licences", "open-entities"]
    assert call(client, "package_search", q="名录")["count"] == 2
    assert call(client, "package_search", q="许可")["count"] == 1
    assert call(client, "package_search", q="nothing-like-this")["count"] == 0
    tagged = call(client, "package_search", fq="tags:企业")
    assert [item["name"] for item in tagged["results"]] == ["open-entities"]
    assert call(client, "package_search", fq="groups:市场监管")["count"] == 2
    assert call(client, "package_search", fq="organization:330602-scj groups:经济")["count"] == 1
    assert call(client, "package_search", fq="-tags:企业")["count"] == 1
    assert call(client, "package_search", fq="organization:elsewhere")["count"] == 0
    by_title = call(client, "package_search", sort="title_string asc", rows=1, start=1)
    assert by_title["count"] == 2
    assert [item["name"] for item in by_title["results"]] == ["open-licences"], "公 before 经"
    faceted = call(
        client,
        "package_search",
        **{"facet.field": json.dumps(["groups", "tags", "organization"]), "facet.limit": 1},
    )
    assert faceted["facets"]["groups"] == {"市场监管": 2}
    assert faceted["facets"]["organization"] == {"330602-scj": 2}
    organization = faceted["search_facets"]["organization"]["items"][0]
    assert organization["count"] == 2 and organization["display_name"]
    keyed = client.get(f"{API}/package_search", headers={"Authorization": catalog_key}).json()
    assert keyed["result"]["count"] == 3
    for bad in (
        {"sort": "nonsense desc"},
        {"sort": "title_string sideways"},
        {"rows": "-1"},
        {"rows": "many"},
        {"start": "-5"},
        {"facet.field": "[not json"},
        {"facet.field": json.dumps(["colour"])},
        {"fq": "colour:red"},
    ):
        error = call(client, "package_search", 409, **bad)
        assert error["__type"] == "Validation Error", bad


def test_organizations_groups_and_tags(
    client: Client, opened: DataResource, entities: DataResource, catalog_key: str
) -> None:
    assert call(client, "organization_list") == ["330602-scj"]
    [organization] = call(client, "organization_list", all_fields="true")
    assert organization["title"] and organization["package_count"] == 1
    shown = call(client, "organization_show", id="330602-SCJ", include_datasets="true")
    assert [item["name"] for item in shown["packages"]] == ["open-entities"]
    assert call(client, "organization_show", id="330602-scj")["package_count"] == 1
    assert call(client, "organization_show", 404, id="nowhere")["__type"] == "Not Found Error"
    assert sorted(call(client, "group_list")) == ["市场监管", "经济"]
    groups = call(client, "group_list", all_fields="true", sort="package_count desc")
    assert {group["name"] for group in groups} == {"市场监管", "经济"}
    assert call(client, "group_show", id="经济")["package_count"] == 1
    assert call(client, "tag_list") == ["企业", "名录"]
    assert call(client, "tag_list", query="名") == ["名录"]
    keyed = client.get(f"{API}/tag_list", headers={"Authorization": catalog_key}).json()
    assert keyed["result"] == ["企业", "名录", "登记"]
    assert call(client, "organization_list", 409, sort="colour asc")["__type"] == (
        "Validation Error"
    )


def test_datastore_search_returns_level_one_fields_of_open_resources(
    client: Client, opened: DataResource
) -> None:
    found = call(client, "datastore_search", resource_id="open-entities")
    assert found["resource_id"] == "open-entities"
    assert [field["id"] for field in found["fields"]] == LEVEL_ONE
    assert {field["id"]: field["type"] for field in found["fields"]}["founded"] == "date"
    assert found["total"] == 3 and found["limit"] == 100 and found["offset"] == 0
    assert all(set(record) == set(LEVEL_ONE) for record in found["records"])
    assert found["_links"]["start"].startswith("/api/3/action/datastore_search?")
    assert "offset=100" in found["_links"]["next"]
    filtered = call(
        client,
        "datastore_search",
        resource_id="open-entities",
        filters=json.dumps({"region_code": ["330602001", "330603001"]}),
        sort="founded desc",
        fields="credit_code,founded",
        limit=1,
        offset=1,
    )
    assert filtered["total"] == 2
    assert filtered["records"] == [{"credit_code": "91330602MA00000001", "founded": "2015-03-01"}]
    assert "offset=2" in filtered["_links"]["next"]
    searched = call(client, "datastore_search", resource_id="open-entities", q="纺织")
    assert [record["name"] for record in searched["records"]] == ["鉴湖纺织有限公司"]


def test_datastore_search_calls_are_logged_and_keyed_ones_sealed(
    client: Client, city: TinyCity, opened: DataResource, catalog_key: str
) -> None:
    call(client, "datastore_search", resource_id="open-entities", q="纺织")
    anonymous = DataCall.objects.get()
    assert anonymous.channel == "ckan" and anonymous.actor is None
    assert anonymous.fields == LEVEL_ONE and anonymous.rows == 1
    assert anonymous.query["q"] == "纺织" and anonymous.audit_sequence is None
    keyed = client.get(
        f"{API}/datastore_search",
        {"resource_id": "open-entities", "fields": "name"},
        headers={"Authorization": catalog_key},
    )
    assert keyed.status_code == 200
    assert list(keyed.json()["result"]["records"][0]) == ["name"], "still level 1 only"
    sealed = DataCall.objects.exclude(pk=anonymous.pk).get()
    assert sealed.actor == city.users["county_officer"] and sealed.audit_sequence
    entry = AuditEntry.objects.get(sequence=sealed.audit_sequence)
    assert entry.action == "data.rows.read" and entry.object_id == str(sealed.pk)


def test_datastore_search_refuses_closed_resources_and_hidden_fields(
    client: Client, opened: DataResource, entities: DataResource, catalog_key: str
) -> None:
    closed = call(client, "datastore_search", 404, resource_id="market-entities")
    assert closed["__type"] == "Not Found Error"
    keyed = client.get(
        f"{API}/datastore_search",
        {"resource_id": "market-entities"},
        headers={"Authorization": catalog_key},
    )
    assert keyed.status_code == 403
    assert keyed.json()["error"]["__type"] == "Authorization Error"
    for bad in (
        {},
        {"filters": "{not json"},
        {"filters": json.dumps(["a list"])},
        {"filters": json.dumps({"capital": 500})},
        {"filters": json.dumps({"legal_person_phone": "13800000001"})},
        {"filters": json.dumps({"no_such_field": 1})},
        {"filters": json.dumps({"founded": "not a date"})},
        {"fields": "name,capital"},
        {"sort": "capital desc"},
        {"sort": "name sideways"},
        {"limit": "-1"},
        {"limit": "40000"},
        {"offset": "-3"},
        {"limit": "ten"},
        {"records_format": "csv"},
    ):
        params = {"resource_id": "open-entities", **bad} if bad else {}
        error = call(client, "datastore_search", 409, **params)
        assert error["__type"] == "Validation Error", bad
    assert not DataCall.objects.exists()


def test_posting_json_and_protocol_errors(client: Client, opened: DataResource) -> None:
    posted = client.post(
        f"{API}/datastore_search",
        {"resource_id": "open-entities", "filters": {"name": "东湖茶叶合作社"}, "limit": 5},
        content_type="application/json",
    )
    assert posted.status_code == 200
    assert posted.json()["result"]["records"][0]["credit_code"] == "91330603MA00000003"
    searched = client.post(
        f"{API}/package_search",
        {"fq": "tags:名录", "rows": 5, "facet.field": ["tags"]},
        content_type="application/json",
    )
    assert searched.json()["result"]["facets"]["tags"] == {"企业": 1, "名录": 1}
    bad_body = client.post(f"{API}/package_list", "{oops", content_type="application/json")
    assert bad_body.status_code == 400 and bad_body.json()["success"] is False
    listed = client.post(f"{API}/package_list", "[1]", content_type="application/json")
    assert listed.status_code == 400
    unknown = client.get(f"{API}/package_create")
    assert unknown.status_code == 400 and unknown.json()["error"]["__type"] == "Bad request"
    assert client.put(f"{API}/package_list").status_code == 405
    assert client.get("/api/action/package_list").json()["result"] == ["open-entities"]
    helped = call(client, "help_show", name="datastore_search")
    assert "resource_id" in helped
    assert call(client, "status_show")["extensions"] == ["datastore"]


def test_anonymous_callers_are_rate_limited(
    client: Client, settings: SettingsWrapper, opened: DataResource, catalog_key: str
) -> None:
    settings.KUAIJI_RATE_ANONYMOUS_PER_MINUTE = 3
    statuses = [client.get(f"{API}/package_list").status_code for _n in range(4)]
    assert statuses == [200, 200, 200, 429]
    keyed = [
        client.get(f"{API}/package_list", headers={"X-CKAN-API-Key": catalog_key}).status_code
        for _n in range(4)
    ]
    assert keyed == [200] * 4, "a live key answers to the key's own rate"


def test_the_ckanapi_client_reads_the_catalogue(
    live_server: LiveServer, opened: DataResource, entities: DataResource, catalog_key: str
) -> None:
    with ckanapi.RemoteCKAN(live_server.url, user_agent="kuaiji-tests") as remote:
        assert remote.action.package_list() == ["open-entities"]
        package = remote.action.package_show(id="open-entities")
        assert package["resources"][0]["datastore_active"] is True
        found = remote.action.package_search(**{"fq": "tags:企业", "facet.field": ["tags"]})
        assert found["count"] == 1 and found["facets"]["tags"] == {"企业": 1, "名录": 1}
        rows = remote.action.datastore_search(
            resource_id="open-entities", filters={"region_code": "330602002"}, limit=10
        )
        assert rows["total"] == 1 and rows["records"][0]["name"] == "鉴湖纺织有限公司"
        assert "capital" not in rows["records"][0]
        with pytest.raises(ckanapi.NotFound):
            remote.action.package_show(id="market-entities")
        with pytest.raises(ckanapi.ValidationError):
            remote.action.datastore_search(resource_id="open-entities", limit=-1)
        assert remote.action.organization_list(all_fields=True)[0]["name"] == "330602-scj"
    with ckanapi.RemoteCKAN(live_server.url, apikey=catalog_key) as keyed:
        assert keyed.action.package_list() == ["market-entities", "open-entities"]
        with pytest.raises(ckanapi.NotAuthorized):
            keyed.action.datastore_search(resource_id="market-entities")
