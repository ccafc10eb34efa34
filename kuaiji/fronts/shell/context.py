"""Template context every front page gets."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import get_language


def branding(request: HttpRequest) -> dict[str, object]:
    """The city's and the fronts' names in the active language."""
    city = settings.KUAIJI_CITY
    english = (get_language() or "").startswith("en")
    return {
        "city_name": city.name_en if english else city.name,
        "service_front_name": city.service_front_en if english else city.service_front,
        "work_front_name": city.work_front_en if english else city.work_front,
    }
