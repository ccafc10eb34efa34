from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessConfig(AppConfig):
    """Permission codes, roles, scoped grants, and the one `authorize()` every service uses."""

    name = "kuaiji.platform.access"
    label = "access"
    verbose_name = _("Access control")
