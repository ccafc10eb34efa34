"""Good/bad ratings: the applicant rates once after the decision; a bad rating opens the
service_rectification chain in the item's department, whose revisit comes back to the rating."""

from __future__ import annotations

import pytest
from django.test import Client

from kuaiji.apps.government import ratings
from kuaiji.apps.government.models import ApplicationStatus, Rating
from kuaiji.platform.audit.models import AuditEntry
from kuaiji.platform.chains import services as chains
from kuaiji.platform.chains.models import InstanceStatus, TaskStatus, WorkTask
from kuaiji.platform.core.errors import Conflict, InvalidInput, NotFound
from kuaiji.platform.directory.models import Department
from kuaiji.platform.messaging.models import Notification
from tests.directory.city import TinyCity
from tests.government.service_data import applicant, application, service_item

pytestmark = pytest.mark.django_db


def test_a_good_rating_is_kept_audited_and_opens_nothing(city: TinyCity, calendar: None) -> None:
    found = application()
    rating = ratings.rate(actor=found.applicant, application=found, level=5, comment=" 很快 ")
    assert (rating.level, rating.comment, rating.rectification) == (5, "很快", None)
    assert not rating.is_bad
    entry = AuditEntry.objects.get(action="government.rating.create")
    assert entry.object_id == str(rating.pk) and entry.region_path == found.region_path
    assert entry.changes["level"] == [None, 5]


def test_only_the_applicant_rates_once_after_the_decision(city: TinyCity, calendar: None) -> None:
    found = application()
    with pytest.raises(NotFound):
        ratings.rate(actor=applicant("someone_else"), application=found, level=4)
    with pytest.raises(NotFound):
        ratings.rate(actor=city.users["county_officer"], application=found.number, level=4)
    for wrong in (0, 6, "x", None, True):
        with pytest.raises(InvalidInput):
            ratings.rate(actor=found.applicant, application=found, level=wrong)  # type: ignore[arg-type]
    with pytest.raises(InvalidInput):
        ratings.rate(actor=found.applicant, application=found, level=4, comment="长" * 1001)
    pending = application(status=ApplicationStatus.HANDLING)
    with pytest.raises(Conflict):
        ratings.rate(actor=pending.applicant, application=pending, level=4)
    delivered = application(status=ApplicationStatus.DELIVERED)
    assert ratings.rate(actor=delivered.applicant, application=delivered, level=3).level == 3
    ratings.rate(actor=found.applicant, application=found.number, level=4)
    with pytest.raises(Conflict):
        ratings.rate(actor=found.applicant, application=found, level=1)
    assert Rating.objects.count() == 2


def test_a_bad_rating_is_rectified_and_revisited(city: TinyCity, calendar: None) -> None:
    found = application()
    rating = ratings.rate(actor=found.applicant, application=found, level=1, comment="态度差")
    assert rating.is_bad and rating.rectification is not None
    chain = rating.rectification
    assert (chain.business_type, chain.business_id) == ("government.rating", str(rating.pk))
    assert chain.version.definition.key == "service_rectification"
    department = Department.objects.get(code="330602-SCJ")
    rectify = WorkTask.objects.get(instance=chain, status=TaskStatus.OPEN)
    assert rectify.step == "rectify" and rectify.time_limit == "5d"
    assert rectify.candidate_key == f"department_officer@department:{department.pk}"
    officer = city.users["department_officer"]
    notices = Notification.objects.filter(recipient=officer)
    assert any("T" in notice.title and notice.body == "态度差" for notice in notices)
    chains.complete(actor=officer, task=rectify.pk, form={"opinion": "已约谈窗口人员"})
    revisit = WorkTask.objects.get(instance=chain, status=TaskStatus.OPEN)
    assert revisit.step == "revisit" and revisit.time_limit == "3d"
    assert revisit.candidate_key.startswith("county_officer@region:")
    rating.refresh_from_db()
    assert rating.revisited_at is None
    county = city.users["county_officer"]
    chains.complete(
        actor=county, task=revisit.pk, form={"revisit_level": "4", "opinion": "申请人满意"}
    )
    rating.refresh_from_db()
    chain.refresh_from_db()
    assert chain.status == InstanceStatus.COMPLETED
    assert (rating.revisit_level, rating.revisit_note) == (4, "申请人满意")
    assert rating.revisited_at is not None
    revisited = AuditEntry.objects.get(action="government.rating.revisit")
    assert revisited.actor_id == county.pk


def test_rating_over_the_api(city: TinyCity, calendar: None) -> None:
    found = application()
    client = Client()
    url = f"/api/v1/government/applications/{found.number}/rating"
    assert client.post(url, {"level": 5}, content_type="application/json").status_code == 401
    client.force_login(found.applicant)
    bad = client.post(url, {"level": 9}, content_type="application/json")
    assert bad.status_code in (400, 422)
    answer = client.post(url, {"level": 2, "comment": "慢"}, content_type="application/json")
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert body["bad"] is True and body["rectification"] and body["application"] == found.number
    assert body["rectification_status"] == InstanceStatus.RUNNING
    again = client.post(url, {"level": 5}, content_type="application/json")
    assert again.status_code == 409 and set(again.json()) == {"error"}
    other = Client()
    other.force_login(applicant("stranger"))
    assert other.post(url, {"level": 5}, content_type="application/json").status_code == 404


def test_ratings_are_listed_within_scope(city: TinyCity, calendar: None) -> None:
    west = application()
    east_item = service_item("330603-SCJ-001", "330603-SCJ")
    east = application(item=east_item, region="330603001")
    ratings.rate(actor=west.applicant, application=west, level=1)
    ratings.rate(actor=east.applicant, application=east, level=5)

    def listed(role: str, query: str = "") -> list[str] | int:
        client = Client()
        client.force_login(city.users[role])
        answer = client.get(f"/api/v1/government/ratings{query}")
        if answer.status_code != 200:
            return answer.status_code
        return sorted(row["application"] for row in answer.json()["items"])

    assert listed("city_leader") == sorted([west.number, east.number])
    assert listed("county_officer") == [west.number]
    assert listed("department_officer") == [west.number]
    assert listed("township_officer") == 403
    assert listed("city_leader", "?bad=true") == [west.number]
    assert listed("city_leader", "?bad=false") == [east.number]
    assert listed("city_leader", "?rectified=false") == [west.number]
    assert listed("city_leader", "?rectified=true") == []
    assert listed("city_leader", "?level=5") == [east.number]
