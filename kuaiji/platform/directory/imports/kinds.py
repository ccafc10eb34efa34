"""The kinds of directory data that can be imported."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportKind(models.TextChoices):
    """What a file holds; grids come as GeoJSON, everything else as CSV or XLSX."""

    REGIONS = "regions", _("regions (administrative divisions)")
    DEPARTMENTS = "departments", _("departments")
    GRIDS = "grids", _("grids (GeoJSON)")
    STAFF = "staff", _("staff")
    GRID_MEMBERS = "grid_members", _("grid members")
    GRANTS = "grants", _("role grants")

    @classmethod
    def parse(cls, text: str) -> ImportKind:
        """The kind named by `text`; "grid-members" is accepted for "grid_members"."""
        return cls(text.strip().lower().replace("-", "_"))
