"""The three fronts render their shell and navigation; the staff fronts require staff."""

from __future__ import annotations

import pytest
from django.test import Client

from kuaiji.platform.identity.models import User
from tests.conftest import PASSWORD
from tests.directory.city import TinyCity

pytestmark = pytest.mark.django_db


def _nav_labels(html: str) -> str:
    start = html.index('data-testid="front-nav"')
    return html[start : html.index("</nav>", start)]


def test_service_front_is_public(client: Client) -> None:
    page = client.get("/").content.decode()
    assert "首页" in _nav_labels(page)
    assert 'href="/work/"' in page


@pytest.mark.parametrize("path", ["/work/", "/cockpit/"])
def test_staff_fronts_send_visitors_to_sign_in(client: Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == f"/work/login/?next={path}"


@pytest.mark.parametrize("path", ["/work/", "/cockpit/"])
def test_staff_fronts_refuse_citizens(client: Client, citizen_user: User, path: str) -> None:
    client.force_login(citizen_user)
    response = client.get(path)
    assert response.status_code == 403
    assert "您无权打开此页面" in response.content.decode()


def test_sign_in_and_out(client: Client, staff_user: User) -> None:
    wrong = client.post("/work/login/", {"username": "officer", "password": "nope"})
    assert wrong.status_code == 200
    assert "请输入一个正确的" in wrong.content.decode()
    right = client.post("/work/login/", {"username": "officer", "password": PASSWORD})
    assert right.status_code == 302
    assert right["Location"] == "/work/"
    home = client.get("/work/").content.decode()
    assert "您好，李娜" in home
    assert "工作台" in _nav_labels(home)
    assert "管理后台" not in _nav_labels(home), "only administrators see the admin console"
    client.post("/work/logout/")
    assert client.get("/work/").status_code == 302


def test_work_front_shows_live_platform_status(client: Client, staff_user: User) -> None:
    client.force_login(staff_user)
    panel = client.get("/work/status/").content.decode()
    assert 'id="platform-status"' in panel
    assert "sqlite" in panel or "postgresql" in panel
    assert 'hx-get="/work/status/"' in panel


def test_administrators_see_the_admin_console(client: Client, admin_user: User) -> None:
    client.force_login(admin_user)
    assert "管理后台" in _nav_labels(client.get("/work/").content.decode())
    assert client.get("/admin/").status_code == 200


def test_cockpit_shows_the_counties_in_the_viewers_scope(client: Client, city: TinyCity) -> None:
    client.force_login(city.users["city_leader"])
    page = client.get("/cockpit/").content.decode()
    for code, name in [("330602", "西区"), ("330603", "东区")]:
        assert f'data-code="{code}"' in page and name in page
    assert "/api/v1/directory/regions.geojson?parent=330600" in page
    assert "城市总览" in _nav_labels(page)
    assert "/static/vendor/echarts/echarts.min.js" in page
    client.force_login(city.users["county_officer"])
    page = client.get("/cockpit/").content.decode()
    assert 'data-code="330602"' in page and 'data-code="330603"' not in page


def test_cockpit_says_when_nothing_is_in_scope(client: Client, staff_user: User) -> None:
    client.force_login(staff_user)
    assert "您的权限范围内没有行政区划" in client.get("/cockpit/").content.decode()


def test_unknown_page_is_a_friendly_404(client: Client) -> None:
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_pages_reference_no_remote_assets(client: Client, staff_user: User) -> None:
    client.force_login(staff_user)
    for path in ["/", "/work/", "/cockpit/", "/work/login/"]:
        html = client.get(path).content.decode()
        assert "http://" not in html and "https://" not in html, path


def test_typed_errors_raised_by_views_become_pages() -> None:
    from django.test import RequestFactory

    from kuaiji.fronts.shell.middleware import ErrorFormatMiddleware
    from kuaiji.platform.core.errors import Conflict

    middleware = ErrorFormatMiddleware(lambda request: None)  # type: ignore[arg-type,return-value]
    page = middleware.process_exception(RequestFactory().get("/work/"), Conflict())
    assert page is not None and page.status_code == 409
    assert "数据已被他人修改" in page.content.decode()
    api = middleware.process_exception(RequestFactory().get("/api/v1/x"), Conflict())
    assert api is not None and api.status_code == 409
    assert middleware.process_exception(RequestFactory().get("/"), ValueError()) is None


def test_pages_forbid_inline_and_foreign_scripts(client: Client) -> None:
    policy = client.get("/")["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "object-src 'none'" in policy
    assert "frame-ancestors 'none'" in policy
