from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShellConfig(AppConfig):
    """What the three fronts share: base layout, navigation, language switch, error pages."""

    name = "kuaiji.fronts.shell"
    label = "shell"
    verbose_name = _("Front shell")
