"""Good/bad ratings (好差评): five levels after completion; a bad one opens a rectification."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RatingLevel(models.IntegerChoices):
    VERY_BAD = 1, _("very bad")
    BAD = 2, _("bad")
    FAIR = 3, _("fair")
    GOOD = 4, _("good")
    VERY_GOOD = 5, _("very good")


class Rating(models.Model):
    """The applicant's rating of a completed application. A rating of 2 or below is "bad": it
    opens a rectification chain with a deadline, and a revisit records the applicant's answer."""

    application = models.OneToOneField(
        "government.Application",
        on_delete=models.CASCADE,
        related_name="rating",
        verbose_name=_("application"),
    )
    level = models.PositiveSmallIntegerField(_("rating"), choices=RatingLevel.choices)
    comment = models.TextField(_("comment"), blank=True)
    rated_at = models.DateTimeField(_("rated at"), default=timezone.now)
    rectification = models.OneToOneField(
        "chains.ChainInstance",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("rectification chain"),
    )
    revisited_at = models.DateTimeField(_("revisited at"), null=True, blank=True)
    revisit_level = models.PositiveSmallIntegerField(
        _("rating at the revisit"), choices=RatingLevel.choices, null=True, blank=True
    )
    revisit_note = models.TextField(_("revisit note"), blank=True)

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        ordering = ["-rated_at"]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.level}"

    @property
    def is_bad(self) -> bool:
        return self.level <= RatingLevel.BAD
