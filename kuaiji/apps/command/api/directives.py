"""API of the directives scene."""

from ninja import Router

router = Router()
