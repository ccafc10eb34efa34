"""Models of the one-stop services, one module a concern: the catalog of service items and
bundles, applications with their materials, consents and certificates, and ratings."""

from kuaiji.apps.government.models.applications import (
    Application,
    ApplicationItem,
    ApplicationStatus,
    Certificate,
    Consent,
    Correction,
    ItemStatus,
    MaterialSource,
    SuppliedMaterial,
)
from kuaiji.apps.government.models.catalog import (
    ApplicantKind,
    Bundle,
    BundleItem,
    ItemKind,
    ItemMaterial,
    OnlineLevel,
    ServiceItem,
)
from kuaiji.apps.government.models.ratings import Rating, RatingLevel

__all__ = [
    "ApplicantKind",
    "Application",
    "ApplicationItem",
    "ApplicationStatus",
    "Bundle",
    "BundleItem",
    "Certificate",
    "Consent",
    "Correction",
    "ItemKind",
    "ItemMaterial",
    "ItemStatus",
    "MaterialSource",
    "OnlineLevel",
    "Rating",
    "RatingLevel",
    "ServiceItem",
    "SuppliedMaterial",
]
