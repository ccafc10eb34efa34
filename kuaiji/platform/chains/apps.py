from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChainsConfig(AppConfig):
    """Event execution chains: BPMN models run by SpiffWorkflow, worklists, time limits and
    supervision."""

    name = "kuaiji.platform.chains"
    label = "chains"
    verbose_name = _("Event execution chains")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from kuaiji.platform.chains.health import check_supervision
        from kuaiji.platform.chains.shipped import install_after_migrate
        from kuaiji.platform.core.health import CHECKS

        post_migrate.connect(install_after_migrate, sender=self)
        CHECKS["chains"] = check_supervision
