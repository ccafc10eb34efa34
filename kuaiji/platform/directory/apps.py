from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    """Regions, grids, departments, reform bodies, staff, citizens and enterprises."""

    name = "kuaiji.platform.directory"
    label = "directory"
    verbose_name = _("Organisation directory")
