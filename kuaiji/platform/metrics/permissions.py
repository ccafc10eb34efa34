from django.utils.translation import gettext_lazy as _

from kuaiji.platform.access.registry import Permission

PERMISSIONS = [
    Permission("metrics.indicator.view", _("See indicators and their values in one's regions")),
]
