from django.utils.translation import gettext_lazy as _

from kuaiji.platform.access.registry import Permission

PERMISSIONS = [
    Permission("command.directive.view", _("See the directives issued in one's scope")),
    Permission("command.directive.issue", _("Issue directives to units, regions and roles")),
    Permission("command.checklist.view", _("See task lists and their progress in one's scope")),
    Permission("command.checklist.manage", _("Draw up task lists and accept their tasks")),
    Permission("command.supervision.view", _("See overdue work across the apps")),
    Permission("command.supervision.urge", _("Urge the units behind overdue work")),
]
