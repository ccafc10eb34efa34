"""Importing 12345 hotline tickets from the hotline system's CSV export.

Columns (header names in Chinese, as the export writes them): 工单编号 (ticket), 受理时间 (when
the call was taken), 诉求内容 (what the caller reported), 事发地址 (address), 经度, 纬度
(optional coordinates), 来电人 (caller), 联系电话 (phone), 紧急程度 (一般/紧急/特急, optional).

The whole file is checked first; any bad row refuses the import with every problem listed by
line, and nothing is written. Tickets imported before are skipped, so a file can be imported
again after a partial export.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from kuaiji.apps.grassroots.models import Channel, Event, EventSource, Urgency
from kuaiji.apps.grassroots.services import report_event
from kuaiji.platform.core.errors import InvalidInput, KuaijiError

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
COLUMNS = {
    "工单编号": "ticket",
    "受理时间": "taken_at",
    "诉求内容": "description",
    "事发地址": "address",
    "经度": "longitude",
    "纬度": "latitude",
    "来电人": "caller",
    "联系电话": "phone",
    "紧急程度": "urgency",
}
REQUIRED = ("工单编号", "受理时间", "诉求内容")
URGENCY = {
    "": Urgency.NORMAL,
    "一般": Urgency.NORMAL,
    "紧急": Urgency.URGENT,
    "特急": Urgency.CRITICAL,
}


@dataclass
class HotlineImport:
    """What an import did: the events created, the tickets already there."""

    created: list[Event] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def _rows(data: bytes) -> list[dict[str, str]]:
    if len(data) > MAX_BYTES:
        raise InvalidInput(fields={"file": _("The file is larger than 5 MB.")})
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError as error:
            raise InvalidInput(
                fields={"file": _("The file is neither UTF-8 nor GB18030.")}
            ) from error
    reader = csv.DictReader(io.StringIO(text))
    missing = [name for name in REQUIRED if name not in (reader.fieldnames or [])]
    if missing:
        raise InvalidInput(
            fields={"file": _("Missing columns: %(names)s.") % {"names": "、".join(missing)}}
        )
    rows = [
        {COLUMNS[k]: (v or "").strip() for k, v in row.items() if k in COLUMNS} for row in reader
    ]
    if len(rows) > MAX_ROWS:
        raise InvalidInput(fields={"file": _("At most %(count)d rows.") % {"count": MAX_ROWS}})
    return rows


def _moment(text: str) -> datetime:
    moment = parse_datetime(text.replace("/", "-"))
    if moment is None:
        raise ValueError(text)
    return moment if moment.tzinfo else timezone.make_aware(moment)


def _coordinate(text: str) -> float | None:
    return float(text) if text else None


@transaction.atomic
def import_hotline(*, actor: Any, data: bytes) -> HotlineImport:
    """Import a CSV export of hotline tickets (all or nothing)."""
    rows = _rows(data)
    known = set(
        Event.objects.filter(source=EventSource.HOTLINE).values_list("external_ref", flat=True)
    )
    done = HotlineImport()
    problems: dict[str, str] = {}
    for line, row in enumerate(rows, start=2):
        ticket = row.get("ticket", "")
        if not ticket:
            problems[f"line {line}"] = _("A ticket number is needed.")
            continue
        if ticket in known:
            done.skipped.append(ticket)
            continue
        try:
            with transaction.atomic():
                done.created.append(
                    report_event(
                        actor=actor,
                        source=EventSource.HOTLINE,
                        channel=Channel.HOTLINE_IMPORT,
                        description=row.get("description", ""),
                        longitude=_coordinate(row.get("longitude", "")),
                        latitude=_coordinate(row.get("latitude", "")),
                        address=row.get("address", ""),
                        urgency=URGENCY.get(row.get("urgency", ""), "?"),
                        reporter_name=row.get("caller", ""),
                        reporter_phone=row.get("phone", ""),
                        external_ref=ticket,
                        reported_at=_moment(row.get("taken_at", "")),
                    )
                )
            known.add(ticket)
        except ValueError as error:
            problems[f"line {line}"] = _("Not a date or a number: %(value)s") % {
                "value": error.args[0] if error.args else ""
            }
        except KuaijiError as error:
            detail = "; ".join(f"{name}: {text}" for name, text in error.fields.items())
            problems[f"line {line}"] = detail or str(error.message)
    if problems:
        raise InvalidInput(_("The file has problems; nothing was imported."), fields=problems)
    return done
