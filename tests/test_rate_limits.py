"""Callers who are not signed in are limited per address; sign-in and registration posts more so."""

from __future__ import annotations

import time
from types import SimpleNamespace

import pytest
from django.test import Client
from pytest_django.fixtures import Settings as SettingsWrapper

from kuaiji.platform.core import ratelimit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def mid_minute(monkeypatch: pytest.MonkeyPatch) -> None:
    """The counters are per calendar minute: the requests of a test fall in one minute (a slow
    machine would otherwise cross a boundary now and then and start a fresh count)."""
    moment = (time.time() // 60) * 60 + 30
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: moment))


def test_registration_posts_are_limited(client: Client, settings: SettingsWrapper) -> None:
    settings.KUAIJI_RATE_SENSITIVE_PER_MINUTE = 3
    statuses = [client.post("/account/register/", {"name": "x"}).status_code for _n in range(4)]
    assert statuses[:3] == [400, 400, 400]
    assert statuses[3] == 429
    limited = client.post("/work/login/", {"username": "a", "password": "b"})
    assert limited.status_code == 429 and int(limited["Retry-After"]) >= 1
    assert client.get("/").status_code == 200, "reading pages stays within the general limit"


def test_anonymous_api_callers_are_limited_in_the_error_format(
    client: Client, settings: SettingsWrapper
) -> None:
    settings.KUAIJI_RATE_ANONYMOUS_PER_MINUTE = 5
    statuses = [client.get("/api/v1/platform/info").status_code for _n in range(6)]
    assert statuses == [200] * 5 + [429]
    body = client.get("/api/v1/platform/info").json()
    assert body["error"]["code"] == "rate_limited"


def test_signed_in_people_are_not_counted(
    client: Client, settings: SettingsWrapper, staff_user: object
) -> None:
    settings.KUAIJI_RATE_ANONYMOUS_PER_MINUTE = 2
    client.force_login(staff_user)  # type: ignore[arg-type]
    assert all(client.get("/work/").status_code == 200 for _n in range(5))


def test_callers_with_a_live_api_key_answer_to_the_keys_rate(
    client: Client, settings: SettingsWrapper, admin_user: object
) -> None:
    from kuaiji.platform.apikeys.services import create_key
    from kuaiji.platform.core.actors import SYSTEM

    settings.KUAIJI_RATE_ANONYMOUS_PER_MINUTE = 2
    _key, plaintext = create_key(
        actor=SYSTEM,
        owner=admin_user,
        name="client",
        permissions=["grassroots.event.report"],
        rate_per_minute=100,
    )
    keyed = {"Authorization": f"Bearer {plaintext}"}
    assert all(
        client.get("/api/v1/platform/info", headers=keyed).status_code == 200 for _n in range(5)
    )
    posted = [
        client.post("/open311/v2/requests.json", {"api_key": plaintext}).status_code
        for _n in range(4)
    ]
    assert 429 not in posted
    forged = {"Authorization": "Bearer kj_" + "x" * 40}
    statuses = [client.get("/api/v1/platform/info", headers=forged).status_code for _n in range(3)]
    assert statuses[-1] == 429
