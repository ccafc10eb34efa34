"""API of the supervision scene."""

from ninja import Router

router = Router()
