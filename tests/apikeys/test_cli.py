"""`kuaiji api-key create | list | revoke`, run in-process with click's CliRunner."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner
from django.utils import translation

from kuaiji.cli import main
from kuaiji.platform.apikeys import tokens
from kuaiji.platform.apikeys.models import ApiKey
from tests.directory.city import TinyCity

pytestmark = pytest.mark.django_db

KEY = re.compile(r"^kj_[A-Za-z0-9]{40}$", re.MULTILINE)


def run(*args: str) -> tuple[int, str]:
    with translation.override("en"):
        result = CliRunner().invoke(main, ["api-key", *args])
    return result.exit_code, result.output


def test_create_prints_the_key_once_then_list_and_revoke(city: TinyCity) -> None:
    code, output = run(
        "create",
        "--name",
        "数据中台",
        "--owner",
        "u_township_officer",
        "--permission",
        "directory.region.view",
        "--permission",
        "directory.grid.view",
        "--rate",
        "30",
        "--expires-days",
        "90",
    )
    assert code == 0, output
    shown = KEY.findall(output)
    assert len(shown) == 1
    key = ApiKey.objects.get()
    assert key.secret_hash == tokens.digest(shown[0])
    assert key.permissions == ["directory.grid.view", "directory.region.view"]
    assert key.rate_per_minute == 30 and key.expires_at is not None

    code, listing = run("list")
    assert code == 0 and key.label in listing and "active" in listing
    assert shown[0] not in listing and key.secret_hash not in listing

    code, output = run("revoke", key.label.rstrip("…"))
    assert code == 0 and "Revoked" in output
    assert ApiKey.objects.get().revoked_at is not None
    assert "revoked" in run("list")[1]
    code, output = run("revoke", key.prefix)
    assert code == 1 and "already revoked" in output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--owner", "nobody", "--permission", "directory.region.view"), "No user is named"),
        (
            ("--owner", "u_township_officer", "--permission", "no.such"),
            "Unknown permission codes: no.such",
        ),
        (("--owner", "u_grid_worker", "--permission", "audit.entry.view"), "does not hold"),
        (
            ("--owner", "u_grid_worker", "--permission", "directory.grid.view", "--rate", "0"),
            "rate_per_minute: ",
        ),
    ],
)
def test_create_explains_mistakes(city: TinyCity, args: tuple[str, ...], message: str) -> None:
    code, output = run("create", "--name", "x", *args)
    assert code == 1 and message in output, output
    assert not ApiKey.objects.exists()


def test_revoke_unknown_prefix(db: None) -> None:
    code, output = run("revoke", "kj_NOPE1234")
    assert code == 1 and "No API key has the prefix" in output
