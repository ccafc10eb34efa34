from django.utils.translation import gettext_lazy as _

from kuaiji.platform.access.registry import Permission

PERMISSIONS = [
    Permission("data.resource.view", _("See the catalog of data resources")),
    Permission("data.resource.manage", _("Register and describe the data resources of one's unit")),
]
