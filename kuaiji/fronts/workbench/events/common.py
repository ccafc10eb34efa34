"""What the grid-event screens share: taxonomy names in the active language, the sources and
map area a reporter is offered, and people's data masked."""

from __future__ import annotations

import json
from typing import Any

from django.utils.translation import gettext_lazy as _

from kuaiji.apps.grassroots.models import Event, EventSource
from kuaiji.apps.grassroots.services import CITIZEN_KINDS
from kuaiji.apps.grassroots.triage import taxonomy
from kuaiji.fronts.shell.language import english
from kuaiji.platform.access.scoping import grants_with, is_unrestricted
from kuaiji.platform.core.personal import PersonalKind, mask
from kuaiji.platform.directory.models import RegionLevel, TownshipPlatform

REPORT = "grassroots.event.report"
TRIAGE = "grassroots.event.triage"
# Reporters working for a township or wider also take reports from elsewhere.
WIDER_LEVELS = (RegionLevel.CITY, RegionLevel.COUNTY, RegionLevel.TOWNSHIP)
# Areas small enough to show as the report form's map.
MAP_LEVELS = (RegionLevel.VILLAGE, RegionLevel.TOWNSHIP)
#: The session key saying the report form's draft was sent: the next page clears it.
DRAFT_SENT = "grassroots.event_draft_sent"
UNCLASSIFIED = _("awaiting classification")


def draft_key(user: Any) -> str:
    """Where the report form keeps its draft in the phone's storage (one per person)."""
    return f"kuaiji.event-draft.{user.pk}"


def group_name(code: str) -> str:
    """The name of the group a category belongs to ("" for none)."""
    if code not in taxonomy.codes():
        return ""
    found = taxonomy.group(taxonomy.category(code).group)
    return str(found.name_en) if english() else found.name


def group_choices() -> list[tuple[str, str]]:
    return [
        (group.code, str(group.name_en) if english() else group.name) for group in taxonomy.GROUPS
    ]


def platform_name(code: str) -> str:
    return str(TownshipPlatform(code).label) if code in TownshipPlatform.values else code


def source_choices(user: Any) -> list[tuple[str, str]]:
    """Grid patrol for everyone; the hotline, department transfers and sensors too for those
    who report for a township or wider."""
    wider = is_unrestricted(user) or any(
        grant.region is not None and grant.region.level in WIDER_LEVELS
        for grant in grants_with(user, REPORT)
    )
    sources = [EventSource.PATROL]
    if wider:
        sources += [EventSource.HOTLINE, EventSource.DEPARTMENT, EventSource.SENSOR]
    return [(str(source.value), str(source.label)) for source in sources]


def home_area(user: Any) -> str:
    """The reporter's own grid (else village or township) as GeoJSON for the form's map; ""
    for people whose area is wider (the map would be too coarse to point with)."""
    grants = grants_with(user, REPORT)
    for grant in grants:
        if grant.grid is not None and grant.grid.boundary:
            return json.dumps(grant.grid.boundary)
    for grant in grants:
        region = grant.region
        if region is not None and region.level in MAP_LEVELS and region.boundary:
            return json.dumps(region.boundary)
    return ""


def reporter_label(event: Event) -> str:
    """The account that reported: a member of staff (or client) by name, a citizen masked;
    "" for reports from no account (the caller's own details are shown apart, masked)."""
    reporter = event.reporter
    if reporter is None:
        return ""
    if reporter.kind in CITIZEN_KINDS:
        return mask(PersonalKind.NAME, str(reporter))
    return str(reporter)
