"""Where each figure of the cockpit leads in the work front: the one map from indicator code
prefixes to work-front screens, and the panels the counters are grouped in.

The page hands these to its script as JSON; the script picks the longest matching prefix for
a figure and adds ``?region=<code>`` where the screen filters by region.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

REGION_PARAMETER = "region"


@dataclass(frozen=True)
class Link:
    """Figures whose indicator code starts with `prefix` lead to the screen `url_name` (or to
    `fallback` while that screen has no name yet); `by_region` when it filters by region."""

    prefix: str
    url_name: str
    fallback: str = ""
    by_region: bool = False

    def url(self) -> str:
        try:
            return reverse(self.url_name)
        except NoReverseMatch:
            return self.fallback


# The longest matching prefix wins.
LINKS = (
    Link("grassroots.", "workbench:events:list"),
    Link("grassroots.events.on_time_rate", "workbench:event_statistics:overview"),
    Link("grassroots.events.satisfaction", "workbench:event_statistics:overview"),
    Link("government.", "workbench:service_statistics:overview"),
    Link("government.applications.submitted", "workbench:applications:supervision"),
    Link("data.", "workbench:data_catalog:list"),
    Link("data.quality.", "workbench:data_quality:ranking"),
    Link("command.directives.", "workbench:directives:list", "/work/directives/"),
    Link("command.tasks.", "workbench:checklists:list", "/work/checklists/"),
    Link("supervision", "workbench:supervision:home", "/work/supervision/", True),
)


@dataclass(frozen=True)
class Group:
    """A panel of counters: the indicators whose code starts with `prefix`."""

    key: str
    prefix: str
    label: str | Promise
    side: str


GROUPS = (
    Group("grassroots", "grassroots.", _("Grassroots events"), "left"),
    Group("government", "government.", _("One-stop services"), "left"),
    Group("data", "data.", _("Data platform"), "right"),
    Group("directives", "command.directives.", _("Directives"), "right"),
    Group("tasks", "command.tasks.", _("Task lists"), "right"),
)

# The indicators the map can colour the regions by, in the selector's order (those not
# declared are left out).
CHOROPLETH = (
    "grassroots.events.reported",
    "grassroots.events.open",
    "grassroots.events.on_time_rate",
    "government.applications.submitted",
    "government.applications.satisfaction",
    "data.calls",
    "command.directives.issued",
    "command.tasks.overdue",
)


def link_table() -> list[dict[str, object]]:
    """The prefixes with their screens' addresses, for the page's script."""
    return [
        {"prefix": link.prefix, "url": link.url(), "by_region": link.by_region} for link in LINKS
    ]
