"""The sections of the national industry classification (GB/T 4754-2017), which an operator
chooses from when registering an enterprise the platform does not know yet."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

SECTIONS = (
    ("A", _("Agriculture, forestry, animal husbandry and fishery")),
    ("B", _("Mining")),
    ("C", _("Manufacturing")),
    ("D", _("Electricity, heat, gas and water production and supply")),
    ("E", _("Construction")),
    ("F", _("Wholesale and retail trade")),
    ("G", _("Transport, storage and postal services")),
    ("H", _("Accommodation and catering")),
    ("I", _("Information transmission, software and information technology services")),
    ("J", _("Finance")),
    ("K", _("Real estate")),
    ("L", _("Leasing and business services")),
    ("M", _("Scientific research and technical services")),
    ("N", _("Water conservancy, environment and public facilities management")),
    ("O", _("Resident services, repair and other services")),
    ("P", _("Education")),
    ("Q", _("Health and social work")),
    ("R", _("Culture, sports and entertainment")),
    ("S", _("Public administration, social security and social organisations")),
    ("T", _("International organisations")),
)
