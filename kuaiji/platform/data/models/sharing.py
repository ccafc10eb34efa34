"""Obtaining data across departments: sharing requests, grants and the call log.

A consumer department applies for a conditional resource (`SharingRequest`, run on the shipped
``data_sharing`` chain: provider approval, then security review); approval makes a `Grant` of
named fields until an expiry, which the provider may revoke. Every read through the data
interfaces is a `DataCall`; reads by government consumers are also sealed in the audit chain
(`audit_sequence`), so the call log cannot be edited unnoticed.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("under review")
    GRANTED = "granted", _("granted")
    REJECTED = "rejected", _("rejected")
    WITHDRAWN = "withdrawn", _("withdrawn")


class SharingRequest(models.Model):
    """A department's application to obtain a resource: purpose, fields, period, legal basis."""

    resource = models.ForeignKey(
        "data.DataResource",
        on_delete=models.CASCADE,
        related_name="sharing_requests",
        verbose_name=_("resource"),
    )
    department = models.ForeignKey(
        "directory.Department",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("applying department"),
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("applicant"),
    )
    purpose = models.CharField(_("purpose"), max_length=500)
    legal_basis = models.CharField(_("legal basis"), max_length=300)
    fields = models.JSONField(_("fields"))
    period_days = models.PositiveIntegerField(_("period (days)"))
    status = models.CharField(
        _("status"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    chain = models.OneToOneField(
        "chains.ChainInstance",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("chain"),
    )
    created_at = models.DateTimeField(_("applied at"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("sharing request")
        verbose_name_plural = _("sharing requests")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.department_id} → {self.resource_id}"


class Grant(models.Model):
    """A department's right to read named fields of a resource until it expires or is revoked."""

    resource = models.ForeignKey(
        "data.DataResource",
        on_delete=models.CASCADE,
        related_name="grants",
        verbose_name=_("resource"),
    )
    department = models.ForeignKey(
        "directory.Department",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("consumer department"),
    )
    request = models.OneToOneField(
        SharingRequest,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="grant",
        verbose_name=_("request"),
    )
    fields = models.JSONField(_("fields"))
    purpose = models.CharField(_("purpose"), max_length=500)
    starts_at = models.DateTimeField(_("valid from"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )
    revoke_reason = models.CharField(_("reason for revoking"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("grant")
        verbose_name_plural = _("grants")
        ordering = ["-starts_at", "-pk"]
        indexes = [models.Index(fields=["department", "resource"], name="data_grant_consumer")]

    def __str__(self) -> str:
        return f"{self.department_id} ← {self.resource_id}"

    def is_live(self, at: object = None) -> bool:
        """Whether the grant allows reading now (or at `at`)."""
        moment = at or timezone.now()
        return self.revoked_at is None and self.starts_at <= moment < self.expires_at  # type: ignore[operator]


class CallChannel(models.TextChoices):
    API = "api", _("data API")
    CKAN = "ckan", _("CKAN API")
    DOWNLOAD = "download", _("download")
    PREVIEW = "preview", _("preview")
    FLOWBACK = "flowback", _("flow-back")


class DataCall(models.Model):
    """One read of a resource's rows: who, which fields, how many rows, for what purpose."""

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    channel = models.CharField(_("channel"), max_length=10, choices=CallChannel.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("caller"),
    )
    department = models.ForeignKey(
        "directory.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("consumer department"),
    )
    resource = models.ForeignKey(
        "data.DataResource",
        on_delete=models.CASCADE,
        related_name="calls",
        verbose_name=_("resource"),
    )
    grant = models.ForeignKey(
        Grant,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="calls",
        verbose_name=_("grant"),
    )
    fields = models.JSONField(_("fields"))
    masked = models.JSONField(_("masked fields"), default=list)
    rows = models.PositiveIntegerField(_("rows"))
    purpose = models.CharField(_("purpose"), max_length=500, blank=True)
    query = models.JSONField(_("query"), default=dict)
    audit_sequence = models.PositiveBigIntegerField(
        _("audit entry"),
        null=True,
        blank=True,
        help_text=_("The audit chain entry that seals this call."),
    )

    class Meta:
        verbose_name = _("data call")
        verbose_name_plural = _("data calls")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["resource", "at"], name="data_call_resource")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.resource_id} {self.rows}"
