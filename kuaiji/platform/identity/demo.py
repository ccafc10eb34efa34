"""The demo's platform administrator (the directory's demo adds one account per kind of staff)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kuaiji.platform.core.actors import SYSTEM
from kuaiji.platform.core.demo_loader import DemoAccount, DemoSize, DemoStep
from kuaiji.platform.identity.services import provision_account

DEMO_PASSWORD = "Kuaiji-demo-2026"  # noqa: S105  (printed by `kuaiji demo`; demo only)

ACCOUNTS = (
    DemoAccount("admin", DEMO_PASSWORD, _("administrator: admin console, work front, cockpit")),
)


def load_administrator(size: DemoSize) -> str:
    """Create the administrator account unless it exists."""
    _user, created = provision_account(
        actor=SYSTEM,
        username="admin",
        display_name="平台管理员",
        password=DEMO_PASSWORD,
        is_superuser=True,
    )
    return "1 created" if created else "0 created, 1 unchanged"


STEPS = [DemoStep("administrator", load_administrator)]
