from django.utils.translation import gettext_lazy as _

from kuaiji.platform.access.registry import Permission

PERMISSIONS = [
    Permission("grassroots.event.view", _("See grid events")),
    Permission("grassroots.event.report", _("Report grid events")),
    Permission("grassroots.event.triage", _("Classify events in the manual triage queue")),
    Permission("grassroots.event.merge", _("Merge a duplicate event into the event it repeats")),
]
