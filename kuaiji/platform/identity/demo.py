"""Demo accounts, one for each way into the platform."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kuaiji.platform.core.demo_loader import DemoAccount, DemoSize, DemoStep
from kuaiji.platform.identity.services import provision_account

DEMO_PASSWORD = "Kuaiji-demo-2026"  # noqa: S105  (printed by `kuaiji demo`; demo only)

# (account, display name, staff, superuser)
_SPECS = (
    (
        DemoAccount("admin", DEMO_PASSWORD, _("administrator: admin console, work front, cockpit")),
        "平台管理员",
        True,
        True,
    ),
    (
        DemoAccount("staff", DEMO_PASSWORD, _("government staff: work front and cockpit")),
        "王晓明",
        True,
        False,
    ),
)
ACCOUNTS = tuple(spec[0] for spec in _SPECS)


def load_accounts(size: DemoSize) -> str:
    """Create the demo accounts that do not exist yet."""
    created = 0
    for account, display_name, is_staff, is_superuser in _SPECS:
        _user, new = provision_account(
            actor=None,
            username=account.username,
            display_name=display_name,
            password=account.password,
            is_staff=is_staff,
            is_superuser=is_superuser,
        )
        created += new
    return f"{created} new of {len(_SPECS)} demo accounts"


STEPS = [DemoStep("accounts", load_accounts)]
