"""Template tags of the front shell."""

from __future__ import annotations

from django import template
from django.http import HttpRequest

from kuaiji.platform.core.navigation import Front, NavItem, menu

register = template.Library()


@register.simple_tag(takes_context=True)
def front_menu(context: template.Context, front: Front) -> list[NavItem]:
    """The menu of `front` for the current request."""
    request: HttpRequest = context["request"]
    return menu(front, request)
