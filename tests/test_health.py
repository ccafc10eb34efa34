"""/healthz says 200 when the database and broker answer, 503 naming the part that does not."""

from __future__ import annotations

import os

import pytest
from django.db import OperationalError
from django.test import Client
from pytest_django.fixtures import Settings as SettingsWrapper

from kuaiji.platform.core import health

REDIS_TEST_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/15")


@pytest.mark.django_db
def test_healthy_embedded_default(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["broker"]["detail"].startswith("in-process")
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.mark.django_db
def test_healthy_with_a_real_redis(client: Client, settings: SettingsWrapper) -> None:
    settings.REDIS_URL = REDIS_TEST_URL
    body = client.get("/healthz").json()
    assert body["checks"]["broker"] == {**body["checks"]["broker"], "ok": True, "detail": "redis"}


@pytest.mark.django_db
def test_unreachable_broker_is_a_503(client: Client, settings: SettingsWrapper) -> None:
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["failing"] == ["broker"]


@pytest.mark.django_db
def test_unreachable_database_is_a_503(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    class BrokenCursor:
        """Whatever is asked of it, the database does not answer."""

        def __enter__(self) -> None:
            raise OperationalError("could not connect to server")

        def __getattr__(self, name: str) -> None:
            raise OperationalError("could not connect to server")

        def __exit__(self, *exc: object) -> None:
            return None

    monkeypatch.setattr(health.connection, "cursor", lambda: BrokenCursor())
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["database"]
    assert "could not connect" in body["checks"]["database"]["detail"]


def test_only_get(client: Client) -> None:
    assert client.post("/healthz").status_code == 405
