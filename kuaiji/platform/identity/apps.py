from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdentityConfig(AppConfig):
    """Accounts of staff, citizens and enterprise operators."""

    name = "kuaiji.platform.identity"
    label = "identity"
    verbose_name = _("Identity")
