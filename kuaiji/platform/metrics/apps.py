from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MetricsConfig(AppConfig):
    """Indicators declared by the apps, their values by region and period."""

    name = "kuaiji.platform.metrics"
    label = "metrics"
    verbose_name = _("Indicators")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from kuaiji.platform.metrics.registry import sync_after_migrate

        post_migrate.connect(sync_after_migrate, sender=self)
