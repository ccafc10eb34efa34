from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    """Notifications: an inbox for every person, and delivery by e-mail and SMS after commit."""

    name = "kuaiji.platform.messaging"
    label = "messaging"
    verbose_name = _("Messaging")
