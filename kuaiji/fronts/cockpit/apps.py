from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CockpitConfig(AppConfig):
    """The leaders' cockpit (驾驶舱, "一屏掌控"), at /cockpit/."""

    name = "kuaiji.fronts.cockpit"
    label = "cockpit"
    verbose_name = _("Cockpit")

    def ready(self) -> None:
        from kuaiji.platform.core.navigation import NavItem, is_staff, register

        register("cockpit", NavItem(_("City overview"), "cockpit:home", icon="▦", visible=is_staff))
        register("cockpit", NavItem(_("Work front"), "workbench:home", icon="☰", visible=is_staff))
