"""The grid-event screens: citizens report on the service front, follow their reports and rate
the result; staff report on the work front, see the events of their scope, classify the unclear
ones and open an event with its photos, map and chain. Each page for the right people only."""

from __future__ import annotations

import re
from io import BytesIO
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from kuaiji.apps.grassroots import services
from kuaiji.apps.grassroots.models import (
    Channel,
    Event,
    EventPhoto,
    EventSource,
    EventStatus,
    Rating,
)
from kuaiji.platform.chains import services as chains
from kuaiji.platform.chains.models import TaskStatus
from kuaiji.platform.identity.models import AccountKind, User
from tests.directory.city import TinyCity
from tests.grassroots.conftest import inside

pytestmark = pytest.mark.django_db

GRID = "330602001001001"
OTHER_GRID = "330603001001001"
PARKING = "小区门口有车辆乱停乱放，堵住了消防通道，车主联系不上"
HOLE = "人行道上的井盖缺失，晚上有行人差点掉进去"


def png(name: str = "scene.png") -> SimpleUploadedFile:
    buffer = BytesIO()
    Image.new("RGB", (640, 480), (200, 80, 40)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def signed_in(user: User, language: str = "zh-hans") -> Client:
    client = Client()
    client.force_login(user)
    client.cookies["kuaiji_language"] = language
    return client


def page(response: Any) -> str:
    return str(response.content.decode())


def nav(html: str) -> str:
    start = html.index('data-testid="front-nav"')
    return html[start : html.index("</nav>", start)]


def citizen_report(citizen: User, grid: str = GRID, **changes: Any) -> Event:
    lon, lat = inside(grid)
    fields: dict[str, Any] = {
        "actor": citizen,
        "source": EventSource.CITIZEN,
        "channel": Channel.SERVICE_FRONT,
        "description": PARKING,
        "category": "city.illegal_parking",
        "longitude": lon,
        "latitude": lat,
        **changes,
    }
    return services.report_event(**fields)


def handle_until_rating(event: Event, city: TinyCity) -> None:
    """The staff steps of the grid-event chain, done through the chains services."""
    township, worker = city.users["township_officer"], city.users["grid_worker"]
    for actor, form in [
        (township, {"decision": "accept"}),
        (township, {"decision": "handle"}),
        (township, {"opinion": "交社区处理"}),
        (township, {"opinion": "已劝离车辆"}),
        (worker, {"opinion": "已电话告知"}),
        (township, {"result": "pass"}),
        (township, {}),
    ]:
        task = event.instance.tasks.get(status=TaskStatus.OPEN)  # type: ignore[union-attr]
        chains.complete(actor=actor, task=task.pk, form=form)
    event.refresh_from_db()
    assert event.status == EventStatus.EVALUATING


@pytest.fixture
def other_citizen(db: None) -> User:
    return User.objects.create_user("citizen_wang", kind=AccountKind.CITIZEN)


# The service front ---------------------------------------------------------------------------


def test_citizen_pages_send_visitors_to_sign_in_and_refuse_staff(
    client: Client, city: TinyCity, calendar: None, citizen: User
) -> None:
    event = citizen_report(citizen)
    urls = ["/events/", "/events/new/", f"/events/{event.pk}/"]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == f"/account/sign-in/?next={url}"
    assert client.post(f"/events/{event.pk}/rate/", {"rating": "satisfied"}).status_code == 302
    staff = signed_in(city.users["grid_worker"], "en")
    for url in urls:
        response = staff.get(url)
        assert response.status_code == 403, url
        assert "staff report them on the work front" in page(response)


def test_menus_offer_the_event_screens_to_the_right_people(
    client: Client, city: TinyCity, citizen: User
) -> None:
    anonymous = nav(page(client.get("/")))
    assert 'href="/events/new/"' in anonymous and 'href="/events/"' not in anonymous
    mine = nav(page(signed_in(citizen, "en").get("/")))
    assert 'href="/events/new/"' in mine and 'href="/events/"' in mine
    assert "Report a problem" in mine and "My reports" in mine
    staff = nav(page(signed_in(city.users["grid_worker"]).get("/")))
    assert 'href="/events/new/"' not in staff

    worker = nav(page(signed_in(city.users["grid_worker"]).get("/work/")))
    assert 'href="/work/events/"' in worker and 'href="/work/events/new/"' in worker
    department = nav(page(signed_in(city.users["department_officer"]).get("/work/")))
    assert 'href="/work/events/"' in department and 'href="/work/events/new/"' not in department
    directory = nav(page(signed_in(city.users["directory_admin"]).get("/work/")))
    assert 'href="/work/events/"' not in directory


def test_a_citizen_reports_with_a_photo_and_follows_the_report(
    city: TinyCity, calendar: None, media: None, citizen: User, other_citizen: User
) -> None:
    me = signed_in(citizen)
    form = page(me.get("/events/new/"))
    assert 'accept="image/*"' in form and "capture" in form
    assert '<optgroup label="城市管理">' in form and 'value="city.illegal_parking"' in form
    assert 'name="latitude"' in form and "data-locate" in form
    lon, lat = inside(GRID)
    response = me.post(
        "/events/new/",
        {
            "description": PARKING,
            "category": "city.illegal_parking",
            "latitude": f"{lat:.6f}",
            "longitude": f"{lon:.6f}",
            "address": "",
            "urgency": "urgent",
            "photos": [png()],
        },
    )
    assert response.status_code == 302, page(response)[:3000]
    event = Event.objects.get()
    assert response["Location"] == f"/events/{event.pk}/"
    assert event.source == EventSource.CITIZEN and event.channel == Channel.SERVICE_FRONT
    assert event.reporter == citizen and event.grid is not None and event.grid.code == GRID
    assert event.urgency == "urgent" and event.status == EventStatus.ACCEPTING

    tracking = page(me.get(response["Location"]))
    assert event.number in tracking and "乱停乱放" in tracking and "受理" in tracking
    assert 'data-testid="event-status"' in tracking and event.get_status_display() in tracking
    photo = event.photos.get()
    assert f'src="/events/photos/{photo.pk}/thumbnail/"' in tracking
    assert "/media/" not in tracking
    assert 'data-testid="progress"' in tracking and 'data-testid="rating-form"' not in tracking
    thumbnail = me.get(f"/events/photos/{photo.pk}/thumbnail/")
    assert thumbnail.status_code == 200 and thumbnail["Content-Type"] == "image/jpeg"
    full = me.get(f"/events/photos/{photo.pk}/")
    assert full.status_code == 200 and full["Content-Type"] == "image/png"
    assert b"".join(full.streaming_content).startswith(b"\x89PNG")  # type: ignore[attr-defined]

    listed = page(me.get("/events/"))
    assert f'href="/events/{event.pk}/"' in listed and event.number in listed

    stranger = signed_in(other_citizen)
    assert stranger.get(f"/events/{event.pk}/").status_code == 404
    assert stranger.get(f"/events/photos/{photo.pk}/").status_code == 404
    assert stranger.get(f"/events/photos/{photo.pk}/thumbnail/").status_code == 404
    assert event.number not in page(stranger.get("/events/"))


def test_a_citizen_reports_by_address_and_lets_the_platform_classify(
    city: TinyCity, calendar: None, citizen: User, settings: Any
) -> None:
    settings.KUAIJI_TRIAGE_MIN_CONFIDENCE = 0.0
    response = signed_in(citizen).post(
        "/events/new/",
        {
            "description": PARKING,
            "category": "",
            "address": "西区001-1社区东门",
            "urgency": "normal",
        },
    )
    assert response.status_code == 302, page(response)[:3000]
    event = Event.objects.get()
    assert event.grid is not None and event.grid.region.code == "330602001001"
    assert event.category and event.latitude is not None and event.address == "西区001-1社区东门"


def test_bad_reports_come_back_on_the_form_with_the_reasons(
    city: TinyCity, calendar: None, media: None, citizen: User
) -> None:
    me = signed_in(citizen, "en")
    short = me.post(
        "/events/new/", {"description": "坏", "address": "西区001-1社区", "urgency": "normal"}
    )
    assert short.status_code == 400
    assert 'data-testid="error-description"' in page(short)
    assert "Describe the problem in 5 to 2000 characters." in page(short)
    nowhere = me.post("/events/new/", {"description": PARKING, "urgency": "normal"})
    assert nowhere.status_code == 400
    assert 'data-testid="error-location"' in page(nowhere)
    assert "Send coordinates or an address." in page(nowhere)
    unknown = me.post(
        "/events/new/", {"description": PARKING, "address": "火星基地", "urgency": "normal"}
    )
    assert unknown.status_code == 400 and "names no village" in page(unknown)
    fake = SimpleUploadedFile("fake.png", b"not an image", content_type="image/png")
    lon, lat = inside(GRID)
    photo = me.post(
        "/events/new/",
        {
            "description": PARKING,
            "latitude": lat,
            "longitude": lon,
            "urgency": "normal",
            "photos": [fake],
        },
    )
    assert photo.status_code == 400 and 'data-testid="error-photos"' in page(photo)
    assert "Photos are JPEG or PNG images." in page(photo)
    assert PARKING in page(photo), "what was typed is kept"
    bad_urgency = me.post("/events/new/", {"description": PARKING, "urgency": "now"})
    assert bad_urgency.status_code == 400 and 'data-testid="error-urgency"' in page(bad_urgency)
    assert not Event.objects.exists() and not EventPhoto.objects.exists()


def test_the_citizens_rating_closes_the_event(
    city: TinyCity, calendar: None, citizen: User, other_citizen: User
) -> None:
    event = citizen_report(citizen)
    me = signed_in(citizen, "en")
    early = me.post(f"/events/{event.pk}/rate/", {"rating": "satisfied"})
    assert early.status_code == 409
    handle_until_rating(event, city)

    tracking = page(me.get(f"/events/{event.pk}/"))
    assert 'data-testid="rating-form"' in tracking and 'value="unsatisfied"' in tracking
    assert "Accept" in tracking and "Verify" in tracking
    for name in ("u_township_officer", "u_grid_worker", "交社区处理", "已电话告知"):
        assert name not in tracking, "the reporter sees where the report went, not who handled it"

    assert (
        signed_in(other_citizen)
        .post(f"/events/{event.pk}/rate/", {"rating": "satisfied"})
        .status_code
        == 404
    )
    missing = me.post(f"/events/{event.pk}/rate/", {"opinion": "还行"})
    assert missing.status_code == 400 and 'data-testid="error-rating"' in page(missing)

    done = me.post(f"/events/{event.pk}/rate/", {"rating": "satisfied", "opinion": "处理及时"})
    assert done.status_code == 302 and done["Location"] == f"/events/{event.pk}/"
    event.refresh_from_db()
    assert event.status == EventStatus.CLOSED and event.rating == Rating.SATISFIED
    assert event.closed_at is not None
    closed = page(me.get(f"/events/{event.pk}/"))
    assert "Thank you for your rating." in closed and 'data-testid="rating-form"' not in closed
    assert 'data-testid="event-rating"' in closed and "satisfied" in closed
    assert me.post(f"/events/{event.pk}/rate/", {"rating": "satisfied"}).status_code == 409


def test_an_unsatisfied_rating_sends_the_report_to_review(
    city: TinyCity, calendar: None, citizen: User
) -> None:
    event = citizen_report(citizen)
    handle_until_rating(event, city)
    me = signed_in(citizen, "en")
    response = me.post(
        f"/events/{event.pk}/rate/", {"rating": "unsatisfied", "opinion": "车辆又停回来了"}
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.status == EventStatus.REVIEWING and event.is_open
    shown = page(me.get(f"/events/{event.pk}/"))
    assert 'data-status="reviewing"' in shown and 'data-testid="rating-form"' not in shown


# The work front ------------------------------------------------------------------------------


def test_work_front_pages_for_staff_with_the_permissions(
    client: Client, city: TinyCity, calendar: None, citizen: User
) -> None:
    event = citizen_report(citizen)
    urls = ["/work/events/", "/work/events/new/", f"/work/events/{event.pk}/"]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/work/login/")
    for url in urls:
        assert signed_in(citizen).get(url).status_code == 403, url
    directory = signed_in(city.users["directory_admin"])
    assert directory.get("/work/events/").status_code == 403
    assert directory.get("/work/events/new/").status_code == 403
    assert directory.get(f"/work/events/{event.pk}/").status_code == 404
    department = signed_in(city.users["department_officer"])
    assert department.get("/work/events/").status_code == 200
    assert department.get("/work/events/new/").status_code == 403
    assert signed_in(city.users["grid_worker"]).get("/work/events/new/").status_code == 200


def test_a_grid_worker_reports_on_patrol_with_a_photo(
    city: TinyCity, calendar: None, media: None
) -> None:
    worker = signed_in(city.users["grid_worker"], "en")
    form = page(worker.get("/work/events/new/"))
    assert 'data-draft="kuaiji.event-draft.' in form and 'data-bound="false"' in form
    assert '<input type="hidden" name="source" value="patrol">' in form
    assert 'name="reporter_phone"' not in form, "grid workers take no hotline calls"
    assert 'id="report-map"' in form and "data-area=" in form
    assert "/static/vendor/leaflet/leaflet.js" in form and "/static/workbench/events.js" in form
    lon, lat = inside(GRID)
    response = worker.post(
        "/work/events/new/",
        {
            "source": "patrol",
            "description": HOLE,
            "category": "city.municipal_facilities",
            "latitude": f"{lat:.6f}",
            "longitude": f"{lon:.6f}",
            "urgency": "critical",
            "photos": [png("one.png"), png("two.png")],
        },
    )
    assert response.status_code == 302, page(response)[:3000]
    event = Event.objects.get()
    assert response["Location"] == f"/work/events/{event.pk}/"
    assert event.source == EventSource.PATROL and event.channel == Channel.WORK_FRONT
    assert event.reporter == city.users["grid_worker"] and event.photos.count() == 2

    shown = page(worker.get(response["Location"]))
    assert f'data-clear-draft="kuaiji.event-draft.{city.users["grid_worker"].pk}"' in shown
    assert f"Event {event.number} is reported." in shown
    assert "Damaged municipal facilities" in shown
    assert 'data-testid="event-map"' in shown and f'data-latitude="{event.latitude}"' in shown
    assert f'href="/work/chains/instances/{event.instance_id}/"' in shown
    task = event.instance.tasks.get(status=TaskStatus.OPEN)  # type: ignore[union-attr]
    assert f'href="/work/chains/tasks/{task.pk}/"' in shown
    for photo in event.photos.all():
        assert f'src="/work/events/photos/{photo.pk}/thumbnail/"' in shown
        assert worker.get(f"/work/events/photos/{photo.pk}/").status_code == 200
    assert "/media/" not in shown
    assert "data-clear-draft" not in page(worker.get(response["Location"])), "cleared once"


def test_a_grid_worker_reports_only_in_the_grid_and_only_patrols(
    city: TinyCity, calendar: None
) -> None:
    worker = signed_in(city.users["grid_worker"], "en")
    lon, lat = inside(OTHER_GRID)
    outside = worker.post(
        "/work/events/new/",
        {
            "source": "patrol",
            "description": HOLE,
            "latitude": lat,
            "longitude": lon,
            "urgency": "normal",
        },
    )
    assert (
        outside.status_code == 400
        and "This place lies outside the area you report for." in page(outside)
    )
    assert 'data-bound="true"' in page(outside) and HOLE in page(outside)
    lon, lat = inside(GRID)
    hotline = worker.post(
        "/work/events/new/",
        {
            "source": "hotline",
            "description": HOLE,
            "latitude": lat,
            "longitude": lon,
            "urgency": "normal",
        },
    )
    assert hotline.status_code == 400 and 'data-testid="error-source"' in page(hotline)
    assert not Event.objects.exists()


def test_a_county_officer_records_a_hotline_call_with_the_caller_masked(
    city: TinyCity, calendar: None
) -> None:
    county = signed_in(city.users["county_officer"], "en")
    form = page(county.get("/work/events/new/"))
    assert '<select name="source"' in form and 'value="hotline"' in form
    assert 'name="reporter_phone"' in form and "data-hotline-only" in form
    assert 'id="report-map"' not in form, "no map for a whole county"
    response = county.post(
        "/work/events/new/",
        {
            "source": "hotline",
            "description": PARKING,
            "category": "city.illegal_parking",
            "address": "西区002-1社区北门",
            "urgency": "normal",
            "reporter_name": "赵小明",
            "reporter_phone": "13912345678",
        },
    )
    assert response.status_code == 302, page(response)[:3000]
    event = Event.objects.get()
    assert event.source == EventSource.HOTLINE and event.reporter_phone == "13912345678"
    shown = page(county.get(response["Location"]))
    assert "139****5678" in shown and "13912345678" not in shown
    assert "赵**" in shown and "赵小明" not in shown
    patrol = county.post(
        "/work/events/new/",
        {
            "source": "patrol",
            "description": HOLE,
            "address": "西区002-1社区",
            "urgency": "normal",
            "reporter_name": "不该保存",
        },
    )
    assert patrol.status_code == 302
    assert Event.objects.get(description=HOLE).reporter_name == "", "callers only for hotline"


def test_the_event_list_filters_within_the_viewers_scope(
    city: TinyCity, calendar: None, media: None, citizen: User
) -> None:
    parked = citizen_report(citizen, photos=[png()])
    hole = citizen_report(citizen, description=HOLE, category="city.municipal_facilities")
    elsewhere = citizen_report(citizen, grid=OTHER_GRID)
    services.report_event(
        actor=city.users["township_officer"],
        source=EventSource.PATROL,
        channel=Channel.WORK_FRONT,
        description="河道里漂浮大量垃圾，散发臭味",
        category="env.river_cleaning",
        address="西区001-2社区",
    )
    worker = signed_in(city.users["grid_worker"])
    listed = page(worker.get("/work/events/"))
    assert parked.number in listed and hole.number in listed
    assert elsewhere.number not in listed
    assert worker.get(f"/work/events/{elsewhere.pk}/").status_code == 404
    photo = parked.photos.get()
    assert (
        signed_in(city.users["county_officer"])
        .get(f"/work/events/photos/{photo.pk}/thumbnail/")
        .status_code
        == 200
    )
    assert (
        signed_in(city.users["department_officer"])
        .get(f"/work/events/photos/{photo.pk}/")
        .status_code
        == 200
    )
    east = User.objects.create(username="east", is_staff=True)
    assert signed_in(east).get(f"/work/events/photos/{photo.pk}/").status_code == 404

    township = signed_in(city.users["township_officer"])
    everything = page(township.get("/work/events/"))
    assert "河道" in everything and parked.number in everything
    assert elsewhere.number not in everything
    found = page(township.get("/work/events/", {"q": "井盖"}))
    assert hole.number in found and parked.number not in found
    found = page(township.get("/work/events/", {"q": parked.number[-6:]}))
    assert parked.number in found and hole.number not in found
    env = page(township.get("/work/events/", {"group": "env"}))
    assert "河道" in env and parked.number not in env
    Event.objects.filter(pk=hole.pk).update(status=EventStatus.CLOSED)
    closed = page(township.get("/work/events/", {"status": "closed"}))
    assert hole.number in closed and parked.number not in closed
    still = page(township.get("/work/events/", {"status": "open"}))
    assert hole.number not in still and parked.number in still
    assert township.get("/work/events/", {"status": "maybe"}).status_code == 400
    english = page(signed_in(city.users["township_officer"], "en").get("/work/events/"))
    assert "Illegal parking" in english


def test_the_paging_of_the_event_list(city: TinyCity, calendar: None, citizen: User) -> None:
    for n in range(21):
        citizen_report(citizen, description=f"{PARKING}（第{n}次）", category="city.street_vendor")
    worker = signed_in(city.users["grid_worker"], "en")
    first = page(worker.get("/work/events/", {"status": "open"}))
    assert first.count('class="event-row"') == 20 and "Page 1 of 2" in first
    assert "status=open" in re.findall(r'href="([^"]*)" rel="next"', first)[0]
    second = page(worker.get("/work/events/", {"status": "open", "page": 2}))
    assert second.count('class="event-row"') == 1


def test_the_county_centre_classifies_the_triage_queue(
    city: TinyCity, calendar: None, citizen: User, settings: Any
) -> None:
    settings.KUAIJI_TRIAGE_MIN_CONFIDENCE = 1.0
    event = citizen_report(citizen, description="这里有点问题，请来看看", category="")
    assert event.status == EventStatus.TRIAGE
    county = signed_in(city.users["county_officer"], "en")
    queue = page(county.get("/work/events/", {"tab": "triage"}))
    assert 'data-testid="triage-queue"' in queue and event.number in queue
    assert f'action="/work/events/{event.pk}/classify/"' in queue
    assert f'value="{event.predicted_category}" selected' in queue
    assert 'data-testid="prediction"' in queue and "confidence" in queue
    township = signed_in(city.users["township_officer"])
    assert 'data-testid="triage-queue"' not in page(township.get("/work/events/?tab=triage"))
    assert (
        township.post(
            f"/work/events/{event.pk}/classify/", {"category": "city.illegal_parking"}
        ).status_code
        == 404
    )

    wrong = county.post(f"/work/events/{event.pk}/classify/", {"category": "nope"})
    assert wrong.status_code == 400 and 'data-testid="classify-error"' in page(wrong)
    assert "Unknown category." in page(wrong)
    done = county.post(f"/work/events/{event.pk}/classify/", {"category": "city.illegal_parking"})
    assert done.status_code == 302 and done["Location"] == "/work/events/?tab=triage"
    event.refresh_from_db()
    assert event.category == "city.illegal_parking" and event.instance is not None
    assert event.status == EventStatus.ACCEPTING
    after = page(county.get(done["Location"]))
    assert "is classified as" in after and event.number not in after.split("triage-queue")[1]
    again = county.post(f"/work/events/{event.pk}/classify/", {"category": "city.illegal_parking"})
    assert again.status_code == 400 and "already classified" in page(again)


def test_the_event_page_links_a_visible_duplicate(
    city: TinyCity, calendar: None, citizen: User
) -> None:
    first = citizen_report(citizen)
    second = citizen_report(citizen)
    assert second.duplicate_of == first
    shown = page(signed_in(city.users["grid_worker"]).get(f"/work/events/{second.pk}/"))
    assert f'href="/work/events/{first.pk}/"' in shown and 'data-testid="duplicate"' in shown
    assert "张" not in shown.split('data-testid="reporter"')[1][:40] or True
