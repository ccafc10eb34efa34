"""Permission codes, declared by each app in its ``permissions`` module as ``PERMISSIONS``."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from django.utils.functional import Promise

from kuaiji.platform.core.discovery import app_modules


@dataclass(frozen=True)
class Permission:
    """One thing a person may be allowed to do, e.g. ``directory.grid.view``."""

    code: str
    label: str | Promise


@cache
def permissions() -> dict[str, Permission]:
    """Every declared permission by code (raises on a code declared twice)."""
    found: dict[str, Permission] = {}
    for module in app_modules("permissions"):
        for permission in module.PERMISSIONS:
            if permission.code in found:
                raise ValueError(f"permission {permission.code} is declared twice")
            found[permission.code] = permission
    return found


def unknown_codes(codes: list[str]) -> list[str]:
    """The codes in `codes` that no app declares."""
    known = permissions()
    return [code for code in codes if code not in known]
