"""Permission codes of the identity app."""

from django.utils.translation import gettext_lazy as _

from kuaiji.platform.access.registry import Permission

VERIFY_REAL_NAME = "identity.real_name.verify"

PERMISSIONS = [
    Permission(VERIFY_REAL_NAME, _("Verify the real names of citizens")),
]
