"""Creating and revoking keys: who may, what is checked, what is stored, what is audited."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from kuaiji.platform.access.scoping import forget_grants
from kuaiji.platform.access.services import authorize, grant_role, has_permission, save_role
from kuaiji.platform.apikeys import tokens
from kuaiji.platform.apikeys.actor import KeyActor
from kuaiji.platform.apikeys.checks import use_log_middleware
from kuaiji.platform.apikeys.models import ApiKey
from kuaiji.platform.apikeys.services import create_key, revoke_key
from kuaiji.platform.audit.models import AuditEntry
from kuaiji.platform.core import ratelimit
from kuaiji.platform.core.actors import SYSTEM
from kuaiji.platform.core.errors import Conflict, Forbidden, InvalidInput
from kuaiji.platform.directory.models import Grid, Region
from kuaiji.platform.identity.models import User
from tests.apikeys.conftest import MakeKey
from tests.directory.city import TinyCity

pytestmark = pytest.mark.django_db


def every_stored_text() -> str:
    """Every row of every table, as text."""
    rows = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            rows.extend(repr(row) for row in cursor.fetchall())
    return "\n".join(rows)


def test_key_is_shown_once_and_only_its_hash_is_stored(city: TinyCity, make_key: MakeKey) -> None:
    key, plaintext = make_key(city.users["township_officer"], ["directory.region.view"])
    assert tokens.is_well_formed(plaintext) and plaintext.startswith("kj_")
    assert key.prefix == plaintext[3:11] and key.label == f"kj_{key.prefix}…"
    assert key.secret_hash == tokens.digest(plaintext) and len(key.secret_hash) == 64
    stored = every_stored_text()
    assert plaintext not in stored and plaintext[11:] not in stored
    assert key.secret_hash in stored and key.prefix in stored
    reloaded = ApiKey.objects.get(pk=key.pk)
    assert not hasattr(reloaded, "plaintext") and plaintext not in repr(vars(reloaded))


def test_creation_needs_the_manage_code(city: TinyCity) -> None:
    officer = city.users["township_officer"]
    with pytest.raises(Forbidden):
        create_key(
            actor=officer,
            owner=officer,
            name="自助",
            permissions=["directory.region.view"],
            rate_per_minute=10,
        )
    key, _plaintext = create_key(
        actor=city.users["platform_admin"],
        owner=officer,
        name="由管理员创建",
        permissions=["directory.region.view"],
        rate_per_minute=10,
    )
    assert key.owner == officer


def test_codes_must_be_known_and_held_by_owner_and_actor(city: TinyCity) -> None:
    officer = city.users["township_officer"]

    def problems(actor: object, codes: list[str]) -> dict[str, str]:
        with pytest.raises(InvalidInput) as caught:
            create_key(actor=actor, owner=officer, name="x", permissions=codes, rate_per_minute=10)
        return {field: str(text) for field, text in caught.value.fields.items()}

    assert "no.such.code" in problems(SYSTEM, ["no.such.code"])["permissions"]
    assert "audit.entry.view" in problems(SYSTEM, ["audit.entry.view"])["permissions"]
    assert problems(SYSTEM, [])["permissions"]
    # An administrator of keys who lacks a code cannot hand it out.
    role = save_role(
        actor=SYSTEM, code="key_manager", name="密钥管理员", permissions=["apikeys.key.manage"]
    )
    manager = User.objects.create(username="keyman")
    grant_role(actor=SYSTEM, user=manager, role=role, region=Region.objects.get(code="330600"))
    assert "directory.region.view" in problems(manager, ["directory.region.view"])["permissions"]


def test_other_fields_are_checked(city: TinyCity) -> None:
    officer = city.users["township_officer"]
    officer.is_active = False
    with pytest.raises(InvalidInput) as caught:
        create_key(
            actor=SYSTEM,
            owner=officer,
            name=" ",
            permissions=["directory.region.view"],
            rate_per_minute=0,
            expires_at=timezone.now() - timedelta(days=1),
        )
    assert set(caught.value.fields) == {"name", "owner", "rate_per_minute", "expires_at"}


def test_creation_and_revocation_are_audited_without_the_key(
    city: TinyCity, make_key: MakeKey
) -> None:
    key, plaintext = make_key(city.users["township_officer"], ["directory.region.view"])
    revoke_key(actor=SYSTEM, key=key)
    entries = list(AuditEntry.objects.filter(object_type="apikeys.apikey", object_id=str(key.pk)))
    assert {e.action for e in entries} == {"apikeys.key.create", "apikeys.key.revoke"}
    created = next(e for e in entries if e.action == "apikeys.key.create")
    assert created.changes["permissions"] == [None, ["directory.region.view"]]
    assert plaintext not in repr([e.content() for e in entries])
    assert key.secret_hash not in repr([e.content() for e in entries])


def test_owner_or_manager_may_revoke_once(city: TinyCity, make_key: MakeKey) -> None:
    officer = city.users["township_officer"]
    key, _plaintext = make_key(officer, ["directory.region.view"])
    with pytest.raises(Forbidden):
        revoke_key(actor=city.users["county_officer"], key=key)
    revoke_key(actor=officer, key=key)
    assert ApiKey.objects.get(pk=key.pk).revoked_at is not None
    with pytest.raises(Conflict):
        revoke_key(actor=city.users["platform_admin"], key=key)


def test_key_actor_is_the_owner_narrowed(city: TinyCity, make_key: MakeKey) -> None:
    owner = city.users["township_officer"]
    key, _plaintext = make_key(owner, ["directory.region.view"])
    actor = KeyActor(owner, key)
    assert (actor.pk, actor.username, actor.is_superuser, actor.is_staff) == (
        owner.pk,
        owner.username,
        False,
        False,
    )
    assert has_permission(actor, "directory.region.view")
    assert has_permission(owner, "directory.grid.view")
    assert not has_permission(actor, "directory.grid.view")
    with pytest.raises(Forbidden):
        authorize(actor, "directory.grid.view")
    assert set(Region.objects.visible_to(actor).values_list("code", flat=True)) == {
        "330602001",
        "330602001001",
        "330602001002",
    }
    assert not Grid.objects.visible_to(actor).exists()
    assert not actor.has_perm("identity.change_user")
    with pytest.raises(AttributeError):
        actor.save  # noqa: B018
    forget_grants(actor)
    assert has_permission(actor, "directory.region.view"), "narrowed again after forgetting"


def test_rate_windows_are_per_minute() -> None:
    bucket = f"unit-{uuid.uuid4().hex}"
    start = 6_000_000.0  # the start of a minute
    verdicts = [ratelimit.hit(bucket, 2, now=start + s) for s in (1, 2, 3)]
    assert [v.allowed for v in verdicts] == [True, True, False]
    assert verdicts[2].retry_after == 57
    assert ratelimit.hit(bucket, 2, now=start + 61).allowed


def test_the_use_log_middleware_is_required(settings: object) -> None:
    assert use_log_middleware(None) == []
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if "apikeys" not in m]  # type: ignore[attr-defined]
    assert [error.id for error in use_log_middleware(None)] == ["apikeys.E001"]
