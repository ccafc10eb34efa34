"""Indicators (one row per declared indicator) and their values by region, department and
period."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Dimension(models.TextChoices):
    REGION = "region", _("region")
    TIME = "time", _("time")
    DEPARTMENT = "department", _("department")


class Aggregate(models.TextChoices):
    """How the values of the days make up a month's value."""

    SUM = "sum", _("sum")
    MEAN = "mean", _("mean")


class PeriodKind(models.TextChoices):
    DAY = "day", _("day")
    MONTH = "month", _("month")


class Indicator(models.Model):
    """The definition of one indicator, as an app declares it in its ``indicators`` module."""

    code = models.CharField(_("code"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=150, blank=True)
    unit = models.CharField(_("unit"), max_length=20)
    owner = models.CharField(_("owning app"), max_length=50)
    description = models.TextField(_("description"), blank=True)
    dimensions = models.JSONField(_("dimensions"), default=list)
    aggregate = models.CharField(
        _("monthly aggregate"), max_length=4, choices=Aggregate.choices, default=Aggregate.SUM
    )
    refresh = models.PositiveIntegerField(_("refresh every (minutes)"), default=15)
    active = models.BooleanField(_("active"), default=True)
    refreshed_at = models.DateTimeField(_("last refreshed"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class IndicatorValue(models.Model):
    """The value of an indicator for a region (and department) over one day or month."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="values", verbose_name=_("indicator")
    )
    region = models.ForeignKey(
        "directory.Region",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("region"),
    )
    department = models.ForeignKey(
        "directory.Department",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department"),
    )
    period = models.DateField(_("period start"))
    period_kind = models.CharField(_("period"), max_length=5, choices=PeriodKind.choices)
    value = models.FloatField(_("value"))
    computed_at = models.DateTimeField(_("computed at"), default=timezone.now)

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        ordering = ["indicator", "period"]
        constraints = [
            # NULLs are distinct in unique constraints, hence one constraint per null pattern.
            models.UniqueConstraint(
                fields=["indicator", "region", "department", "period_kind", "period"],
                name="metrics_value_unique",
            ),
            models.UniqueConstraint(
                fields=["indicator", "region", "period_kind", "period"],
                condition=Q(department__isnull=True),
                name="metrics_value_region_unique",
            ),
            models.UniqueConstraint(
                fields=["indicator", "department", "period_kind", "period"],
                condition=Q(region__isnull=True),
                name="metrics_value_department_unique",
            ),
            models.UniqueConstraint(
                fields=["indicator", "period_kind", "period"],
                condition=Q(region__isnull=True, department__isnull=True),
                name="metrics_value_total_unique",
            ),
        ]
        indexes = [
            models.Index(
                fields=["indicator", "region", "period_kind", "period"], name="metrics_series_idx"
            ),
            models.Index(fields=["region", "period_kind", "period"], name="metrics_snapshot_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.region_id} {self.period}: {self.value}"
