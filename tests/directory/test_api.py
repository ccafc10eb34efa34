"""The directory's read API: scoped lists, GeoJSON, masked personal data, point lookup."""

from __future__ import annotations

import pytest
from django.test import Client

from kuaiji.platform.directory import locator
from tests.directory.city import TinyCity

pytestmark = pytest.mark.django_db


def signed_in(city: TinyCity, role: str) -> Client:
    client = Client()
    client.force_login(city.users[role])
    return client


def test_regions_are_paginated_and_scoped(city: TinyCity) -> None:
    body = signed_in(city, "township_officer").get("/api/v1/directory/regions").json()
    assert body["count"] == 3
    assert {r["code"] for r in body["items"]} == {"330602001", "330602001001", "330602001002"}
    village = next(r for r in body["items"] if r["code"] == "330602001001")
    assert village["parent_code"] == "330602001" and village["level"] == "village"
    children = signed_in(city, "city_leader").get("/api/v1/directory/regions?parent=330600").json()
    assert [r["code"] for r in children["items"]] == ["330602", "330603"]


def test_regions_as_geojson(city: TinyCity) -> None:
    body = (
        signed_in(city, "city_leader").get("/api/v1/directory/regions.geojson?parent=330600").json()
    )
    assert [f["properties"]["code"] for f in body["features"]] == ["330602", "330603"]
    assert body["features"][0]["geometry"]["type"] == "Polygon"
    own = (
        signed_in(city, "county_officer")
        .get("/api/v1/directory/regions.geojson?parent=330600")
        .json()
    )
    assert [f["id"] for f in own["features"]] == ["330602"]


def test_region_detail_has_boundary_and_ancestors(city: TinyCity) -> None:
    body = signed_in(city, "city_leader").get("/api/v1/directory/regions/330602001001").json()
    assert body["boundary"]["type"] == "Polygon"
    assert [a["code"] for a in body["ancestors"]] == ["330600", "330602", "330602001"]


def test_bad_filters_are_a_400(city: TinyCity) -> None:
    client = signed_in(city, "city_leader")
    response = client.get("/api/v1/directory/regions?level=planet")
    assert response.status_code == 400
    assert "level" in response.json()["error"]["fields"]
    assert client.get("/api/v1/directory/locate?lon=500&lat=30").status_code == 400
    assert client.get("/api/v1/directory/grids.geojson?limit=100000").status_code == 400


def test_grids_as_geojson(city: TinyCity) -> None:
    client = signed_in(city, "county_officer")
    body = client.get("/api/v1/directory/grids.geojson?region=330602001&limit=3").json()
    assert body["type"] == "FeatureCollection"
    assert (body["numberMatched"], body["numberReturned"]) == (4, 3)
    feature = body["features"][0]
    assert feature["geometry"]["type"] == "Polygon"
    assert {"code", "name", "households", "population", "members"} <= set(feature["properties"])
    east = client.get("/api/v1/directory/grids.geojson?region=330603").json()
    assert east["numberMatched"] == 0, "another county's grids stay out of sight"


def test_grid_detail_lists_members_with_masked_phones(city: TinyCity) -> None:
    body = signed_in(city, "township_officer").get("/api/v1/directory/grids/330602001001001").json()
    assert body["members"][0]["role"] == "full_time"
    assert body["members"][0]["phone"] == "138****0004"


def test_staff_phones_are_masked_unless_entitled(city: TinyCity) -> None:
    masked = signed_in(city, "county_officer").get("/api/v1/directory/staff?q=员工").json()
    assert masked and all(row["phone_masked"] for row in masked)
    assert all("****" in row["phone"] for row in masked)
    whole = signed_in(city, "directory_admin").get("/api/v1/directory/staff?q=E002").json()
    assert whole == [{**whole[0], "phone": "13800000002", "phone_masked": False}]


def test_locate(city: TinyCity) -> None:
    locator.forget_locator()
    client = signed_in(city, "grid_worker")
    inside = client.get("/api/v1/directory/locate?lon=120.3&lat=30.2").json()
    assert inside["inside"] is True
    assert inside["township"] == {"code": "330602002", "name": "002街道"}
    outside = client.get("/api/v1/directory/locate?lon=116.4&lat=39.9").json()
    assert outside["inside"] is False
    assert outside["grid"] is None
    assert "管辖范围" in outside["message"] or "jurisdiction" in outside["message"]


def test_every_unmasked_view_is_audited(city: TinyCity) -> None:
    from kuaiji.platform.audit.models import AuditEntry

    signed_in(city, "county_officer").get("/api/v1/directory/staff?q=员工")
    assert not AuditEntry.objects.filter(action="directory.personal_data.view").exists()
    signed_in(city, "directory_admin").get("/api/v1/directory/staff?q=E002")
    entry = AuditEntry.objects.get(action="directory.personal_data.view")
    assert entry.actor == "u_directory_admin" and entry.changes["staff"][1]
