"""Importing 12345 hotline tickets: all or nothing, problems listed by line, imported tickets
skipped the next time."""

from __future__ import annotations

import pytest

from kuaiji.apps.grassroots.hotline import import_hotline
from kuaiji.apps.grassroots.models import Event, EventSource
from kuaiji.platform.core.actors import SYSTEM
from kuaiji.platform.core.errors import InvalidInput
from tests.directory.city import TinyCity
from tests.grassroots.conftest import inside

pytestmark = pytest.mark.django_db
HEADER = "工单编号,受理时间,诉求内容,事发地址,经度,纬度,来电人,联系电话,紧急程度\n"


def export(*rows: str) -> bytes:
    return (HEADER + "".join(f"{row}\n" for row in rows)).encode("utf-8-sig")


def test_tickets_are_imported_once(city: TinyCity, calendar: None) -> None:
    lon, lat = inside("330602001001001")
    data = export(
        f"GD001,2026-11-20 09:15,小区门口垃圾堆积多日无人清运,,{lon},{lat},王先生,13900001111,紧急",
        "GD002,2026/11/21 10:00,路灯不亮，晚上很黑,西区001街道001-1社区,,,李女士,,",
    )
    done = import_hotline(actor=SYSTEM, data=data)
    assert [event.external_ref for event in done.created] == ["GD001", "GD002"]
    first = Event.objects.get(external_ref="GD001")
    assert first.source == EventSource.HOTLINE and first.urgency == "urgent"
    assert first.reporter_phone == "13900001111" and first.created_at.day == 20
    again = import_hotline(actor=SYSTEM, data=data)
    assert again.created == [] and again.skipped == ["GD001", "GD002"]


def test_a_bad_row_refuses_the_whole_file(city: TinyCity, calendar: None) -> None:
    lon, lat = inside("330602001001001")
    data = export(
        f"GD010,2026-11-20 09:15,小区门口垃圾堆积多日无人清运,,{lon},{lat},,,",
        "GD011,昨天,路灯不亮,,,,,,",
        "GD012,2026-11-20 09:15,楼道杂物堆放,火星,,,,,",
        ",2026-11-20 09:15,没有工单号的诉求内容,,,,,,",
    )
    with pytest.raises(InvalidInput) as refused:
        import_hotline(actor=SYSTEM, data=data)
    assert set(refused.value.fields) == {"line 3", "line 4", "line 5"}
    assert not Event.objects.exists()
    with pytest.raises(InvalidInput):
        import_hotline(actor=SYSTEM, data=b"a,b\n1,2\n")
