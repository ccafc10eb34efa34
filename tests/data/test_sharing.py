"""Sharing requests on the data_sharing chain: apply, approve, grant, reject, withdraw, revoke,
and the whole story through the data API."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from kuaiji.platform.audit.models import AuditEntry
from kuaiji.platform.audit.verify import verify_chain
from kuaiji.platform.chains import services as chains
from kuaiji.platform.chains.models import InstanceStatus
from kuaiji.platform.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from kuaiji.platform.data import calls, services, sharing
from kuaiji.platform.data.models import DataCall, DataResource, Grant, RequestStatus
from tests.data.conftest import ENTITIES, market_entities, put_rows
from tests.data.sharing_story import apply_for, consumer, decide, officer_of, open_task
from tests.directory.city import TinyCity

pytestmark = pytest.mark.django_db

FIELDS = ["credit_code", "name", "capital"]


def test_apply_starts_the_chain_for_the_providers_officers(
    city: TinyCity, entities: DataResource
) -> None:
    applicant = consumer()
    request = apply_for(applicant, entities, ["name", "credit_code"])
    assert request.status == RequestStatus.PENDING
    assert request.department.code == "330603-SCJ"
    assert request.fields == ["credit_code", "name"]  # schema order
    assert request.chain is not None
    assert request.chain.business_type == sharing.BUSINESS_TYPE
    task = open_task(request, "provider_approval")
    provider = city.users["department_officer"]
    assert task.candidate_key == f"department_officer@department:{entities.department_id}"
    # the consumer's own officer cannot act on the provider's step
    with pytest.raises(NotFound):
        chains.complete(actor=applicant, task=task.pk, form={"decision": "approve"})
    assert provider is not None
    assert AuditEntry.objects.filter(action="data.sharing.apply").exists()


def test_apply_rules(city: TinyCity, entities: DataResource) -> None:
    applicant = consumer()
    with pytest.raises(InvalidInput):
        apply_for(applicant, entities, ["no_such_field"])
    with pytest.raises(InvalidInput):
        apply_for(applicant, entities, [])
    with pytest.raises(InvalidInput):
        apply_for(applicant, entities, ["name"], period_days=0)
    with pytest.raises(InvalidInput):  # the owner does not apply for its own data
        apply_for(city.users["department_officer"], entities, ["name"])
    with pytest.raises(Forbidden):  # grid workers may not apply
        apply_for(city.users["grid_worker"], entities, ["name"])
    apply_for(applicant, entities, ["name"])
    with pytest.raises(Conflict):  # one pending request per department and resource
        apply_for(officer_of("330603-SCJ", "u_colleague"), entities, ["capital"])


def test_unconditional_resources_only_for_restricted_fields(city: TinyCity) -> None:
    resource = services.register_resource(
        actor=city.users["department_officer"],
        resource=market_entities(code="open-entities", sharing="unconditional"),
    )
    applicant = consumer()
    with pytest.raises(InvalidInput):
        apply_for(applicant, resource, ["name"])
    request = apply_for(applicant, resource, ["legal_person_phone"])
    assert request.fields == ["legal_person_phone"]


def test_not_shared_resources_cannot_be_applied_for(city: TinyCity) -> None:
    resource = services.register_resource(
        actor=city.users["department_officer"],
        resource=market_entities(
            code="closed-entities",
            sharing="not_shared",
            opening="not_open",
            sharing_basis="涉及商业秘密",
        ),
    )
    with pytest.raises(InvalidInput):
        apply_for(consumer(), resource, ["name"])


def test_approval_makes_a_grant(city: TinyCity, entities: DataResource) -> None:
    request = decide(city, apply_for(consumer(), entities, FIELDS, period_days=30))
    assert request.status == RequestStatus.GRANTED
    assert request.decided_at is not None
    grant = Grant.objects.get(request=request)
    assert grant.fields == FIELDS
    assert grant.department_id == request.department_id
    assert grant.purpose == request.purpose
    assert grant.expires_at - grant.starts_at == timedelta(days=30)
    assert grant.is_live()


@pytest.mark.parametrize(("provider", "security"), [("reject", ""), ("approve", "reject")])
def test_rejection_in_either_step(
    city: TinyCity, entities: DataResource, provider: str, security: str
) -> None:
    request = decide(
        city, apply_for(consumer(), entities, FIELDS), provider=provider, security=security
    )
    assert request.status == RequestStatus.REJECTED
    assert request.decided_at is not None
    assert not Grant.objects.filter(request=request).exists()


def test_withdraw_while_pending(city: TinyCity, entities: DataResource) -> None:
    applicant = consumer()
    request = apply_for(applicant, entities, FIELDS)
    with pytest.raises(NotFound):  # only the applicant
        sharing.withdraw(actor=city.users["department_officer"], request=request, reason="x")
    request = sharing.withdraw(actor=applicant, request=request, reason="不再需要")
    assert request.status == RequestStatus.WITHDRAWN
    assert request.chain is not None
    request.chain.refresh_from_db()
    assert request.chain.status == InstanceStatus.WITHDRAWN
    with pytest.raises(Conflict):
        sharing.withdraw(actor=applicant, request=request, reason="again")
    apply_for(applicant, entities, FIELDS)  # a new request may follow


def test_revoke_by_the_provider_only(city: TinyCity, entities: DataResource) -> None:
    request = decide(city, apply_for(consumer(), entities, FIELDS))
    grant = Grant.objects.get(request=request)
    with pytest.raises(NotFound):
        sharing.revoke(actor=consumer("u_other"), grant=grant, reason="x")
    revoked = sharing.revoke(
        actor=city.users["department_officer"], grant=grant, reason="到期前收回"
    )
    assert revoked.revoked_at is not None and not revoked.is_live()
    assert revoked.revoked_by == city.users["department_officer"]
    assert AuditEntry.objects.filter(action="data.grant.revoke", object_id=str(grant.pk)).exists()
    with pytest.raises(Conflict):
        sharing.revoke(actor=city.users["department_officer"], grant=revoked, reason="again")


def test_the_whole_story(city: TinyCity) -> None:
    """A registers a conditional resource with rows, B applies, A approves, security passes,
    B reads through the API with the level-4 field masked, naming it is refused, the call is
    logged and sealed, the audit chain verifies; revoked, B is refused."""
    provider = city.users["department_officer"]
    resource = services.register_resource(actor=provider, resource=market_entities())
    put_rows(resource, ENTITIES)
    reader = consumer()
    client = Client()
    client.force_login(reader)
    url = f"/api/v1/data/resources/{resource.code}/rows"
    assert client.get(url).status_code == 403  # nothing granted yet

    payload = {
        "resource": resource.code,
        "purpose": "联合监管抽查",
        "legal_basis": "《市场主体登记管理条例》",
        "fields": ["credit_code", "name", "region_code", "capital", "founded"],
        "period_days": 90,
    }
    response = client.post(
        "/api/v1/data/sharing-requests", payload, content_type="application/json"
    )
    assert response.status_code == 200, response.json()
    request_id = response.json()["id"]
    request = decide(city, sharing.request_of(reader, request_id))
    assert request.status == RequestStatus.GRANTED

    answer = client.get(url, {"purpose": "抽查名单", "sort": "capital desc"})
    assert answer.status_code == 200, answer.json()
    body = answer.json()
    assert body["total"] == 3
    assert body["masked"] == ["legal_person_phone"]
    assert body["records"][0]["capital"] == 1200
    phones = [record["legal_person_phone"] for record in body["records"]]
    assert phones[0] == "138****0002" and None in phones
    assert "13800000002" not in json.dumps(body)
    masked_field = next(item for item in body["fields"] if item["name"] == "legal_person_phone")
    assert masked_field == {
        "name": "legal_person_phone",
        "type": "string",
        "level": 4,
        "masked": True,
    }

    refused = client.get(url, {"fields": "name,legal_person_phone"})
    assert refused.status_code == 403
    assert "legal_person_phone" in refused.json()["error"]["message"]
    assert client.get(url, {"filters": json.dumps({"legal_person_phone": "1"})}).status_code == 403

    call = DataCall.objects.get(actor=reader, purpose="抽查名单")
    assert call.department is not None and call.department.code == "330603-SCJ"
    assert call.grant == Grant.objects.get(request=request)
    assert call.rows == 3 and call.masked == ["legal_person_phone"]
    assert call.audit_sequence is not None
    assert AuditEntry.objects.get(sequence=call.audit_sequence).action == "data.rows.read"
    assert calls.is_intact(call)
    assert verify_chain().intact

    DataCall.objects.filter(pk=call.pk).update(rows=1)  # tampering is noticed
    call.refresh_from_db()
    assert not calls.is_intact(call)

    assert call.grant is not None
    usage = calls.usage(call.grant)
    assert usage.calls == 1 and usage.rows == 1 and usage.last_call is not None

    grant_id = call.grant.pk
    revoke = client.post(
        f"/api/v1/data/grants/{grant_id}/revoke", {"reason": "x"}, content_type="application/json"
    )
    assert revoke.status_code == 404  # the consumer cannot revoke
    owner = Client()
    owner.force_login(provider)
    revoke = owner.post(
        f"/api/v1/data/grants/{grant_id}/revoke",
        {"reason": "整改期间暂停"},
        content_type="application/json",
    )
    assert revoke.status_code == 200, revoke.json()
    assert revoke.json()["live"] is False
    assert client.get(url).status_code == 403
    assert timezone.now() > Grant.objects.get(pk=grant_id).revoked_at  # type: ignore[operator]
