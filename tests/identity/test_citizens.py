"""Accounts of citizens and enterprise operators: registration with a validated identity number
(or credit code), sign-in by phone, real-name levels verified by staff in their scope, and the
masked profile. Personal data never rests or shows in plain text."""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

import pytest
from axes.models import AccessAttempt, AccessLog
from django.db import connection
from django.test import Client
from django.utils import translation

from kuaiji.platform.access.models import RoleGrant
from kuaiji.platform.access.services import grant_roles, save_role
from kuaiji.platform.audit.models import AuditEntry
from kuaiji.platform.core.actors import SYSTEM
from kuaiji.platform.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from kuaiji.platform.core.personal import PersonalKind, blind_index
from kuaiji.platform.directory.demo_city.enterprises import organisation_code
from kuaiji.platform.directory.identifiers import credit_code_from, id_number_from
from kuaiji.platform.directory.models import Citizen, Enterprise, Region
from kuaiji.platform.directory.records import CitizenRecord, EnterpriseRecord
from kuaiji.platform.directory.services import upsert_citizens, upsert_enterprises
from kuaiji.platform.identity.backends import PhoneBackend, phone_credentials
from kuaiji.platform.identity.models import AccountKind, RealNameLevel, User
from kuaiji.platform.identity.registration.selectors import awaiting_verification, profile_of
from kuaiji.platform.identity.registration.services import (
    register_citizen,
    register_enterprise_operator,
    update_profile,
    verify_real_name,
)
from tests.directory.city import TinyCity

pytestmark = pytest.mark.django_db

BACKEND = f"{PhoneBackend.__module__}.{PhoneBackend.__name__}"
ID_NUMBER = id_number_from("330602", "19900101", 123)
WRONG_CHECK_DIGIT = ID_NUMBER[:-1] + ("0" if ID_NUMBER[-1] != "0" else "1")
PHONE = "13912345678"
PASSWORD = "Shaoxing-citizen-2026"
CREDIT_CODE = credit_code_from("330602", organisation_code(random.Random(7)))  # noqa: S311
SIGN_IN = "/account/sign-in/"


def english() -> Client:
    client = Client()
    client.cookies["kuaiji_language"] = "en"
    return client


def register(**overrides: str) -> User:
    values = {
        "name": "王芳",
        "id_number": ID_NUMBER,
        "phone": PHONE,
        "password": PASSWORD,
        "region_code": "330602001",
        "address": "塔山街道府山社区3幢2单元",
    }
    return register_citizen(**{**values, **overrides})


def register_operator(**overrides: str) -> User:
    values = {
        "name": "赵磊",
        "id_number": id_number_from("330602", "19850505", 456),
        "phone": "13700001111",
        "password": PASSWORD,
        "credit_code": CREDIT_CODE,
        "enterprise_name": "绍兴市越城区鉴湖纺织有限公司",
        "legal_representative": "赵国强",
        "industry_code": "C",
        "scale": "small",
        "region_code": "330602002",
    }
    return register_enterprise_operator(**{**values, **overrides})


def counts() -> tuple[int, int, int, int]:
    return (
        User.objects.count(),
        Citizen.objects.count(),
        Enterprise.objects.count(),
        AuditEntry.objects.count(),
    )


def everything_stored() -> str:
    """Every row of every table, as the database holds it."""
    rows = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            rows.extend(cursor.fetchall())
    return str(rows)


def sign_in(client: Client, phone: str, password: str = PASSWORD) -> Any:
    return client.post(SIGN_IN, {"username": phone, "password": password})


@pytest.fixture
def verifier_role() -> Iterator[Any]:
    yield save_role(
        actor=SYSTEM,
        code="real_name_verifier",
        name="实名核验员",
        permissions=["identity.real_name.verify", "directory.citizen.view"],
    )


def verifier(username: str, region_code: str, role: Any) -> User:
    user = User.objects.create_user(username, password=PASSWORD, is_staff=True)
    region = Region.objects.get(code=region_code)
    grant_roles(actor=SYSTEM, grants=[RoleGrant(user=user, role=role, region=region)])
    return user


# Registration


def test_a_citizen_registers_with_a_valid_identity_number(city: TinyCity) -> None:
    user = register()
    assert user.kind == AccountKind.CITIZEN
    assert user.real_name_level == RealNameLevel.SELF_DECLARED
    assert user.display_name == "王芳" and not user.is_staff
    assert PHONE not in user.username and ID_NUMBER not in user.username
    assert user.password.startswith("argon2") and user.check_password(PASSWORD)
    citizen = Citizen.objects.get(user=user)
    assert (citizen.id_number, citizen.phone) == (ID_NUMBER, PHONE)
    assert citizen.region is not None and citizen.region.code == "330602001"
    assert citizen.phone_index == blind_index(PersonalKind.PHONE, PHONE)
    entry = AuditEntry.objects.get(action="identity.user.register")
    assert entry.actor_id == user.pk and entry.region_path == "330600/330602/330602001/"
    assert entry.changes["real_name_level"] == [None, "self_declared"]


def test_an_invalid_identity_number_is_refused_and_nothing_written(city: TinyCity) -> None:
    before = counts()
    with pytest.raises(InvalidInput) as refused:
        register(id_number=WRONG_CHECK_DIGIT)
    assert set(refused.value.fields) == {"id_number"}
    assert counts() == before
    page = english().post(
        "/account/register/",
        {
            "name": "王芳",
            "id_number": WRONG_CHECK_DIGIT,
            "phone": PHONE,
            "region_code": "330602001",
            "password": PASSWORD,
            "password_again": PASSWORD,
        },
    )
    assert page.status_code == 400
    assert "This is not a valid resident identity number" in page.content.decode()
    assert counts() == before


def test_every_problem_of_a_registration_is_reported_at_once(city: TinyCity) -> None:
    with pytest.raises(InvalidInput) as refused:
        register(id_number="123", phone="12345", password="short", region_code="999999")
    assert set(refused.value.fields) == {"id_number", "phone", "password"}
    with pytest.raises(InvalidInput) as unknown_region:
        register(region_code="330699001")
    assert set(unknown_region.value.fields) == {"region_code"}
    assert not User.objects.filter(kind=AccountKind.CITIZEN).exists()


def test_an_identity_number_registers_once(city: TinyCity) -> None:
    register()
    before = counts()
    with pytest.raises(Conflict) as refused:
        register(phone="13600000000")
    with translation.override("en"):
        assert "already registered" in str(refused.value.message)
    assert counts() == before
    page = english().post(
        "/account/register/",
        {
            "name": "王芳",
            "id_number": ID_NUMBER.lower(),
            "phone": "13600000000",
            "region_code": "330602001",
            "password": PASSWORD,
            "password_again": PASSWORD,
        },
    )
    assert page.status_code == 409
    assert "already registered with this identity number" in page.content.decode()
    assert counts() == before


def test_a_phone_number_signs_in_one_account_only(city: TinyCity) -> None:
    register()
    before = counts()
    with pytest.raises(Conflict) as refused:
        register(name="李强", id_number=id_number_from("330602", "19920202", 111))
    assert set(refused.value.fields) == {"phone"}
    assert counts() == before


def test_a_person_recorded_by_staff_claims_their_record(city: TinyCity) -> None:
    upsert_citizens(
        actor=SYSTEM,
        records=[
            CitizenRecord(
                name="王芳",
                id_number=ID_NUMBER,
                phone="13800009999",
                address="府山街道1号",
                region_code="330602001001",
            )
        ],
    )
    with pytest.raises(InvalidInput) as other_name:
        register(name="王小芳")
    assert set(other_name.value.fields) == {"name"}
    user = register(address="", region_code="")
    citizen = Citizen.objects.get()
    assert citizen.user == user and citizen.phone == PHONE
    assert citizen.address == "府山街道1号" and citizen.region is not None
    assert citizen.region.code == "330602001001", "the recorded residence is kept"


# Signing in


def test_a_citizen_signs_in_with_phone_and_password(city: TinyCity) -> None:
    user = register()
    client = english()
    wrong = sign_in(client, PHONE, "Wrong-password-1")
    assert wrong.status_code == 400
    assert "The phone number or the password is wrong." in wrong.content.decode()
    assert sign_in(client, "13000000000").status_code == 400
    right = sign_in(client, "139 1234 5678")
    assert right.status_code == 302 and right["Location"] == "/account/"
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.session["_auth_user_backend"] == BACKEND
    assert client.get("/account/").status_code == 200
    assert client.post("/account/sign-out/").status_code == 302
    assert client.get("/account/")["Location"].startswith(SIGN_IN)


def test_phone_sign_in_is_locked_after_five_failures(city: TinyCity) -> None:
    register()
    client = english()
    for _attempt in range(4):
        assert sign_in(client, PHONE, "Wrong-password-1").status_code == 400
    assert sign_in(client, PHONE, "Wrong-password-1").status_code == 429
    assert sign_in(client, PHONE).status_code == 429
    assert "_auth_user_id" not in client.session


def test_staff_usernames_do_not_sign_in_on_the_phone_backend(
    city: TinyCity, staff_user: User
) -> None:
    assert PhoneBackend().authenticate(None, username="officer", password="x") is None
    assert english().post(SIGN_IN, {"username": "officer", "password": "x"}).status_code == 400
    credentials = phone_credentials(PHONE, PASSWORD)
    assert credentials["username"].startswith("phone:") and PHONE not in credentials["username"]


# Personal data at rest and on screen


def test_personal_data_and_passwords_never_rest_in_plain_text(city: TinyCity) -> None:
    register()
    operator_id = id_number_from("330602", "19850505", 456)
    register_operator(id_number=operator_id)
    client = english()
    assert sign_in(client, PHONE).status_code == 302
    client.post(
        "/account/",
        {"phone": "13512345678", "address": "新地址路8号", "current_password": PASSWORD},
    )
    assert sign_in(english(), "13700001111", "Wrong-password-1").status_code == 400
    assert AccessLog.objects.exists() and AccessAttempt.objects.exists(), "django-axes kept both"
    stored = everything_stored()
    for secret in (ID_NUMBER, PHONE, "13512345678", operator_id, "13700001111", PASSWORD):
        assert secret not in stored, secret
    assert "新地址路8号" not in stored and "塔山街道府山社区3幢2单元" not in stored


def test_the_profile_shows_personal_data_masked(city: TinyCity) -> None:
    client = english()
    register()
    sign_in(client, PHONE)
    page = client.get("/account/").content.decode()
    assert ID_NUMBER not in page and PHONE not in page
    assert "330***********" + ID_NUMBER[-4:] in page
    assert "139****5678" in page
    assert "real name self-declared" in page
    assert "塔山街道府山****" in page and "3幢2单元" not in page


# Enterprise operators


def test_an_operator_registers_a_new_enterprise(city: TinyCity) -> None:
    user = register_operator()
    assert user.kind == AccountKind.ENTERPRISE_OPERATOR
    assert user.real_name_level == RealNameLevel.SELF_DECLARED
    enterprise = Enterprise.objects.get(credit_code=CREDIT_CODE)
    assert list(enterprise.operators.all()) == [user]
    assert enterprise.region.code == "330602", "recorded where the credit code was issued"
    assert (enterprise.legal_representative, enterprise.industry_code) == ("赵国强", "C")
    assert AuditEntry.objects.filter(action="directory.enterprise.operator.add").exists()
    client = english()
    sign_in(client, "13700001111")
    page = client.get("/account/").content.decode()
    assert "绍兴市越城区鉴湖纺织有限公司" in page and CREDIT_CODE in page


def test_an_operator_registers_through_the_enterprise_tab(city: TinyCity) -> None:
    client = english()
    form = client.get("/account/register/enterprise/").content.decode()
    assert 'name="credit_code"' in form and 'name="csrfmiddlewaretoken"' in form
    response = client.post(
        "/account/register/enterprise/",
        {
            "name": "赵磊",
            "id_number": id_number_from("330602", "19850505", 456),
            "phone": "13700001111",
            "region_code": "330602002",
            "enterprise_name": "鉴湖纺织",
            "credit_code": CREDIT_CODE.lower(),
            "legal_representative": "赵国强",
            "industry_code": "C",
            "scale": "small",
            "password": PASSWORD,
            "password_again": PASSWORD,
        },
    )
    assert response.status_code == 302 and response["Location"] == SIGN_IN
    assert Enterprise.objects.get(credit_code=CREDIT_CODE).operators.get().kind == (
        AccountKind.ENTERPRISE_OPERATOR
    )


def test_an_operator_joins_a_known_enterprise_under_its_recorded_name(city: TinyCity) -> None:
    upsert_enterprises(
        actor=SYSTEM,
        records=[
            EnterpriseRecord(
                credit_code=CREDIT_CODE,
                name="鉴湖纺织",
                legal_representative="钱多多",
                industry_code="C17",
                region_code="330603",
                scale="medium",
            )
        ],
    )
    before = counts()
    with pytest.raises(InvalidInput) as misnamed:
        register_operator(enterprise_name="别的公司")
    assert set(misnamed.value.fields) == {"enterprise_name"}
    assert counts() == before
    user = register_operator(enterprise_name="鉴湖纺织", legal_representative="", scale="")
    enterprise = Enterprise.objects.get()
    assert list(enterprise.operators.all()) == [user]
    assert (enterprise.legal_representative, enterprise.scale) == ("钱多多", "medium")


def test_an_invalid_credit_code_is_refused_and_nothing_written(city: TinyCity) -> None:
    before = counts()
    broken = CREDIT_CODE[:-1] + ("0" if CREDIT_CODE[-1] != "0" else "1")
    with pytest.raises(InvalidInput) as refused:
        register_operator(credit_code=broken)
    assert set(refused.value.fields) == {"credit_code"}
    with pytest.raises(InvalidInput) as incomplete:
        register_operator(legal_representative="", industry_code="Z", scale="huge")
    assert set(incomplete.value.fields) == {"legal_representative", "industry_code", "scale"}
    assert counts() == before


# Real-name verification by staff


def test_staff_verify_a_real_name_in_their_region(city: TinyCity, verifier_role: Any) -> None:
    citizen = register()
    officer = verifier("verifier_west", "330602", verifier_role)
    assert list(awaiting_verification(officer).values_list("user", flat=True)) == [citizen.pk]
    verify_real_name(actor=officer, user=citizen)
    citizen.refresh_from_db()
    assert citizen.real_name_level == RealNameLevel.VERIFIED
    entry = AuditEntry.objects.get(action="identity.user.verify_real_name")
    assert entry.actor_id == officer.pk and entry.object_id == str(citizen.pk)
    assert entry.changes == {"real_name_level": ["self_declared", "verified"]}
    assert entry.region_path == "330600/330602/330602001/"
    verify_real_name(actor=officer, user=citizen)
    assert AuditEntry.objects.filter(action="identity.user.verify_real_name").count() == 1
    assert not awaiting_verification(officer).exists()
    profile = profile_of(citizen)
    assert profile is not None and profile.real_name_level == RealNameLevel.VERIFIED


def test_staff_outside_the_region_cannot_verify(city: TinyCity, verifier_role: Any) -> None:
    citizen = register()
    officer = verifier("verifier_east", "330603", verifier_role)
    assert not awaiting_verification(officer).exists()
    with pytest.raises(NotFound) as refused:
        verify_real_name(actor=officer, user=citizen)
    assert refused.value.status == 404
    with pytest.raises(NotFound):
        verify_real_name(actor=city.users["grid_worker"], user=citizen)  # no permission
    citizen.refresh_from_db()
    assert citizen.real_name_level == RealNameLevel.SELF_DECLARED
    assert not AuditEntry.objects.filter(action="identity.user.verify_real_name").exists()


def test_nobody_verifies_themselves(city: TinyCity, admin_user: User, verifier_role: Any) -> None:
    citizen = register()
    region = Region.objects.get(code="330602")
    grant_roles(actor=SYSTEM, grants=[RoleGrant(user=citizen, role=verifier_role, region=region)])
    with pytest.raises(Forbidden):
        verify_real_name(actor=citizen, user=citizen)
    with pytest.raises(NotFound):
        verify_real_name(actor=admin_user, user=admin_user)  # no directory record


# The profile


def test_a_new_phone_number_signs_in_from_then_on(city: TinyCity) -> None:
    user = register()
    update_profile(actor=user, user=user, phone="135-1234-5678", address="新地址路8号")
    citizen = Citizen.objects.get(user=user)
    assert citizen.phone == "13512345678" and citizen.address == "新地址路8号"
    assert citizen.phone_index == blind_index(PersonalKind.PHONE, "13512345678")
    entry = AuditEntry.objects.get(action="identity.user.update_profile")
    assert entry.changes["phone"] == ["139****5678", "135****5678"]
    assert sign_in(english(), PHONE).status_code == 400
    assert sign_in(english(), "13512345678").status_code == 302


def test_the_profile_form_checks_password_and_phone(city: TinyCity) -> None:
    user = register()
    register(name="李强", id_number=id_number_from("330602", "19920202", 111), phone="13611112222")
    client = english()
    client.force_login(user)
    wrong = client.post("/account/", {"phone": "13512345678", "current_password": "nope"})
    assert wrong.status_code == 400 and "The password is wrong." in wrong.content.decode()
    taken = client.post("/account/", {"phone": "13611112222", "current_password": PASSWORD})
    assert taken.status_code == 409
    assert "already registered with another account" in taken.content.decode()
    saved = client.post("/account/", {"address": "新地址路8号", "current_password": PASSWORD})
    assert saved.status_code == 302
    assert Citizen.objects.get(user=user).phone == PHONE


def test_only_the_person_changes_their_profile(city: TinyCity, admin_user: User) -> None:
    user = register()
    with pytest.raises(NotFound):
        update_profile(actor=admin_user, user=user, phone="13512345678")


# The service front's menu


def test_the_menu_follows_whether_the_visitor_signed_in(city: TinyCity) -> None:
    client = english()
    page = client.get("/").content.decode()
    assert 'href="/account/sign-in/"' in page and 'href="/account/register/"' in page
    assert 'href="/account/"' not in page
    client.force_login(register())
    page = client.get("/").content.decode()
    assert 'href="/account/"' in page and 'href="/account/sign-in/"' not in page
    assert "王芳" in page, "the signed-in person's name in the top bar"


def test_staff_verify_real_names_on_the_work_front(city: TinyCity) -> None:
    citizen = register()
    officer = city.users["township_officer"]  # 330602001, where the citizen lives
    client = Client()
    client.force_login(officer)
    page = client.get("/work/accounts/real-name/")
    html = page.content.decode()
    assert page.status_code == 200 and "王*" in html and ID_NUMBER not in html
    record = Citizen.objects.get(user=citizen)
    assert client.post(f"/work/accounts/real-name/{record.pk}/verify/").status_code == 302
    citizen.refresh_from_db()
    assert citizen.real_name_level == RealNameLevel.VERIFIED
    outsider = Client()
    outsider.force_login(city.users["grid_worker"])
    assert outsider.get("/work/accounts/real-name/").status_code == 403
