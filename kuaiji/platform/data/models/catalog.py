"""The data resource catalog (数据资源目录).

A `DataResource` is one dataset a department keeps: what it is, who answers for it, how often it
changes, under which licence, and how it may be shared between departments and opened to the
public. Its `ResourceField`s are its schema: each field's type, the data element standard it
follows and its classification level (1 public … 4 sensitive). Every change of the description
or the schema makes a new `version`.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kuaiji.platform.access.scoping import Scope, ScopedQuerySet


class UpdateFrequency(models.TextChoices):
    REALTIME = "realtime", _("real time")
    DAILY = "daily", _("daily")
    WEEKLY = "weekly", _("weekly")
    MONTHLY = "monthly", _("monthly")
    QUARTERLY = "quarterly", _("quarterly")
    YEARLY = "yearly", _("yearly")
    IRREGULAR = "irregular", _("irregular")


class SharingType(models.TextChoices):
    """How other departments may obtain it (共享类型)."""

    UNCONDITIONAL = "unconditional", _("shared unconditionally")
    CONDITIONAL = "conditional", _("shared on conditions")
    NOT_SHARED = "not_shared", _("not shared")


class OpeningType(models.TextChoices):
    """How the public may obtain it (开放类型)."""

    OPEN = "open", _("open unconditionally")
    CONDITIONAL = "conditional", _("open on conditions")
    NOT_OPEN = "not_open", _("not open")


class FieldType(models.TextChoices):
    STRING = "string", _("text")
    INTEGER = "integer", _("integer")
    NUMBER = "number", _("number")
    DATE = "date", _("date")
    DATETIME = "datetime", _("date and time")
    BOOLEAN = "boolean", _("yes or no")


class Level(models.IntegerChoices):
    """Classification level of a field (数据分级)."""

    PUBLIC = 1, _("1 public")
    INTERNAL = 2, _("2 internal")
    RESTRICTED = 3, _("3 restricted")
    SENSITIVE = 4, _("4 sensitive")


class ResourceQuerySet(ScopedQuerySet["DataResource"]):
    scope = Scope(region_path="department__region__path", department_path="department__path")
    view_permission = "data.resource.manage"


class DataResource(models.Model):
    """One data resource of the catalog, kept by a department."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("English title"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("English description"), blank=True)
    department = models.ForeignKey(
        "directory.Department",
        on_delete=models.PROTECT,
        related_name="data_resources",
        verbose_name=_("owning department"),
    )
    steward = models.CharField(_("data steward"), max_length=100, blank=True)
    frequency = models.CharField(
        _("update frequency"), max_length=10, choices=UpdateFrequency.choices
    )
    themes = models.JSONField(_("themes"), default=list, blank=True)
    tags = models.JSONField(_("tags"), default=list, blank=True)
    licence = models.CharField(_("licence"), max_length=100, blank=True)
    sharing = models.CharField(_("sharing type"), max_length=15, choices=SharingType.choices)
    sharing_basis = models.CharField(
        _("legal basis for not sharing"),
        max_length=300,
        blank=True,
        help_text=_("Required when the resource is not shared."),
    )
    opening = models.CharField(_("opening type"), max_length=15, choices=OpeningType.choices)
    version = models.PositiveIntegerField(_("version"), default=1)
    data_version = models.PositiveIntegerField(
        _("data version"), default=0, help_text=_("Raised by every load that changes rows.")
    )
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    data_updated_at = models.DateTimeField(_("data last updated"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    objects = ResourceQuerySet.as_manager()

    class Meta:
        verbose_name = _("data resource")
        verbose_name_plural = _("data resources")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.title

    def key_fields(self) -> list[str]:
        """The names of the fields that make up the primary key, in schema order."""
        return [item.name for item in self.fields.all() if item.primary_key]


class ResourceField(models.Model):
    """A field of a resource's schema."""

    resource = models.ForeignKey(
        DataResource, on_delete=models.CASCADE, related_name="fields", verbose_name=_("resource")
    )
    position = models.PositiveSmallIntegerField(_("position"))
    name = models.CharField(_("name"), max_length=60)
    type = models.CharField(_("type"), max_length=10, choices=FieldType.choices)
    description = models.CharField(_("description"), max_length=300, blank=True)
    standard = models.CharField(
        _("data element standard"),
        max_length=100,
        blank=True,
        help_text=_("The data element the field follows, e.g. GB/T 2261.1 for sex."),
    )
    level = models.PositiveSmallIntegerField(_("classification level"), choices=Level.choices)
    primary_key = models.BooleanField(_("part of the primary key"), default=False)
    required = models.BooleanField(_("required"), default=False)

    class Meta:
        verbose_name = _("resource field")
        verbose_name_plural = _("resource fields")
        ordering = ["resource", "position"]
        constraints = [
            models.UniqueConstraint(fields=["resource", "name"], name="data_field_name_once")
        ]

    def __str__(self) -> str:
        return f"{self.resource_id}.{self.name}"
