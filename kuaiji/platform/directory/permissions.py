from django.utils.translation import gettext_lazy as _

from kuaiji.platform.access.registry import Permission

PERMISSIONS = [
    Permission("directory.region.view", _("View regions")),
    Permission("directory.region.manage", _("Edit regions")),
    Permission("directory.department.view", _("View departments")),
    Permission("directory.department.manage", _("Edit departments")),
    Permission("directory.grid.view", _("View grids and their members")),
    Permission("directory.grid.manage", _("Edit grids and their members")),
    Permission("directory.staff.view", _("View staff")),
    Permission("directory.staff.manage", _("Edit staff")),
    Permission("directory.citizen.view", _("View citizens (masked)")),
    Permission("directory.citizen.manage", _("Register and edit citizens")),
    Permission("directory.enterprise.view", _("View enterprises")),
    Permission("directory.enterprise.manage", _("Register and edit enterprises")),
    Permission("directory.personal_data.unmask", _("See personal data unmasked")),
    Permission("directory.reform.view", _("View reform organisation")),
    Permission("directory.reform.manage", _("Edit reform organisation")),
    Permission("directory.import", _("Import divisions, grids and staff")),
]
