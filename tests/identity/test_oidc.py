"""Single sign-on for integrated applications: the OpenID Connect provider.

The whole flow runs against a live server with a real OIDC client library (authlib): a staff
member signs in through the work front's form, approves the consent page, the application
exchanges the code with its PKCE verifier, checks the ID token's RS256 signature against the
published JWKS and reads userinfo.
"""

from __future__ import annotations

import re
import secrets
import warnings
from collections.abc import Iterator
from contextlib import ExitStack
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests
from authlib.integrations.requests_client import OAuth2Session
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from click.testing import CliRunner
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from oauth2_provider.models import get_application_model
from oauthlib.common import Request

from kuaiji.cli import main as kuaiji_cli
from kuaiji.platform.audit.models import AuditEntry
from kuaiji.platform.directory.models import Region, Staff
from kuaiji.platform.identity.models import User
from kuaiji.platform.identity.oidc import keys
from kuaiji.platform.identity.oidc.services import register_client
from kuaiji.platform.identity.oidc.validator import KuaijiValidator
from kuaiji.platform.identity.policy import requires_second_factor
from tests.directory.city import PASSWORD, TinyCity

with warnings.catch_warnings():  # authlib.jose still works; it points new code to joserfc
    warnings.simplefilter("ignore")
    from authlib.jose import JsonWebKey, jwt
    from authlib.oidc.core import CodeIDToken

CALLBACK = "http://127.0.0.1:8765/callback"
SCOPE = "openid profile kuaiji"
DISCOVERY = "/.well-known/openid-configuration"


# --- helpers ---------------------------------------------------------------------------------


def create_client_through_cli(name: str = "排水监测系统", *extra: str) -> tuple[str, str]:
    """Register an application with `kuaiji oidc-client create`; its client id and secret."""
    result = CliRunner().invoke(
        kuaiji_cli,
        ["oidc-client", "create", "--name", name, "--redirect-uri", CALLBACK, *extra],
    )
    assert result.exit_code == 0, result.output
    found = dict(re.findall(r"^(client_id|client_secret): (\S+)$", result.output, re.MULTILINE))
    return found["client_id"], found.get("client_secret", "")


class HiddenFields(HTMLParser):
    """The hidden inputs of the consent form, as a browser would submit them."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "input" and found.get("type") == "hidden" and found.get("name"):
            self.fields[str(found["name"])] = found.get("value") or ""


def hidden_fields(page: str) -> dict[str, str]:
    parser = HiddenFields()
    parser.feed(page)
    return parser.fields


def sign_in(browser: requests.Session, base: str, username: str, next_url: str) -> str:
    """Sign in through the work front's form and follow it back to `next_url`; the page."""
    login = f"{base}/work/login/?{urlencode({'next': next_url})}"
    assert browser.get(login, timeout=30).status_code == 200
    response = browser.post(
        login,
        data={
            "csrfmiddlewaretoken": browser.cookies["csrftoken"],
            "username": username,
            "password": PASSWORD,
            "next": next_url,
        },
        timeout=30,
    )
    assert response.status_code == 200, response.text
    return response.text


def authorize_query(client_id: str, **extra: str) -> str:
    params = {
        "response_type": "code",
        "client_id": client_id,
        "redirect_uri": CALLBACK,
        "scope": SCOPE,
        "state": "s1",
        **extra,
    }
    return f"/o/authorize/?{urlencode(params)}"


def with_pkce(client_id: str) -> str:
    verifier = secrets.token_urlsafe(48)
    return authorize_query(
        client_id, code_challenge=create_s256_code_challenge(verifier), code_challenge_method="S256"
    )


def english(client: Client) -> Client:
    client.cookies["kuaiji_language"] = "en"
    return client


@pytest.fixture
def closing() -> Iterator[ExitStack]:
    """Closes the HTTP sessions a test opens, so no kept-alive connection outlives the test."""
    with ExitStack() as stack:
        yield stack


# --- discovery and endpoints -----------------------------------------------------------------


@pytest.mark.django_db
def test_discovery_lists_the_endpoints_pkce_and_rs256(client: Client) -> None:
    response = client.get(DISCOVERY)
    assert response.status_code == 200
    document = response.json()
    issuer = "http://testserver"
    assert document["issuer"] == issuer
    assert document["authorization_endpoint"] == f"{issuer}/o/authorize/"
    assert document["token_endpoint"] == f"{issuer}/o/token/"
    assert document["userinfo_endpoint"] == f"{issuer}/o/userinfo/"
    assert document["jwks_uri"] == f"{issuer}/o/.well-known/jwks.json"
    assert document["code_challenge_methods_supported"] == ["S256"]
    assert "RS256" in document["id_token_signing_alg_values_supported"]
    assert document["response_types_supported"] == ["code"]
    assert {"openid", "profile", "kuaiji"} <= set(document["scopes_supported"])
    assert {"sub", "name", "department", "roles", "region_scope"} <= set(
        document["claims_supported"]
    )
    jwks = client.get("/o/.well-known/jwks.json").json()
    assert [key["kty"] for key in jwks["keys"]] == ["RSA"]
    assert "d" not in jwks["keys"][0]  # only the public half is published


@pytest.mark.django_db
def test_provider_errors_keep_the_oauth_format(client: Client) -> None:
    """/o/ is not under /api/: the API's error middleware leaves OAuth errors alone."""
    response = client.post(
        "/o/token/", {"grant_type": "authorization_code", "code": "x", "client_id": "nobody"}
    )
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"
    assert client.get("/o/userinfo/").status_code == 401


@pytest.mark.django_db
def test_self_service_application_pages_are_not_mounted(staff_user: User) -> None:
    client = Client()
    client.force_login(staff_user)
    assert client.get("/o/applications/").status_code == 404
    assert client.get("/o/applications/register/").status_code == 404
    assert client.post("/o/introspect/", {"token": "x"}).status_code == 404


# --- the whole flow with authlib -------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_authorization_code_flow_with_pkce_through_authlib(
    live_server: Any, city: TinyCity, closing: ExitStack
) -> None:
    base = str(live_server)
    worker = city.users["grid_worker"]
    User.objects.filter(pk=worker.pk).update(display_name="王芳")
    assert not requires_second_factor(worker)
    client_id, client_secret = create_client_through_cli()
    discovery = requests.get(f"{base}{DISCOVERY}", timeout=30).json()
    assert discovery["issuer"] == base

    relying_party = closing.enter_context(
        OAuth2Session(
            client_id,
            client_secret,
            scope=SCOPE,
            redirect_uri=CALLBACK,
            code_challenge_method="S256",
        )
    )
    verifier = secrets.token_urlsafe(48)
    nonce = secrets.token_urlsafe(16)
    url, state = relying_party.create_authorization_url(
        discovery["authorization_endpoint"], code_verifier=verifier, nonce=nonce
    )
    browser = closing.enter_context(requests.Session())
    consent = sign_in(browser, base, "u_grid_worker", url.removeprefix(base))
    assert 'data-testid="oidc-consent"' in consent and "排水监测系统" in consent

    form = hidden_fields(consent)
    assert form["code_challenge_method"] == "S256" and form["nonce"] == nonce
    approved = browser.post(url, data={**form, "allow": "true"}, allow_redirects=False, timeout=30)
    assert approved.status_code == 302, approved.text
    callback = approved.headers["Location"]
    assert callback.startswith(CALLBACK)
    assert parse_qs(urlsplit(callback).query)["iss"] == [base]  # RFC 9207 mix-up defence

    token = relying_party.fetch_token(
        discovery["token_endpoint"],
        authorization_response=callback,
        state=state,
        code_verifier=verifier,
    )
    assert token["token_type"] == "Bearer" and 0 < token["expires_in"] <= 3600

    jwks = requests.get(discovery["jwks_uri"], timeout=30).json()
    claims = jwt.decode(
        token["id_token"],
        JsonWebKey.import_key_set(jwks),
        claims_cls=CodeIDToken,
        claims_options={"iss": {"essential": True, "value": discovery["issuer"]}},
        claims_params={
            "nonce": nonce,
            "client_id": client_id,
            "access_token": token["access_token"],
        },
    )
    claims.validate()  # signature checked by decode; iss, aud, nonce, exp, at_hash here
    assert claims.header["alg"] == "RS256"
    assert claims["aud"] == client_id and claims["nonce"] == nonce
    assert claims["sub"] == str(worker.pk)
    assert claims["name"] == "王芳" and claims["preferred_username"] == "u_grid_worker"
    assert claims["department"] == {"code": "330602001-OFFICE", "name": "330602001办事处"}
    assert claims["roles"] == ["grid_worker"]
    grid_region = Region.objects.get(code="330602001001")
    assert claims["region_scope"] == [
        {"kind": "grid", "code": "330602001001001", "path": grid_region.path}
    ]

    userinfo = relying_party.get(discovery["userinfo_endpoint"], timeout=30).json()
    assert userinfo["sub"] == claims["sub"] and userinfo["roles"] == ["grid_worker"]
    assert userinfo["department"]["code"] == "330602001-OFFICE"

    # Refresh tokens are rotated: the old one stops working once a new one is issued.
    refreshed = relying_party.refresh_token(discovery["token_endpoint"])
    assert refreshed["refresh_token"] != token["refresh_token"]
    replay = requests.post(
        discovery["token_endpoint"],
        data={"grant_type": "refresh_token", "refresh_token": token["refresh_token"]},
        auth=(client_id, client_secret),
        timeout=30,
    )
    assert replay.status_code == 400 and replay.json()["error"] == "invalid_grant"

    entry = AuditEntry.objects.get(action="identity.oidc.authorize")
    assert entry.actor_id == worker.pk
    assert entry.changes["client_id"] == [None, client_id]
    assert AuditEntry.objects.filter(action="identity.oidc.client.create").count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_wrong_pkce_verifier_gets_no_token(
    live_server: Any, city: TinyCity, closing: ExitStack
) -> None:
    base = str(live_server)
    client_id, client_secret = create_client_through_cli()
    relying_party = closing.enter_context(
        OAuth2Session(
            client_id,
            client_secret,
            scope=SCOPE,
            redirect_uri=CALLBACK,
            code_challenge_method="S256",
        )
    )
    url, _state = relying_party.create_authorization_url(
        f"{base}/o/authorize/", code_verifier=secrets.token_urlsafe(48)
    )
    browser = closing.enter_context(requests.Session())
    consent = sign_in(browser, base, "u_county_officer", url.removeprefix(base))
    approved = browser.post(
        url, data={**hidden_fields(consent), "allow": "true"}, allow_redirects=False, timeout=30
    )
    code = parse_qs(urlsplit(approved.headers["Location"]).query)["code"][0]
    response = requests.post(
        f"{base}/o/token/",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": CALLBACK,
            "code_verifier": secrets.token_urlsafe(48),
        },
        auth=(client_id, client_secret),
        timeout=30,
    )
    assert response.status_code == 400 and response.json()["error"] == "invalid_grant"


# --- refusals --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_authorize_without_pkce_is_refused(city: TinyCity) -> None:
    client_id, _secret = create_client_through_cli()
    client = Client()
    client.force_login(city.users["county_officer"])
    for query in (
        authorize_query(client_id),
        authorize_query(client_id, code_challenge="x" * 43, code_challenge_method="plain"),
    ):
        response = client.get(query)
        assert response.status_code == 302
        answer = parse_qs(urlsplit(response["Location"]).query)
        assert answer["error"] == ["invalid_request"] and "code" not in answer
    assert not AuditEntry.objects.filter(action="identity.oidc.authorize").exists()


@pytest.mark.django_db
def test_unknown_redirect_uri_is_refused_on_a_page(city: TinyCity) -> None:
    client_id, _secret = create_client_through_cli()
    client = english(Client())
    client.force_login(city.users["county_officer"])
    query = with_pkce(client_id).replace("127.0.0.1", "evil.example")
    response = client.get(query)
    assert response.status_code == 400
    assert "This sign-in request cannot be accepted" in response.content.decode()


@pytest.mark.django_db
def test_anonymous_visitors_sign_in_first(city: TinyCity) -> None:
    client_id, _secret = create_client_through_cli()
    response = Client().get(with_pkce(client_id))
    assert response.status_code == 302
    assert response["Location"].startswith("/work/login/?next=/o/authorize/")


@pytest.mark.django_db
def test_citizens_cannot_authorise(citizen_user: User, city: TinyCity) -> None:
    client_id, _secret = create_client_through_cli()
    client = english(Client())
    client.force_login(citizen_user)
    response = client.get(with_pkce(client_id))
    assert response.status_code == 403
    assert "Only government staff can sign in to integrated applications" in (
        response.content.decode()
    )
    assert not AuditEntry.objects.filter(action="identity.oidc.authorize").exists()


@pytest.mark.unverified
@pytest.mark.django_db
def test_privileged_staff_prove_the_second_factor_before_consent(city: TinyCity) -> None:
    client_id, _secret = create_client_through_cli()
    admin = city.users["directory_admin"]
    assert requires_second_factor(admin)
    client = english(Client())
    client.force_login(admin)
    query = with_pkce(client_id)
    response = client.get(query)
    assert response.status_code == 302
    verify = response["Location"]
    assert verify.startswith("/work/security/verify/")
    assert parse_qs(urlsplit(verify).query)["next"] == [query]


@pytest.mark.django_db
def test_privileged_staff_with_the_second_factor_see_the_consent_page(city: TinyCity) -> None:
    client_id, _secret = create_client_through_cli()
    client = english(Client())
    client.force_login(city.users["directory_admin"])  # proves the second factor (conftest)
    response = client.get(with_pkce(client_id))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Sign in to 排水监测系统?" in page and 'name="csrfmiddlewaretoken"' in page


@pytest.mark.django_db
def test_cancel_sends_access_denied_and_records_nothing(city: TinyCity) -> None:
    client_id, _secret = create_client_through_cli()
    client = Client()
    client.force_login(city.users["county_officer"])
    query = with_pkce(client_id)
    form = hidden_fields(client.get(query).content.decode())
    form.pop("csrfmiddlewaretoken", None)
    response = client.post(query, form)
    assert response.status_code == 302
    assert parse_qs(urlsplit(response["Location"]).query)["error"] == ["access_denied"]
    assert not AuditEntry.objects.filter(action="identity.oidc.authorize").exists()


# --- claims ----------------------------------------------------------------------------------


def oauthlib_request(user: User, scopes: list[str]) -> Request:
    request = Request("https://testserver/o/userinfo/")
    request.user = user
    request.scopes = scopes
    return request


@pytest.mark.django_db
def test_claims_follow_the_granted_scopes(city: TinyCity) -> None:
    validator = KuaijiValidator()
    officer = city.users["county_officer"]
    assert validator.get_oidc_claims(None, None, oauthlib_request(officer, ["openid"])) == {
        "sub": str(officer.pk)
    }
    profile = validator.get_oidc_claims(
        None, None, oauthlib_request(officer, ["openid", "profile"])
    )
    assert profile == {
        "sub": str(officer.pk),
        "name": "u_county_officer",
        "preferred_username": "u_county_officer",
    }
    everything = validator.get_oidc_claims(
        None, None, oauthlib_request(officer, ["openid", "kuaiji"])
    )
    assert "department" not in everything  # no staff record linked to this account
    assert everything["roles"] == ["county_officer"]
    assert everything["region_scope"] == [
        {"kind": "region", "code": "330602", "path": "330600/330602/"}
    ]


@pytest.mark.django_db
def test_department_grants_and_superusers_in_the_region_scope(
    city: TinyCity, admin_user: User
) -> None:
    validator = KuaijiValidator()
    officer = city.users["department_officer"]
    Staff.objects.filter(employee_no="E002").update(user=officer)
    claims = validator.get_oidc_claims(None, None, oauthlib_request(officer, ["openid", "kuaiji"]))
    assert claims["department"] == {"code": "330602-SCJ", "name": "西区市场监管局"}
    assert [scope["kind"] for scope in claims["region_scope"]] == ["department"]
    assert claims["region_scope"][0]["code"] == "330602-SCJ"
    root = validator.get_oidc_claims(None, None, oauthlib_request(admin_user, ["kuaiji"]))
    assert root["region_scope"] == [{"kind": "all", "code": "*", "path": ""}]


# --- registering clients ---------------------------------------------------------------------


@pytest.mark.django_db
def test_cli_registers_a_confidential_client_and_shows_the_secret_once() -> None:
    client_id, secret = create_client_through_cli("办公自动化")
    application = get_application_model().objects.get(client_id=client_id)
    assert application.client_type == "confidential"
    assert application.authorization_grant_type == "authorization-code"
    assert application.algorithm == "RS256"
    assert application.client_secret != secret and check_password(secret, application.client_secret)
    entry = AuditEntry.objects.get(action="identity.oidc.client.create")
    assert entry.changes["client_id"] == [None, client_id]
    assert secret not in str(entry.changes)


@pytest.mark.django_db
def test_cli_registers_a_public_client_without_a_secret() -> None:
    client_id, secret = create_client_through_cli("移动端", "--public")
    assert secret == ""
    assert get_application_model().objects.get(client_id=client_id).client_type == "public"


@pytest.mark.django_db
def test_cli_refuses_a_bad_redirect_uri() -> None:
    result = CliRunner().invoke(
        kuaiji_cli, ["oidc-client", "create", "--name", "x", "--redirect-uri", "ftp://a.example/"]
    )
    assert result.exit_code == 1
    assert "redirect_uris" in result.output
    assert not get_application_model().objects.exists()


@pytest.mark.django_db
def test_only_administrators_register_clients(staff_user: User) -> None:
    from kuaiji.platform.core.errors import Forbidden

    with pytest.raises(Forbidden):
        register_client(actor=staff_user, name="x", redirect_uris=[CALLBACK])


@pytest.mark.django_db
def test_admin_console_registers_and_audits_clients(admin_user: User) -> None:
    client = Client()
    client.force_login(admin_user)  # with the second factor proven (conftest)
    add = "/admin/oauth2_provider/application/add/"
    add_page = client.get(add)
    assert add_page.status_code == 200
    assert '<option value="RS256" selected>' in add_page.content.decode()
    response = client.post(
        add,
        {
            "client_id": "intranet-portal",
            "redirect_uris": "https://portal.example.gov.cn/callback",
            "post_logout_redirect_uris": "",
            "allowed_origins": "",
            "client_type": "confidential",
            "authorization_grant_type": "authorization-code",
            "client_secret": "a-secret-copied-before-saving",
            "hash_client_secret": "on",
            "name": "内网门户",
            "algorithm": "RS256",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    application = get_application_model().objects.get(client_id="intranet-portal")
    entry = AuditEntry.objects.get(action="identity.oidc.client.create")
    assert entry.actor_id == admin_user.pk and entry.object_id == str(application.pk)
    change = f"/admin/oauth2_provider/application/{application.pk}/change/"
    form = {
        "client_id": "intranet-portal",
        "redirect_uris": "https://portal.example.gov.cn/callback https://portal.example.gov.cn/cb2",
        "post_logout_redirect_uris": "",
        "allowed_origins": "",
        "client_type": "confidential",
        "authorization_grant_type": "authorization-code",
        "client_secret": application.client_secret,
        "hash_client_secret": "on",
        "name": "内网门户",
        "algorithm": "RS256",
    }
    assert client.post(change, form).status_code == 302
    update = AuditEntry.objects.get(action="identity.oidc.client.update")
    assert list(update.changes) == ["redirect_uris"]
    assert client.post(change, {**form, "client_secret": "a-new-secret-0123"}).status_code == 302
    renewed = AuditEntry.objects.filter(action="identity.oidc.client.update").latest("sequence")
    assert renewed.changes == {"client_secret": ["(changed)", "(changed)"]}
    assert client.post(f"{change[: -len('change/')]}delete/", {"post": "yes"}).status_code == 302
    assert AuditEntry.objects.filter(action="identity.oidc.client.delete").count() == 1


@pytest.mark.unverified
@pytest.mark.django_db
def test_admin_console_asks_for_the_second_factor(admin_user: User) -> None:
    client = Client()
    client.force_login(admin_user)
    response = client.get("/admin/oauth2_provider/application/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


# --- the signing key -------------------------------------------------------------------------


def test_signing_key_is_generated_once_and_kept_private(tmp_path: Path) -> None:
    path = tmp_path / "oidc-rsa.pem"
    pem = keys.private_key_pem(path, True)
    assert pem.startswith("-----BEGIN PRIVATE KEY-----")
    assert path.stat().st_mode & 0o077 == 0
    keys.private_key_pem.cache_clear()
    assert keys.private_key_pem(path, True) == pem


def test_production_requires_the_signing_key_file(tmp_path: Path) -> None:
    path = tmp_path / "missing.pem"
    lazy_key = keys.lazy_private_key(path, generate=False)  # naming it reads nothing yet
    with pytest.raises(ImproperlyConfigured, match="KUAIJI_OIDC_KEY_FILE"):
        str(lazy_key)
    assert not path.exists()
