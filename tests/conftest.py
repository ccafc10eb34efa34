"""Shared fixtures: users of each kind, and the option that runs benchmarks."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from kuaiji.platform.core.actors import SYSTEM
from kuaiji.platform.identity.models import User
from kuaiji.platform.workdays.models import PublishedYear
from kuaiji.platform.workdays.services import library_years, publish_from_library, publish_year
from tests.directory.city import TinyCity, build_tiny_city

PASSWORD = "A-long-test-password-1"


@pytest.fixture
def staff_user(db: None) -> User:
    return User.objects.create_user(
        "officer", password=PASSWORD, is_staff=True, display_name="李娜"
    )


@pytest.fixture
def citizen_user(db: None) -> User:
    return User.objects.create_user("citizen", password=PASSWORD, display_name="张伟")


@pytest.fixture
def admin_user(db: None) -> User:
    return User.objects.create_superuser("root", password=PASSWORD, display_name="管理员")


@pytest.fixture
def city(db: None) -> TinyCity:
    """A tiny city (two counties, three townships, grids) with one user per standard role."""
    return build_tiny_city()


@pytest.fixture(autouse=True)
def verified_force_login(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """`Client.force_login` also proves the second factor, as a person with an authenticator
    would; tests of the second factor itself opt out with the `unverified` marker."""
    if request.node.get_closest_marker("unverified"):
        return
    from django.test import Client
    from django_otp.plugins.otp_totp.models import TOTPDevice

    original = Client.force_login

    def force_login(self: Client, user: User, backend: str | None = None) -> None:
        original(self, user, backend)
        device, _created = TOTPDevice.objects.get_or_create(
            user=user, confirmed=True, defaults={"name": "test"}
        )
        session = self.session
        session["otp_device_id"] = device.persistent_id
        session.save()

    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.fixture(autouse=True)
def fresh_rate_counters(settings: Any) -> None:
    """Each test starts with empty request counters (only the in-process cache is cleared:
    clearing a shared Redis would wipe more than counters)."""
    from django.core.cache import cache

    if settings.CACHES["default"]["BACKEND"].endswith("LocMemCache"):
        cache.clear()


def publish_calendar() -> None:
    """The library's years, and this year and next as plain weeks if the library stops
    earlier (so the tests do not depend on the day they run)."""
    publish_from_library(actor=SYSTEM, years=library_years())
    this_year = timezone.localdate().year
    for year in (this_year, this_year + 1):
        if not PublishedYear.objects.filter(year=year).exists():
            publish_year(actor=SYSTEM, year=year, days=[])


@pytest.fixture
def calendar(db: None) -> None:
    publish_calendar()
