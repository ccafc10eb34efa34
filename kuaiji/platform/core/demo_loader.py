"""The demo loader: every app contributes steps in its ``demo`` module, run in app order.

A step is idempotent (loading twice changes nothing) and deterministic for a size, so
`kuaiji load-demo` can be run again after an upgrade to fill in what new apps add.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from kuaiji.platform.core.discovery import app_modules

DemoSize = Literal["small", "default", "large"]
DEMO_SIZES: tuple[DemoSize, ...] = ("small", "default", "large")


@dataclass(frozen=True)
class DemoStep:
    """One idempotent part of the demo data; `run` returns a one-line summary."""

    name: str
    run: Callable[[DemoSize], str]


def demo_steps() -> list[DemoStep]:
    """Every app's demo steps, in the order the apps are installed."""
    return [step for module in app_modules("demo") for step in module.STEPS]


@dataclass(frozen=True)
class DemoAccount:
    """A sign-in the demo creates, printed by `kuaiji demo` so people can try each front."""

    username: str
    password: str
    purpose: object  # a lazily translated string


def demo_accounts() -> list[DemoAccount]:
    """The sign-ins the demo steps create, as each app declares them in ``ACCOUNTS``."""
    return [
        account for module in app_modules("demo") for account in getattr(module, "ACCOUNTS", ())
    ]
