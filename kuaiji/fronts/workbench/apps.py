from collections.abc import Callable

from django.apps import AppConfig
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


def staff_with(code: str) -> Callable[[HttpRequest], bool]:
    """A menu rule: staff who hold permission `code` in some scope."""

    def visible(request: HttpRequest) -> bool:
        from kuaiji.platform.access.services import has_permission

        return bool(request.user.is_staff and has_permission(request.user, code))

    return visible


def dispatches(request: HttpRequest) -> bool:
    """A menu rule: staff of the township platforms and the county centre (the console's)."""
    from kuaiji.fronts.workbench.events.views_dispatch import may_dispatch

    return bool(request.user.is_staff and may_dispatch(request.user))


class WorkbenchConfig(AppConfig):
    """The work front (政务端) for government staff, at /work/."""

    name = "kuaiji.fronts.workbench"
    label = "workbench"
    verbose_name = _("Work front")

    def ready(self) -> None:
        from kuaiji.platform.core.navigation import NavItem, is_staff, is_superuser, register

        register(
            "workbench", NavItem(_("Workbench"), "workbench:home", icon="☰", visible=is_staff)
        )
        register(
            "workbench", NavItem(_("Inbox"), "workbench:inbox:list", icon="✉", visible=is_staff)
        )
        register(
            "workbench",
            NavItem(_("Directives"), "workbench:directives:list", icon="⚐", visible=is_staff),
        )
        register(
            "workbench",
            NavItem(
                _("Task lists"),
                "workbench:checklists:list",
                icon="☷",
                visible=staff_with("command.checklist.view"),
            ),
        )
        chains = (
            (_("Worklist"), "workbench:chains:worklist", "✔", "chains.task.handle"),
            (_("Supervision"), "workbench:chains:supervision", "⚑", "chains.task.supervise"),
            (
                _("Supervision across the apps"),
                "workbench:supervision:home",
                "◉",
                "command.supervision.view",
            ),
            (_("Chain models"), "workbench:chains:models", "⇄", "chains.model.view"),
        )
        events = (
            (_("Grid events"), "workbench:events:list", "◎", "grassroots.event.view"),
            (_("Report an event"), "workbench:events:new", "✚", "grassroots.event.report"),
            (
                _("Event statistics"),
                "workbench:event_statistics:overview",
                "▤",
                "grassroots.event.view",
            ),
        )
        applications = (
            (
                _("Acceptance desk"),
                "workbench:applications:desk",
                "⎘",
                "government.application.accept",
            ),
            (
                _("Department applications"),
                "workbench:applications:department",
                "☑",
                "government.application.handle",
            ),
            (
                _("Service supervision"),
                "workbench:applications:supervision",
                "⏱",
                "government.application.view",
            ),
        )
        for label, url_name, icon, code in (*chains, *events, *applications):
            register("workbench", NavItem(label, url_name, icon=icon, visible=staff_with(code)))
        register(
            "workbench",
            NavItem(
                _("Dispatch console"), "workbench:events:dispatch", icon="⇶", visible=dispatches
            ),
        )
        directory = (
            (_("Organisation"), "workbench:directory:tree", "⌂"),
            (_("Grid map"), "workbench:directory:grid_map", "▣"),
            (_("Staff lookup"), "workbench:directory:staff", "☎"),
        )
        for label, url_name, icon in directory:
            register("workbench", NavItem(label, url_name, icon=icon, visible=is_staff))
        register(
            "workbench",
            NavItem(
                _("Import"),
                "workbench:directory_import:upload",
                icon="⇪",
                visible=staff_with("directory.import"),
            ),
        )
        register(
            "workbench",
            NavItem(
                _("Audit log"),
                "workbench:audit:list",
                icon="⌕",
                visible=staff_with("audit.entry.view"),
            ),
        )
        register(
            "workbench",
            NavItem(
                _("Real-name checks"),
                "workbench:accounts:awaiting",
                icon="✓",
                visible=staff_with("identity.real_name.verify"),
            ),
        )
        data_screens = (
            (_("Data catalog"), "workbench:data_catalog:list", "▤", "data.resource.view"),
            (_("Data sharing"), "workbench:data_sharing:list", "⇄", "data.sharing.apply"),
            (_("Data quality"), "workbench:data_quality:ranking", "✓", "data.quality.view"),
            (_("Data flow-back"), "workbench:data_flowback:list", "⇩", "data.flowback.subscribe"),
            (
                _("Service statistics"),
                "workbench:service_statistics:overview",
                "★",
                "government.rating.view",
            ),
        )
        for label, url_name, icon, code in data_screens:
            register("workbench", NavItem(label, url_name, icon=icon, visible=staff_with(code)))
        register("workbench", NavItem(_("Cockpit"), "cockpit:home", icon="▦", visible=is_staff))
        register(
            "workbench", NavItem(_("Admin console"), "admin:index", icon="⚙", visible=is_superuser)
        )
