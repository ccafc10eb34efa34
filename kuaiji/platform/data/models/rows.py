"""The rows of a resource and how they arrive.

A `DataRow` is one record of a resource, found by its primary key (`key`, the canonical JSON of
the key fields' values) and kept as typed JSON. Rows arrive by `Load`s — an uploaded file or a
scheduled pull from a `DataSource` — each validated against the schema as a whole: bad rows
either reject the whole file or wait in quarantine (`QuarantinedRow`) while the good ones are
applied. A load that changes rows raises the resource's `data_version`; the values a row had
before a change are kept as a `RowRevision` of that version.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DataRow(models.Model):
    """One record of a resource, as typed JSON keyed by its primary key."""

    resource = models.ForeignKey(
        "data.DataResource",
        on_delete=models.CASCADE,
        related_name="rows",
        verbose_name=_("resource"),
    )
    key = models.CharField(_("primary key"), max_length=300)
    data = models.JSONField(_("values"))
    version = models.PositiveIntegerField(_("changed in data version"))
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("data row")
        verbose_name_plural = _("data rows")
        constraints = [
            models.UniqueConstraint(fields=["resource", "key"], name="data_row_key_once")
        ]

    def __str__(self) -> str:
        return f"{self.resource_id}:{self.key}"


class RowRevision(models.Model):
    """The values a row had before the load of `version` changed or removed it."""

    resource = models.ForeignKey(
        "data.DataResource",
        on_delete=models.CASCADE,
        related_name="revisions",
        verbose_name=_("resource"),
    )
    key = models.CharField(_("primary key"), max_length=300)
    version = models.PositiveIntegerField(_("superseded in data version"))
    data = models.JSONField(_("earlier values"))

    class Meta:
        verbose_name = _("row revision")
        verbose_name_plural = _("row revisions")
        indexes = [models.Index(fields=["resource", "key", "version"], name="data_revision_key")]

    def __str__(self) -> str:
        return f"{self.resource_id}:{self.key}@{self.version}"


class BadRowHandling(models.TextChoices):
    """What a load does when some rows break the schema."""

    REJECT = "reject", _("reject the whole file")
    QUARANTINE = "quarantine", _("apply the good rows, quarantine the bad ones")


class LoadStatus(models.TextChoices):
    APPLIED = "applied", _("applied")
    REJECTED = "rejected", _("rejected")
    FAILED = "failed", _("failed")


class LoadSource(models.TextChoices):
    UPLOAD = "upload", _("upload")
    PULL = "pull", _("scheduled pull")


class Load(models.Model):
    """One file taken in for a resource: what it held, what was applied, how long it took."""

    resource = models.ForeignKey(
        "data.DataResource",
        on_delete=models.CASCADE,
        related_name="loads",
        verbose_name=_("resource"),
    )
    source = models.CharField(_("source"), max_length=10, choices=LoadSource.choices)
    file_name = models.CharField(_("file name"), max_length=200)
    digest = models.CharField(_("SM3 digest of the file"), max_length=64)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("loaded by"),
    )
    on_bad_rows = models.CharField(_("on bad rows"), max_length=10, choices=BadRowHandling.choices)
    status = models.CharField(_("status"), max_length=10, choices=LoadStatus.choices)
    data_version = models.PositiveIntegerField(
        _("data version"), null=True, blank=True, help_text=_("The version this load made.")
    )
    rows_read = models.PositiveIntegerField(_("rows read"), default=0)
    rows_inserted = models.PositiveIntegerField(_("rows inserted"), default=0)
    rows_updated = models.PositiveIntegerField(_("rows updated"), default=0)
    rows_unchanged = models.PositiveIntegerField(_("rows unchanged"), default=0)
    rows_bad = models.PositiveIntegerField(_("bad rows"), default=0)
    problems = models.JSONField(
        _("problems"),
        default=list,
        blank=True,
        help_text=_("The first problems found: line, field and reason."),
    )
    message = models.CharField(_("message"), max_length=500, blank=True)
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    validate_seconds = models.FloatField(_("seconds to validate"), default=0)
    write_seconds = models.FloatField(_("seconds to write"), default=0)

    class Meta:
        verbose_name = _("load")
        verbose_name_plural = _("loads")
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.resource_id} {self.file_name} ({self.status})"


class QuarantinedRow(models.Model):
    """A row of a load that broke the schema, held with its reasons until it is fixed."""

    load = models.ForeignKey(
        Load, on_delete=models.CASCADE, related_name="quarantined", verbose_name=_("load")
    )
    line = models.PositiveIntegerField(_("line"))
    values = models.JSONField(_("values as read"))
    reasons = models.JSONField(_("reasons"))

    class Meta:
        verbose_name = _("quarantined row")
        verbose_name_plural = _("quarantined rows")
        ordering = ["load", "line"]

    def __str__(self) -> str:
        return f"{self.load_id}:{self.line}"


class FileFormat(models.TextChoices):
    CSV = "csv", "CSV"
    XLSX = "xlsx", "XLSX"


class DataSource(models.Model):
    """A department's address the platform pulls a resource's file from, on a schedule."""

    resource = models.ForeignKey(
        "data.DataResource",
        on_delete=models.CASCADE,
        related_name="sources",
        verbose_name=_("resource"),
    )
    url = models.URLField(_("address"), max_length=500)
    format = models.CharField(_("format"), max_length=5, choices=FileFormat.choices)
    every_minutes = models.PositiveIntegerField(_("pull every (minutes)"), default=1440)
    on_bad_rows = models.CharField(_("on bad rows"), max_length=10, choices=BadRowHandling.choices)
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    last_pulled_at = models.DateTimeField(_("last pulled at"), null=True, blank=True)
    last_load = models.ForeignKey(
        Load,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last load"),
    )
    last_error = models.CharField(_("last error"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("data source")
        verbose_name_plural = _("data sources")
        ordering = ["resource", "pk"]

    def __str__(self) -> str:
        return self.url
