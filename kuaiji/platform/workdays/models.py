"""The working-day calendar. Weekdays are working days and weekends are not, except for the
days the State Council's yearly schedule names: public holidays on weekdays and make-up
workdays (调休) on weekends. A year counts only once its schedule is published here."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarSource(models.TextChoices):
    LIBRARY = "library", _("holiday library")
    ADMINISTRATOR = "administrator", _("entered by an administrator")


class PublishedYear(models.Model):
    """A year whose holiday schedule is known; days of other years cannot be counted."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    source = models.CharField(_("source"), max_length=15, choices=CalendarSource.choices)
    published_at = models.DateTimeField(_("published at"), auto_now_add=True)

    class Meta:
        verbose_name = _("published year")
        verbose_name_plural = _("published years")
        ordering = ["year"]

    def __str__(self) -> str:
        return str(self.year)


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("public holiday")
    WORKDAY = "workday", _("make-up workday")


class SpecialDay(models.Model):
    """A day that breaks the weekday rule: a holiday on a weekday, or a workday at a weekend."""

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=DayKind.choices)
    name = models.CharField(_("name"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("special day")
        verbose_name_plural = _("special days")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()} {self.name}".strip()
