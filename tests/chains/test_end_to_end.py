"""What issue 5 is done by: a grid event and a one-thing service application run end to end in
the work front, with reminders, escalation and urging on the real working-day calendar."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client

from kuaiji.platform.access.models import Role
from kuaiji.platform.access.services import grant_role
from kuaiji.platform.chains import selectors
from kuaiji.platform.chains.models import ChainInstance, InstanceStatus, TaskStatus, WorkTask
from kuaiji.platform.chains.supervision import supervise
from kuaiji.platform.core.actors import SYSTEM
from kuaiji.platform.directory.models import Department
from kuaiji.platform.identity.models import User
from kuaiji.platform.messaging.models import Notification, NotificationKind
from tests.directory.city import TinyCity

pytestmark = pytest.mark.django_db
BASE = "/work/chains/"


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def complete(client: Client, instance: ChainInstance, step: str, **form: str) -> WorkTask:
    """Claim the open step if it waits for a group, then complete it, through the task page."""
    return complete_task(client, instance.tasks.get(status=TaskStatus.OPEN, step=step), **form)


def complete_task(client: Client, task: WorkTask, **form: str) -> WorkTask:
    url = f"{BASE}tasks/{task.pk}/"
    assert client.get(url).status_code == 200
    if task.assignee_id is None:
        assert client.post(f"{url}claim/").status_code == 302
    fields = {f"form-{name}": value for name, value in form.items()}
    answer = client.post(f"{url}complete/", {**fields, "comment": "已办理"})
    assert answer.status_code == 302, answer.content.decode()[:2000]
    return task


def started(client: Client, **fields: str) -> ChainInstance:
    answer = client.post(f"{BASE}start/", fields)
    assert answer.status_code == 302, answer.content.decode()[:2000]
    return ChainInstance.objects.get(title=fields["title"])


def inbox(user: User, kind: str) -> int:
    return Notification.objects.filter(recipient=user, kind=kind).count()


def test_a_grid_event_with_reminders_escalation_and_urging(city: TinyCity, calendar: None) -> None:
    users = city.users
    worker, township = signed_in(users["grid_worker"]), signed_in(users["township_officer"])
    county, department = signed_in(users["county_officer"]), signed_in(users["department_officer"])
    event = started(worker, definition="grid_event", title="河道漂浮物", grid="330602001001001")

    accept = event.tasks.get(status=TaskStatus.OPEN)
    assert accept.yellow_at is not None and accept.due_at is not None
    supervise(accept.yellow_at + timedelta(seconds=1))
    assert inbox(users["township_officer"], NotificationKind.REMINDER) == 1
    supervise(accept.due_at + timedelta(seconds=1))
    assert inbox(users["county_officer"], NotificationKind.ESCALATION) == 1
    overdue = county.get(f"{BASE}supervision/")
    assert overdue.status_code == 200 and "河道漂浮物" in overdue.content.decode()
    assert (
        county.post(f"{BASE}tasks/{accept.pk}/urge/", {"message": "请立即受理"}).status_code == 302
    )
    assert inbox(users["township_officer"], NotificationKind.URGE) == 1

    complete(township, event, "accept", decision="accept")
    complete(township, event, "triage", decision="escalate")
    complete(county, event, "county_dispatch", dispatch="assign", department="330602-SCJ")
    complete(department, event, "handle_department", opinion="已打捞")
    complete(worker, event, "feedback", opinion="已告知群众")
    complete(township, event, "verify", result="pass")
    complete(township, event, "close")
    complete(worker, event, "evaluate", rating="satisfied")
    event.refresh_from_db()
    assert event.status == InstanceStatus.COMPLETED
    timeline = worker.get(f"{BASE}instances/{event.pk}/").content.decode()
    assert "请立即受理" in timeline and "已打捞" in timeline


def test_a_one_thing_application_handled_by_two_departments(city: TinyCity, calendar: None) -> None:
    users = city.users
    county, department = signed_in(users["county_officer"]), signed_in(users["department_officer"])
    township = signed_in(users["township_officer"])
    application = started(
        township,
        definition="one_thing_service",
        title="开办烘焙店",
        region="330602001",
        departments="330602-SCJ，330600-DSJ",
    )
    complete(county, application, "accept", decision="correct", opinion="缺营业场所证明")
    complete(township, application, "resubmit", opinion="已补充")
    complete(county, application, "accept", decision="accept")
    handling = application.tasks.filter(status=TaskStatus.OPEN)
    assert handling.count() == 2
    bureau = User.objects.create_user("u_data_bureau", is_staff=True)
    grant_role(
        actor=SYSTEM,
        user=bureau,
        role=Role.objects.get(code="department_officer"),
        department=Department.objects.get(code="330600-DSJ"),
    )
    for officer, code in ((department, "330602-SCJ"), (signed_in(bureau), "330600-DSJ")):
        task = handling.get(department_path=Department.objects.get(code=code).path)
        complete_task(officer, task, opinion="同意")
    complete(county, application, "decision", decision="approve", opinion="准予许可")
    complete(county, application, "deliver")
    application.refresh_from_db()
    assert application.status == InstanceStatus.COMPLETED


def test_the_home_page_counts_my_open_work(city: TinyCity, calendar: None) -> None:
    worker = signed_in(city.users["grid_worker"])
    started(worker, definition="grid_event", title="路面塌陷", grid="330602001001001")
    township = signed_in(city.users["township_officer"])
    home = township.get("/work/").content.decode()
    assert 'data-testid="my-work"' in home and "/work/chains/" in home
    assert selectors.my_task_counts(city.users["township_officer"]) == selectors.TaskCounts(1, 0)
    assert (
        'data-testid="my-work"'
        not in signed_in(city.users["directory_admin"]).get("/work/").content.decode()
    )
