"""Shared fixtures: users of each kind, and the option that runs benchmarks."""

from __future__ import annotations

import pytest

from kuaiji.platform.identity.models import User
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
