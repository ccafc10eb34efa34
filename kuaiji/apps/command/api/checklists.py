"""API of the checklists scene."""

from ninja import Router

router = Router()
