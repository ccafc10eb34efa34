"""Find the modules of one name that Kuaiji's installed apps provide (``api``, ``demo``...)."""

from __future__ import annotations

from collections.abc import Iterator
from importlib import import_module
from importlib.util import find_spec
from types import ModuleType

from django.apps import apps


def app_modules(submodule: str) -> Iterator[ModuleType]:
    """Import and yield ``<app>.<submodule>`` for every installed Kuaiji app that has one."""
    for config in apps.get_app_configs():
        if config.name.startswith("kuaiji.") and find_spec(f"{config.name}.{submodule}"):
            yield import_module(f"{config.name}.{submodule}")
