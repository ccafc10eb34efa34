from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GrassrootsConfig(AppConfig):
    """Grassroots governance: grid events reported, triaged, handled, fed back, closed, rated."""

    name = "kuaiji.apps.grassroots"
    label = "grassroots"
    verbose_name = _("Grassroots governance")

    def ready(self) -> None:
        from kuaiji.apps.grassroots.progress import BUSINESS_TYPE, follow_chain
        from kuaiji.platform.chains.listeners import listen

        listen(BUSINESS_TYPE, follow_chain)
