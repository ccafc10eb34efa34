"""Data quality: the figures a resource scores when its rows are checked."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class QualityReport(models.Model):
    """One check of a resource: completeness, validity, timeliness, uniqueness (each 0–1) and
    the score (0–100) they make, with the problems found."""

    resource = models.ForeignKey(
        "data.DataResource",
        on_delete=models.CASCADE,
        related_name="quality_reports",
        verbose_name=_("resource"),
    )
    at = models.DateTimeField(_("checked at"), default=timezone.now)
    data_version = models.PositiveIntegerField(_("data version"))
    rows = models.PositiveIntegerField(_("rows"))
    completeness = models.FloatField(_("completeness"))
    validity = models.FloatField(_("validity"))
    timeliness = models.FloatField(_("timeliness"))
    uniqueness = models.FloatField(_("uniqueness"))
    score = models.FloatField(_("score"))
    problems = models.JSONField(_("problems"), default=list, blank=True)
    chain = models.ForeignKey(
        "chains.ChainInstance",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("rectification chain"),
    )

    class Meta:
        verbose_name = _("quality report")
        verbose_name_plural = _("quality reports")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["resource", "at"], name="data_quality_latest")]

    def __str__(self) -> str:
        return f"{self.resource_id} {self.score:.0f}"
