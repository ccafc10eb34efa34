from django.utils.translation import gettext_lazy as _

from kuaiji.platform.access.registry import Permission

PERMISSIONS = [
    Permission("data.resource.view", _("See the catalog of data resources")),
    Permission(
        "data.resource.manage",
        _("Register the data resources of one's unit, load their rows, answer for their grants"),
    ),
    Permission("data.rows.read", _("Read the rows of resources shared with one's unit")),
    Permission("data.sharing.apply", _("Apply for conditional data resources for one's unit")),
    Permission("data.sharing.review", _("Review data sharing requests for data security")),
    Permission("data.flowback.subscribe", _("Subscribe one's region to data flow-back")),
    Permission("data.quality.view", _("See data quality scores and the department ranking")),
]
