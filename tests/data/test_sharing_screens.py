"""The data sharing screens of the work front: apply, the lists, a grant and revoking it."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from kuaiji.platform.data.models import DataResource, Grant, RequestStatus, SharingRequest
from kuaiji.platform.identity.models import User
from tests.data.sharing_story import apply_for, consumer, decide
from tests.directory.city import TinyCity

pytestmark = pytest.mark.django_db


def signed_in(user: User) -> Client:
    client = Client()
    client.cookies["kuaiji_language"] = "en"
    client.force_login(user)
    return client


def test_apply_form(city: TinyCity, entities: DataResource) -> None:
    client = signed_in(consumer())
    url = reverse("workbench:data_sharing:apply", args=[entities.code])
    page = client.get(url)
    assert page.status_code == 200
    content = page.content.decode()
    assert 'value="legal_person_phone"' in content and "4" in content
    refused = client.post(url, {"purpose": "抽查", "legal_basis": "条例", "period_days": "30"})
    assert refused.status_code == 400
    assert 'data-testid="form-error"' in refused.content.decode()
    done = client.post(
        url,
        {
            "fields": ["name", "capital"],
            "purpose": "抽查",
            "legal_basis": "条例",
            "period_days": "30",
        },
    )
    assert done.status_code == 302
    assert done["Location"] == reverse("workbench:data_sharing:list")
    request = SharingRequest.objects.get()
    assert request.fields == ["name", "capital"] and request.period_days == 30
    listed = client.get(reverse("workbench:data_sharing:list")).content.decode()
    assert f'data-testid="request-{request.pk}"' in listed
    assert reverse("workbench:chains:instance", args=[request.chain_id]) in listed


def test_grant_screens_and_revoke(city: TinyCity, entities: DataResource) -> None:
    reader = consumer()
    request = decide(city, apply_for(reader, entities, ["name"]))
    assert request.status == RequestStatus.GRANTED
    grant = Grant.objects.get(request=request)
    signed_in(reader).get(f"/api/v1/data/resources/{entities.code}/rows")

    provider = signed_in(city.users["department_officer"])
    listed = provider.get(reverse("workbench:data_sharing:list")).content.decode()
    assert f'data-testid="grant-{grant.pk}"' in listed
    url = reverse("workbench:data_sharing:grant", args=[grant.pk])
    page = provider.get(url).content.decode()
    assert 'data-testid="revoke-form"' in page and "1 calls, 3 rows" in page

    consumer_page = signed_in(reader).get(url).content.decode()
    assert 'data-testid="revoke-form"' not in consumer_page
    assert signed_in(reader).post(url, {"reason": "x"}).status_code == 404
    assert provider.post(url, {"reason": ""}).status_code == 400
    assert provider.post(url, {"reason": "整改"}).status_code == 302
    grant.refresh_from_db()
    assert grant.revoked_at is not None and grant.revoke_reason == "整改"
    assert 'data-testid="revoked"' in provider.get(url).content.decode()


def test_others_cannot_open_a_grant(city: TinyCity, entities: DataResource) -> None:
    request = decide(city, apply_for(consumer(), entities, ["name"]))
    grant = Grant.objects.get(request=request)
    url = reverse("workbench:data_sharing:grant", args=[grant.pk])
    assert signed_in(city.users["county_officer"]).get(url).status_code == 404
    assert signed_in(city.users["grid_worker"]).get(url).status_code == 403
    assert Client().get(url).status_code == 302  # to sign in
