"""The one-stop services' API at ``/api/v1/government/``: one router a concern, joined here."""

from ninja import Router

from kuaiji.apps.government.api import applications, catalog
from kuaiji.apps.government.api import ratings as ratings_api

PREFIX = "/government"
router = Router(tags=["government"])
router.add_router("", catalog.router)
router.add_router("", applications.router)
router.add_router("", ratings_api.router)
