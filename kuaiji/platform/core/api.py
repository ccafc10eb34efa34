"""Platform endpoints: what this deployment is."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from ninja import Router, Schema

import kuaiji

PREFIX = "/platform"
router = Router(tags=["platform"])


class CitySchema(Schema):
    """The city a deployment serves and the names of its fronts."""

    name: str
    name_en: str
    division_code: str
    service_front: str
    service_front_en: str
    work_front: str
    work_front_en: str


class PlatformInfo(Schema):
    """Facts about this deployment that clients need before anything else."""

    name: str
    version: str
    city: CitySchema
    languages: list[str]
    default_language: str
    time_zone: str
    background_tasks: str


@router.get("/info", response=PlatformInfo, summary="Describe this deployment")
def platform_info(request: HttpRequest) -> dict[str, object]:
    """Name, version, city branding, languages and how background work runs."""
    return {
        "name": "Kuaiji",
        "version": kuaiji.__version__,
        "city": settings.KUAIJI_CITY.model_dump(),
        "languages": [code for code, _name in settings.LANGUAGES],
        "default_language": settings.LANGUAGE_CODE,
        "time_zone": settings.TIME_ZONE,
        "background_tasks": "celery" if settings.REDIS_URL else "in-process",
    }
