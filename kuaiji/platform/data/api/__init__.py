"""The public data platform's API at ``/api/v1/data/``: one router a concern, joined here."""

from ninja import Router

from kuaiji.platform.data.api import catalog

PREFIX = "/data"
router = Router(tags=["data"])
router.add_router("", catalog.router)
