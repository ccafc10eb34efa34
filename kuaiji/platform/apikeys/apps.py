from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiKeysConfig(AppConfig):
    """API keys for machine clients of the HTTP API, and the log of their uses."""

    name = "kuaiji.platform.apikeys"
    label = "apikeys"
    verbose_name = _("API keys")

    def ready(self) -> None:
        from kuaiji.platform.apikeys import checks  # noqa: F401  (registers the system check)
