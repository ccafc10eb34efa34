from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernmentConfig(AppConfig):
    """One-stop government services: items, bundles, applications, certificates, ratings."""

    name = "kuaiji.apps.government"
    label = "government"
    verbose_name = _("One-stop government services")

    def ready(self) -> None:
        from kuaiji.apps.government import following, ratings
        from kuaiji.platform.chains.listeners import listen

        listen(following.BUSINESS_TYPE, following.follow_chain)
        listen(ratings.BUSINESS_TYPE, ratings.follow_rectification)
