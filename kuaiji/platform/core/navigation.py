"""Navigation of the three fronts, filled by the apps that add screens to them.

An app registers its entries in its AppConfig.ready(), so a front's menu always lists exactly
the screens that exist.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise

Front = Literal["portal", "workbench", "cockpit"]


@dataclass(frozen=True)
class NavItem:
    """One menu entry: a label, the URL name it opens and who may see it."""

    label: str | Promise
    url_name: str
    icon: str = "•"
    visible: Callable[[HttpRequest], bool] = lambda request: True

    @property
    def url(self) -> str:
        return reverse(self.url_name)


_MENUS: dict[Front, list[NavItem]] = {"portal": [], "workbench": [], "cockpit": []}


def register(front: Front, item: NavItem) -> None:
    """Add an entry to a front's menu (once; registering the same URL again is ignored)."""
    if all(existing.url_name != item.url_name for existing in _MENUS[front]):
        _MENUS[front].append(item)


def menu(front: Front, request: HttpRequest) -> list[NavItem]:
    """The entries of a front's menu this request's user may see."""
    return [item for item in _MENUS[front] if item.visible(request)]


def is_staff(request: HttpRequest) -> bool:
    """Government staff signed in (the work front and the cockpit are theirs)."""
    return bool(request.user.is_authenticated and request.user.is_staff)


def is_superuser(request: HttpRequest) -> bool:
    """Platform administrators."""
    return bool(request.user.is_authenticated and request.user.is_superuser)
