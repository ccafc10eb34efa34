"""What Open311 says about our services (the event categories) and requests (the events).

Richer internal states map to Open311's two: an event is `closed` once it is closed, rejected
or merged, `open` otherwise, and `status_notes` says where it stands. Nothing personal is ever
published: no reporter's name, phone or account.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone

from kuaiji.apps.grassroots.models import Event, Urgency
from kuaiji.apps.grassroots.triage import taxonomy

URGENCY_ATTRIBUTE = "urgency"


def _when(moment: datetime | None) -> str | None:
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else None


def service(category: taxonomy.Category) -> dict[str, Any]:
    """One service of `services.{format}`."""
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": str(category.name_en),
        "metadata": True,
        "type": "realtime",
        "keywords": ",".join(category.keywords),
        "group": taxonomy.group(category.group).name,
    }


def services() -> list[dict[str, Any]]:
    return [service(category) for category in taxonomy.CATEGORIES]


def definition(category: taxonomy.Category) -> dict[str, Any]:
    """`services/{code}.{format}`: the attributes a request of this service may carry."""
    return {
        "service_code": category.code,
        "attributes": [
            {
                "variable": True,
                "code": URGENCY_ATTRIBUTE,
                "datatype": "singlevaluelist",
                "required": False,
                "datatype_description": "normal, urgent or critical",
                "order": 1,
                "description": "紧急程度 (urgency)",
                "values": [{"key": value, "name": str(label)} for value, label in Urgency.choices],
            }
        ],
    }


def request(event: Event) -> dict[str, Any]:
    """One request of `requests.{format}`."""
    found = taxonomy.category(event.category) if event.category in taxonomy.codes() else None
    return {
        "service_request_id": event.number,
        "status": "open" if event.is_open else "closed",
        "status_notes": event.get_status_display()
        + (f" · {event.status_note}" if event.status_note else ""),
        "service_name": found.name if found else "",
        "service_code": event.category,
        "description": event.description,
        "agency_responsible": event.department.name if event.department else "",
        "service_notice": "",
        "requested_datetime": _when(event.created_at),
        "updated_datetime": _when(event.updated_at),
        "expected_datetime": None,
        "address": event.address,
        "address_id": "",
        "zipcode": "",
        "lat": float(event.latitude) if event.latitude is not None else None,
        "long": float(event.longitude) if event.longitude is not None else None,
        "media_url": "",
    }


def created(event: Event) -> dict[str, Any]:
    """The answer to `POST requests.{format}`."""
    return {
        "service_request_id": event.number,
        "token": str(event.token),
        "service_notice": event.get_status_display(),
        "account_id": "",
    }
