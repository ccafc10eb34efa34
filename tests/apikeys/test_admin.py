"""API keys in the admin console: the key shown once after saving, never the hash; revoking."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from kuaiji.platform.apikeys import tokens
from kuaiji.platform.apikeys.models import ApiKey, ApiKeyUse
from kuaiji.platform.identity.models import User
from tests.apikeys.conftest import MakeKey
from tests.directory.city import TinyCity

pytestmark = pytest.mark.django_db

ADD = "/admin/apikeys/apikey/add/"
LIST = "/admin/apikeys/apikey/"


@pytest.fixture
def console(admin_user: User) -> Client:
    client = Client()
    client.force_login(admin_user)
    return client


def test_adding_a_key_shows_it_once(city: TinyCity, console: Client) -> None:
    owner = city.users["township_officer"]
    assert console.get(ADD).status_code == 200
    response = console.post(
        ADD,
        {
            "name": "大数据局同步",
            "owner": owner.pk,
            "permissions": ["directory.region.view"],
            "rate_per_minute": "20",
        },
    )
    assert response.status_code == 200, response.content[:2000]
    assert "no-store" in response["Cache-Control"]
    shown = re.findall(r"kj_[A-Za-z0-9]{40}", response.content.decode())
    assert len(set(shown)) == 1
    key = ApiKey.objects.get()
    assert key.owner == owner and key.secret_hash == tokens.digest(shown[0])
    listing = console.get(LIST).content.decode()
    detail = console.get(f"{LIST}{key.pk}/change/").content.decode()
    for page in (listing, detail):
        assert key.label in page
        assert shown[0] not in page and key.secret_hash not in page


def test_the_form_refuses_codes_the_owner_lacks(city: TinyCity, console: Client) -> None:
    response = console.post(
        ADD,
        {
            "name": "越权",
            "owner": city.users["grid_worker"].pk,
            "permissions": ["audit.entry.view"],
            "rate_per_minute": "20",
        },
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "audit.entry.view" in str(errors["permissions"])
    assert not ApiKey.objects.exists()


def test_revoke_action_and_read_only_uses(
    city: TinyCity, console: Client, make_key: MakeKey
) -> None:
    key, plaintext = make_key(city.users["township_officer"], ["directory.region.view"])
    Client().get("/api/v1/directory/regions", HTTP_X_API_KEY=plaintext)
    response = console.post(LIST, {"action": "revoke", "_selected_action": [key.pk]})
    assert response.status_code == 302
    assert ApiKey.objects.get().revoked_at is not None
    use = ApiKeyUse.objects.get()
    page = console.get(f"/admin/apikeys/apikeyuse/{use.pk}/change/")
    assert page.status_code == 200 and "/api/v1/directory/regions" in page.content.decode()
    assert console.get("/admin/apikeys/apikeyuse/add/").status_code == 403


def test_staff_without_superuser_cannot_open_the_screens(city: TinyCity) -> None:
    client = Client()
    client.force_login(city.users["platform_admin"])
    assert client.get(LIST).status_code in (302, 403)
