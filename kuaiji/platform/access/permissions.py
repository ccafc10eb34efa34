from django.utils.translation import gettext_lazy as _

from kuaiji.platform.access.registry import Permission

PERMISSIONS = [
    Permission("access.role.view", _("View roles and grants")),
    Permission("access.role.manage", _("Edit roles and grant them")),
]
