from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Shared capabilities every part of Kuaiji uses: errors, API, health, tasks, assets."""

    name = "kuaiji.platform.core"
    label = "core"
    verbose_name = _("Platform core")
