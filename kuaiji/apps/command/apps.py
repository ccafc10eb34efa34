from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommandConfig(AppConfig):
    """Holistic governance: directives, task lists to acceptance, supervision across apps."""

    name = "kuaiji.apps.command"
    label = "command"
    verbose_name = _("Holistic governance")
