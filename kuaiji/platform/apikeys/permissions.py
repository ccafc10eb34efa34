from django.utils.translation import gettext_lazy as _

from kuaiji.platform.access.registry import Permission

PERMISSIONS = [
    Permission("apikeys.key.manage", _("Create and revoke API keys for anyone")),
]
