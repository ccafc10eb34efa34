from django.apps import AppConfig
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


def signed_in(request: HttpRequest) -> bool:
    """Visitors who have signed in."""
    return bool(request.user.is_authenticated)


def anonymous(request: HttpRequest) -> bool:
    """Visitors who have not signed in."""
    return not request.user.is_authenticated


class PortalConfig(AppConfig):
    """The service front (办事端) for citizens and enterprises, at /."""

    name = "kuaiji.fronts.portal"
    label = "portal"
    verbose_name = _("Service front")

    def ready(self) -> None:
        from kuaiji.fronts.portal.events.access import citizen, may_report
        from kuaiji.platform.core.navigation import NavItem, register

        register("portal", NavItem(_("Home"), "portal:home", icon="⌂"))
        report = NavItem(_("Report a problem"), "portal:events:new", icon="✚", visible=may_report)
        register("portal", report)
        register(
            "portal", NavItem(_("My reports"), "portal:events:list", icon="☰", visible=citizen)
        )
        register("portal", NavItem(_("Services"), "portal:services:list", icon="◆"))
        register(
            "portal",
            NavItem(_("My applications"), "portal:services:mine", icon="▣", visible=citizen),
        )
        register("portal", NavItem(_("Open data"), "portal:opendata:list", icon="▤"))
        register("portal", NavItem(_("My account"), "portal:profile", icon="☺", visible=signed_in))
        register("portal", NavItem(_("Sign in"), "portal:login", icon="→", visible=anonymous))
        register("portal", NavItem(_("Register"), "portal:register", icon="✎", visible=anonymous))
