from django.utils.translation import gettext_lazy as _

from kuaiji.platform.access.registry import Permission

PERMISSIONS = [
    Permission("chains.model.view", _("See chain models and their diagrams")),
    Permission("chains.model.manage", _("Upload new versions of chain models")),
    Permission("chains.instance.view", _("See chain instances and their timelines")),
    Permission("chains.instance.start", _("Start chain instances")),
    Permission("chains.task.handle", _("Work on the tasks of chains")),
    Permission("chains.task.supervise", _("Supervise overdue work and urge its handlers")),
]
