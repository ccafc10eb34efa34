"""Reporting events: located in their grid, classified, checked, started on the grid-event chain
or queued for manual triage; duplicates suggested; each actor sees the events of their scope."""

from __future__ import annotations

from io import BytesIO
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from kuaiji.apps.grassroots import selectors, services
from kuaiji.apps.grassroots.models import Channel, Event, EventSource, EventStatus
from kuaiji.platform.core.errors import Forbidden, InvalidInput, NotFound
from kuaiji.platform.identity.models import User
from tests.directory.city import TinyCity
from tests.grassroots.conftest import inside

pytestmark = pytest.mark.django_db
GRID = "330602001001001"
PARKING = "小区门口有车辆乱停乱放，堵住了消防通道，车主联系不上"


def png() -> SimpleUploadedFile:
    buffer = BytesIO()
    Image.new("RGB", (800, 600), (200, 80, 40)).save(buffer, "PNG")
    return SimpleUploadedFile("scene.png", buffer.getvalue(), content_type="image/png")


def patrol(city: TinyCity, **changes: Any) -> Event:
    lon, lat = inside(GRID)
    fields: dict[str, Any] = {
        "actor": city.users["grid_worker"],
        "source": EventSource.PATROL,
        "channel": Channel.WORK_FRONT,
        "description": PARKING,
        "longitude": lon,
        "latitude": lat,
        **changes,
    }
    return services.report_event(**fields)


def test_a_patrol_report_is_located_classified_and_started(
    city: TinyCity, calendar: None, media: None, settings: Any
) -> None:
    settings.KUAIJI_TRIAGE_MIN_CONFIDENCE = 0.0  # whatever the model's confidence
    event = patrol(city, photos=[png()])
    assert event.grid is not None and event.grid.code == GRID
    assert event.category and event.platform and event.confidence is not None
    assert event.status == EventStatus.ACCEPTING
    assert event.instance is not None and event.instance.business_id == str(event.pk)
    photo = event.photos.get()
    assert photo.content_type == "image/png" and photo.thumbnail.name.endswith(".jpg")


def test_unsure_predictions_wait_for_the_county_centre(
    city: TinyCity, calendar: None, citizen: User, settings: Any
) -> None:
    settings.KUAIJI_TRIAGE_MIN_CONFIDENCE = 1.0
    lon, lat = inside(GRID)
    event = services.report_event(
        actor=citizen,
        source=EventSource.CITIZEN,
        channel=Channel.SERVICE_FRONT,
        description="这里有点问题，请来看看",
        longitude=lon,
        latitude=lat,
    )
    assert event.status == EventStatus.TRIAGE and event.instance is None
    county = city.users["county_officer"]
    assert list(selectors.triage_queue(county)) == [event]
    assert not selectors.triage_queue(city.users["township_officer"]).exists()
    with pytest.raises(NotFound):
        services.classify(
            actor=city.users["township_officer"], event=event.pk, category=event.predicted_category
        )
    classified = services.classify(actor=county, event=event.pk, category=event.predicted_category)
    assert classified.instance is not None and classified.status == EventStatus.ACCEPTING
    assert classified.reporter == citizen and classified.instance.starter == citizen


def test_bad_reports_are_refused_and_nothing_is_kept(
    city: TinyCity, calendar: None, media: None
) -> None:
    with pytest.raises(InvalidInput) as outside:
        patrol(city, longitude=100.0, latitude=20.0)
    assert "location" in outside.value.fields
    with pytest.raises(InvalidInput):
        patrol(city, description="坏")
    with pytest.raises(InvalidInput):
        patrol(city, category="nope")
    fake = SimpleUploadedFile("fake.png", b"not an image", content_type="image/png")
    with pytest.raises(InvalidInput) as photo:
        patrol(city, photos=[fake])
    assert "photos" in photo.value.fields
    assert not Event.objects.exists()


def test_grid_workers_report_in_their_own_grid_only(city: TinyCity, calendar: None) -> None:
    lon, lat = inside("330603001001001")
    with pytest.raises(InvalidInput) as outside:
        patrol(city, longitude=lon, latitude=lat)
    assert "location" in outside.value.fields
    with pytest.raises(Forbidden):
        patrol(city, actor=city.users["directory_admin"])


def test_a_report_by_address_lands_in_a_grid_of_the_place(
    city: TinyCity, calendar: None, citizen: User
) -> None:
    village = Event._meta.get_field("region").related_model.objects.get(code="330602001001")
    event = services.report_event(
        actor=citizen,
        source=EventSource.CITIZEN,
        channel=Channel.SERVICE_FRONT,
        description=PARKING,
        address=f"西区{village.name}东门",
    )
    assert event.grid is not None and event.grid.region_id == village.pk


def test_a_nearby_open_event_of_the_category_is_suggested(city: TinyCity, calendar: None) -> None:
    first = patrol(city, category="city.illegal_parking")
    second = patrol(city, category="city.illegal_parking")
    assert second.duplicate_of == first


def test_each_actor_sees_the_events_of_their_scope(city: TinyCity, calendar: None) -> None:
    event = patrol(city)
    for role in ("grid_worker", "township_officer", "county_officer", "city_leader"):
        assert list(selectors.events(city.users[role])) == [event], role
    lon, lat = inside("330603001001001")
    other = User.objects.create_user("east_citizen", kind="citizen")
    services.report_event(
        actor=other,
        source=EventSource.CITIZEN,
        channel=Channel.SERVICE_FRONT,
        description=PARKING,
        longitude=lon,
        latitude=lat,
    )
    assert list(selectors.events(city.users["county_officer"])) == [event]
    assert selectors.events(city.users["city_leader"]).count() == 2
    assert not selectors.events(city.users["directory_admin"]).exists()
