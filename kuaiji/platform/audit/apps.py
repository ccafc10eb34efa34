from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """The tamper-evident audit log: every change, by whom, from where, in an SM3 hash chain."""

    name = "kuaiji.platform.audit"
    label = "audit"
    verbose_name = _("Audit log")
