"""Data flow-back (数据回流): a county or township subscribes to a resource filtered to its
region and receives the matching rows in its workspace on schedule."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Subscription(models.Model):
    """A region's standing order for the rows of a resource that concern it."""

    resource = models.ForeignKey(
        "data.DataResource",
        on_delete=models.CASCADE,
        related_name="subscriptions",
        verbose_name=_("resource"),
    )
    region = models.ForeignKey(
        "directory.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    region_field = models.CharField(
        _("region field"),
        max_length=60,
        help_text=_("The field of the resource that holds region codes."),
    )
    every_minutes = models.PositiveIntegerField(_("deliver every (minutes)"), default=1440)
    subscriber = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("subscriber"),
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    last_delivered_at = models.DateTimeField(_("last delivered at"), null=True, blank=True)
    last_delivered_version = models.PositiveIntegerField(
        _("last delivered data version"), default=0
    )

    class Meta:
        verbose_name = _("flow-back subscription")
        verbose_name_plural = _("flow-back subscriptions")
        ordering = ["resource", "region"]
        constraints = [
            models.UniqueConstraint(
                fields=["resource", "region", "region_field"], name="data_subscription_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.resource_id} → {self.region_id}"


class Delivery(models.Model):
    """The rows a subscription received at one time: the region's part of one data version."""

    subscription = models.ForeignKey(
        Subscription,
        on_delete=models.CASCADE,
        related_name="deliveries",
        verbose_name=_("subscription"),
    )
    at = models.DateTimeField(_("delivered at"), default=timezone.now)
    data_version = models.PositiveIntegerField(_("data version"))
    row_count = models.PositiveIntegerField(_("rows"))
    rows = models.JSONField(_("rows"))

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.subscription_id} v{self.data_version}"
