from django.utils.translation import gettext_lazy as _

from kuaiji.platform.access.registry import Permission

PERMISSIONS = [
    Permission("workdays.calendar.manage", _("Publish and correct the working-day calendar")),
]
