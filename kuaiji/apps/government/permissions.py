from django.utils.translation import gettext_lazy as _

from kuaiji.platform.access.registry import Permission

PERMISSIONS = [
    Permission("government.item.view", _("See the service items and bundles, with their settings")),
    Permission("government.item.manage", _("Describe the service items of one's department")),
    Permission("government.application.view", _("See the applications in one's scope")),
    Permission("government.application.accept", _("Accept applications or request corrections")),
    Permission("government.application.handle", _("Handle the items of one's department")),
    Permission("government.application.decide", _("Decide applications and deliver results")),
    Permission("government.rating.view", _("See ratings and their statistics")),
]
