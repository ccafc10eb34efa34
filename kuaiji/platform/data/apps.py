from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DataConfig(AppConfig):
    """The public data platform: the catalog of data resources and what is built on it."""

    name = "kuaiji.platform.data"
    label = "data"
    verbose_name = _("Public data platform")

    def ready(self) -> None:
        from kuaiji.platform.chains.listeners import listen
        from kuaiji.platform.data.sharing import BUSINESS_TYPE, follow_chain

        listen(BUSINESS_TYPE, follow_chain)
