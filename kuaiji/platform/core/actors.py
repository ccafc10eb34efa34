"""Who acts: a signed-in user, or the platform itself (set-up, demo loader, CLI imports)."""

from __future__ import annotations

from typing import Final


class SystemActor:
    """The platform acting on its own behalf; it may do everything and is recorded as "system"."""

    is_authenticated: Final = True
    is_active: Final = True
    is_staff: Final = True
    is_superuser: Final = True
    pk = None
    id = None
    username: Final = "system"

    def __str__(self) -> str:
        return "system"

    def __repr__(self) -> str:
        return "<SystemActor>"


SYSTEM: Final = SystemActor()
