"""The audit log in the work front: auditors search, open and verify; nobody edits.

Auditors hold the standard `auditor` role in a region and see the entries of that region; staff
without ``audit.entry.view`` get 403; every route answers only GET and HEAD.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from kuaiji.platform.access.models import Role, RoleGrant
from kuaiji.platform.access.services import grant_roles
from kuaiji.platform.audit import selectors
from kuaiji.platform.audit.models import AuditEntry
from kuaiji.platform.audit.services import Change, record_changes
from kuaiji.platform.core.actors import SYSTEM
from kuaiji.platform.core.errors import Forbidden, NotFound
from kuaiji.platform.directory.models import Grid, Region
from kuaiji.platform.identity.models import User
from tests.audit.test_audit import TABLE, sql, tampering
from tests.directory.city import PASSWORD, TinyCity

pytestmark = pytest.mark.django_db

LIST = "/work/audit/"
VERIFY = "/work/audit/verify/"
WEST_GRID = "330602001001001"  # in county 330602
EAST_GRID = "330603001001001"  # in county 330603

Auditor = Callable[..., User]


@pytest.fixture
def make_auditor(city: TinyCity) -> Auditor:
    """Staff holding the standard auditor role in one region (the city unless told)."""

    def make(region: str = "330600", username: str = "u_auditor") -> User:
        user = User.objects.create_user(username, password=PASSWORD, is_staff=True)
        role = Role.objects.get(code="auditor")
        grant = RoleGrant(user=user, role=role, region=Region.objects.get(code=region))
        grant_roles(actor=SYSTEM, grants=[grant])
        return user

    return make


@pytest.fixture
def auditor(make_auditor: Auditor) -> User:
    return make_auditor()


@pytest.fixture
def busy_log(city: TinyCity) -> int:
    """The tiny city's entries and 60 more, so that the list runs to three pages; their count."""
    record_changes(
        Change(actor=SYSTEM, action="test.thing", object_type="test", object_id=str(n))
        for n in range(60)
    )
    return AuditEntry.objects.count()


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies["kuaiji_language"] = "en"
    return client


def _grid_entry(code: str) -> AuditEntry:
    grid = Grid.objects.get(code=code)
    return AuditEntry.objects.get(action="directory.grid.create", object_id=str(grid.pk))


def _sequences(page: str) -> list[int]:
    """The entries listed on a page, by the links to their detail pages."""
    return [int(n) for n in dict.fromkeys(re.findall(r'href="/work/audit/(\d+)/"', page))]


# Searching -----------------------------------------------------------------------------------


def test_auditor_finds_an_objects_entries_by_action_and_object_id(auditor: User) -> None:
    entry = _grid_entry(WEST_GRID)
    response = _client(auditor).get(
        LIST, {"action": "directory.grid", "object_id": entry.object_id}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert _sequences(page) == [entry.sequence]
    assert "1 entry" in page
    assert entry.object_label in page and "directory.grid.create" in page
    assert f"directory.grid#{entry.object_id}" in page
    # compact changes: name: old → new, a created field having no old value
    assert "households</span>: ∅ → 100" in page


def test_action_matches_whole_dotted_segments(auditor: User) -> None:
    grids = selectors.entries(auditor, action="directory.grid")
    assert set(grids.values_list("action", flat=True)) == {"directory.grid.create"}
    members = selectors.entries(auditor, action="directory.gridmember.create")
    assert members.count() == 2
    assert not selectors.entries(auditor, action="directory.gri").exists()


def test_filters_by_actor_request_and_local_dates(auditor: User) -> None:
    assert not selectors.entries(auditor, actor_name="u_auditor").exists()
    assert selectors.entries(auditor, actor_name="system").count() == AuditEntry.objects.count()
    client = _client(auditor)
    today = timezone.localdate().isoformat()
    total = AuditEntry.objects.count()
    page = client.get(LIST, {"date_from": today, "date_to": today}).content.decode()
    assert f"{total} entries" in page
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    page = client.get(LIST, {"date_to": yesterday}).content.decode()
    assert "No entry matches." in page
    page = client.get(LIST, {"request_id": "no-such-request"}).content.decode()
    assert "No entry matches." in page


def test_newest_first_in_pages_of_fifty_keeping_the_search(auditor: User, busy_log: int) -> None:
    client = _client(auditor)
    first = client.get(LIST, {"actor": "system"}).content.decode()
    newest = list(AuditEntry.objects.order_by("-sequence").values_list("sequence", flat=True))
    assert _sequences(first) == newest[:50] and f"{busy_log} entries" in first
    assert 'href="?actor=system&amp;page=2"' in first and "Page 1 of 3" in first
    second = client.get(LIST, {"actor": "system", "page": "2"}).content.decode()
    assert _sequences(second) == newest[50:100]
    assert (
        'href="?actor=system&amp;page=1"' in second and 'href="?actor=system&amp;page=3"' in second
    )


def test_bad_search_input_answers_400_with_the_reason(auditor: User) -> None:
    client = _client(auditor)
    response = client.get(LIST, {"date_from": "2025-03-02", "date_to": "2025-03-01"})
    assert response.status_code == 400
    assert "The end date comes before the start date." in response.content.decode()
    assert client.get(LIST, {"action": "DROP TABLE"}).status_code == 400
    assert client.get(LIST, {"date_from": "yesterday"}).status_code == 400


def test_the_list_reads_a_fixed_number_of_queries(
    auditor: User, busy_log: int, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    """One entry or a full page: the same few queries (the session, the user and their grants,
    the count and the page), whatever the rows hold."""
    client = _client(auditor)
    client.get(LIST)  # warm up: the session, the catalog
    counts = []
    for search, rows in (({"object_type": "test", "object_id": "7"}, 1), ({}, 50)):
        with django_assert_max_num_queries(12) as captured:
            response = client.get(LIST, search)
        assert len(_sequences(response.content.decode())) == rows
        counts.append(len(captured))
    assert counts[0] == counts[1]


# One entry and the chain ---------------------------------------------------------------------


def test_the_detail_page_shows_everything_with_the_hashes(auditor: User) -> None:
    entry = _grid_entry(WEST_GRID)
    response = _client(auditor).get(f"{LIST}{entry.sequence}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert f"Audit entry #{entry.sequence}" in page
    assert entry.hash in page and entry.previous_hash in page
    assert entry.region_path in page and entry.object_label in page
    assert '<span class="audit-field">population</span>' in page


def test_verify_reports_an_intact_chain(auditor: User) -> None:
    client = _client(auditor)
    assert 'data-testid="verify-chain"' in client.get(LIST).content.decode()
    total = AuditEntry.objects.count()
    fragment = client.get(VERIFY, headers={"HX-Request": "true"}).content.decode()
    assert f"Intact: {total} entries" in fragment and "<html" not in fragment
    page = client.get(VERIFY).content.decode()
    assert f"Intact: {total} entries" in page and "<html" in page


def test_verify_names_the_first_broken_entry(auditor: User) -> None:
    victim = AuditEntry.objects.order_by("sequence")[7]
    with tampering():
        sql(f"UPDATE {TABLE} SET actor = %s WHERE id = %s", "someone_else", victim.pk)
    page = _client(auditor).get(VERIFY).content.decode()
    assert f"Broken at entry #{victim.sequence}" in page
    assert f'href="/work/audit/{victim.sequence}/"' in page


# Who may look --------------------------------------------------------------------------------


@pytest.mark.parametrize("path", [LIST, VERIFY, f"{LIST}1/"])
def test_staff_without_the_audit_permission_get_403(city: TinyCity, path: str) -> None:
    client = _client(city.users["county_officer"])
    assert client.get(path).status_code == 403
    with pytest.raises(Forbidden):
        selectors.entries(city.users["county_officer"])


@pytest.mark.parametrize("path", [LIST, VERIFY, f"{LIST}1/"])
def test_the_screens_need_a_staff_account(
    client: Client, citizen_user: User, city: TinyCity, path: str
) -> None:
    assert client.get(path).status_code == 302
    client.force_login(citizen_user)
    assert client.get(path).status_code == 403


def test_the_menu_shows_the_audit_log_only_to_auditors(auditor: User, city: TinyCity) -> None:
    def nav(user: User) -> str:
        page = _client(user).get("/work/").content.decode()
        return page[page.index('data-testid="front-nav"') :]

    assert f'href="{LIST}"' in nav(auditor) and "Audit log" in nav(auditor)
    assert f'href="{LIST}"' not in nav(city.users["county_officer"])


def test_a_county_auditor_sees_only_the_county(make_auditor: Auditor) -> None:
    county = make_auditor("330603", username="u_east_auditor")
    west, east = _grid_entry(WEST_GRID), _grid_entry(EAST_GRID)
    visible = set(selectors.entries(county).values_list("sequence", flat=True))
    assert east.sequence in visible and west.sequence not in visible
    client = _client(county)
    assert client.get(f"{LIST}{east.sequence}/").status_code == 200
    assert client.get(f"{LIST}{west.sequence}/").status_code == 404
    with pytest.raises(NotFound):
        selectors.entry(county, west.sequence)
    assert client.get(f"{LIST}999999/").status_code == 404


# Nobody edits --------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_no_route_changes_entries(auditor: User, method: str) -> None:
    client = _client(auditor)
    entry = _grid_entry(WEST_GRID)
    before = list(AuditEntry.objects.values_list("sequence", "hash"))
    for path in (LIST, f"{LIST}{entry.sequence}/", VERIFY):
        response = getattr(client, method)(path, {"actor": "someone_else"})
        assert response.status_code == 405, path
        assert response["Allow"] == "GET, HEAD"
    assert list(AuditEntry.objects.values_list("sequence", "hash")) == before


def test_the_admin_console_shows_entries_read_only(admin_user: User, city: TinyCity) -> None:
    entry = _grid_entry(WEST_GRID)
    admin = _client(admin_user)
    base = "/admin/audit/auditentry/"
    changelist = admin.get(base, {"action__exact": "directory.grid.create"})
    assert changelist.status_code == 200 and entry.object_label in changelist.content.decode()
    detail = admin.get(f"{base}{entry.pk}/change/")
    assert detail.status_code == 200
    assert entry.hash in detail.content.decode() and 'name="_save"' not in detail.content.decode()
    assert admin.get(f"{base}add/").status_code == 403
    assert admin.get(f"{base}{entry.pk}/delete/").status_code == 403
    assert admin.post(f"{base}{entry.pk}/change/", {"actor": "x"}).status_code == 403
    assert AuditEntry.objects.get(pk=entry.pk).actor == entry.actor
    officer = _client(city.users["platform_admin"])
    assert officer.get(base).status_code in (302, 403)
