"""Holistic governance's API at ``/api/v1/command/``: one router a scene, joined here."""

from ninja import Router

from kuaiji.apps.command.api import checklists, directives, supervision

PREFIX = "/command"
router = Router(tags=["command"])
router.add_router("", directives.router)
router.add_router("", checklists.router)
router.add_router("", supervision.router)
