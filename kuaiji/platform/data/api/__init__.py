"""The public data platform's API at ``/api/v1/data/``: one router a concern, joined here."""

from ninja import Router

from kuaiji.platform.data.api import catalog, flowback, loads, quality, rows, sharing

PREFIX = "/data"
router = Router(tags=["data"])
router.add_router("", catalog.router)
router.add_router("", loads.router)
router.add_router("", rows.router)
router.add_router("", sharing.router)
router.add_router("", quality.router)
router.add_router("", flowback.router)
