"""The service screens of the service front: the catalog with its filters and bundles first, an
item's guide and a bundle's page, in Chinese and English, open to everyone."""

from __future__ import annotations

import pytest
from django.test import Client

from kuaiji.apps.government.models import Bundle
from kuaiji.fronts.portal.services.views import apply_url
from tests.directory.city import TinyCity
from tests.government.catalog_data import sample_catalog

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog(city: TinyCity) -> None:
    sample_catalog()


def _codes(html: str, testid: str) -> list[str]:
    part = html.split(f'data-testid="{testid}"')[1].split("</ul>")[0]
    return [chunk.split('"')[0] for chunk in part.split('data-code="')[1:]]


def test_the_list_puts_bundles_first_and_filters(client: Client, catalog: None) -> None:
    response = client.get("/services/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("开店一件事") < html.index('data-testid="items"')
    assert _codes(html, "bundles") == ["open-a-shop"]
    assert _codes(html, "items") == ["330600-DSJ-001", "330602-SCJ-101", "330602-SCJ-102"]
    assert "已取消的事项" not in html
    nav = html.split('data-testid="front-nav"')[1].split("</nav>")[0]
    assert 'href="/services/"' in nav
    by_kind = client.get("/services/?kind=registration").content.decode()
    assert _codes(by_kind, "items") == ["330602-SCJ-102"]
    by_department = client.get("/services/?department=330600-DSJ").content.decode()
    assert _codes(by_department, "items") == ["330600-DSJ-001"]
    for_citizens = client.get("/services/?applicants=citizen").content.decode()
    assert _codes(for_citizens, "items") == ["330600-DSJ-001", "330602-SCJ-102"]
    searched = client.get("/services/?q=全程网办").content.decode()
    assert _codes(searched, "items") == ["330602-SCJ-102"]
    odd = client.get("/services/?kind=nonsense&applicants=robots")
    assert odd.status_code == 200 and len(_codes(odd.content.decode(), "items")) == 3


def test_the_item_guide(client: Client, catalog: None) -> None:
    response = client.get("/services/items/330602-SCJ-102/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "个体工商户登记" in html and "《中华人民共和国食品安全法》第三十五条" in html
    shared = html.split('data-material="marriage-certificate"')[1].split("</li>")[0]
    assert 'data-testid="shared-badge"' in shared
    plain = html.split('data-material="applicant-id"')[1].split("</li>")[0]
    assert "shared-badge" not in plain
    assert "开店一件事" in html  # the bundles it is part of
    assert ('data-testid="apply"' in html) == (apply_url("item", "330602-SCJ-102") is not None)
    assert client.get("/services/items/330602-SCJ-199/").status_code == 404
    assert client.get("/services/items/NO-SUCH/").status_code == 404


def test_the_bundle_page(client: Client, catalog: None) -> None:
    response = client.get("/services/bundles/open-a-shop/")
    assert response.status_code == 200
    html = response.content.decode()
    steps = html.split('data-testid="bundle-items"')[1].split("</ol>")[0]
    assert [chunk.split('"')[0] for chunk in steps.split('data-code="')[1:]] == [
        "330602-SCJ-102",
        "330602-SCJ-101",
    ]
    promised = html.split('data-testid="promised"')[1].split("</dd>")[0]
    assert "5" in promised  # the longest item's
    materials = html.split('data-testid="materials"')[1].split("</ul>")[0]
    assert materials.count('data-material="applicant-id"') == 1
    assert materials.count('data-testid="shared-badge"') == 1
    assert 'data-field="shop_name"' in html and "店名" in html
    assert ('data-testid="apply"' in html) == (apply_url("bundle", "open-a-shop") is not None)
    Bundle.objects.filter(code="open-a-shop").update(active=False)
    assert client.get("/services/bundles/open-a-shop/").status_code == 404
    assert client.get("/services/bundles/no-such/").status_code == 404


def test_the_pages_in_english(client: Client, catalog: None) -> None:
    client.cookies["kuaiji_language"] = "en"
    html = client.get("/services/").content.decode()
    assert "Services" in html and "Food business licence" in html and "Opening a shop" in html
    guide = client.get("/services/items/330602-SCJ-102/").content.decode()
    assert "Registration of an individual business" in guide
    assert "Marriage certificate" in guide and "obtained from shared data" in guide
    bundle = client.get("/services/bundles/open-a-shop/").content.decode()
    assert "Shop name" in bundle and "Register and get the licence" in bundle


def test_the_apply_button_waits_for_its_screen() -> None:
    from django.urls import NoReverseMatch, reverse

    try:
        expected: str | None = reverse("portal:services:apply-item", args=["X-1"])
    except NoReverseMatch:
        expected = None
    assert apply_url("item", "X-1") == expected
