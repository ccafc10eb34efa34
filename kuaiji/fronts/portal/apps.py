from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The service front (办事端) for citizens and enterprises, at /."""

    name = "kuaiji.fronts.portal"
    label = "portal"
    verbose_name = _("Service front")

    def ready(self) -> None:
        from kuaiji.platform.core.navigation import NavItem, register

        register("portal", NavItem(_("Home"), "portal:home", icon="⌂"))
