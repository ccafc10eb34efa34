from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkdaysConfig(AppConfig):
    """China's working-day calendar: public holidays and make-up workdays, year by year."""

    name = "kuaiji.platform.workdays"
    label = "workdays"
    verbose_name = _("Working-day calendar")

    def ready(self) -> None:
        from kuaiji.platform.core.health import CHECKS
        from kuaiji.platform.workdays.health import check_calendar

        CHECKS["calendar"] = check_calendar
