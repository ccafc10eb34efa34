"""Grid events (网格事件): problems found in the grid, from report to closure and rating.

An event is located (coordinates and address; grid, village, township and county filled in from
the directory), classified into the taxonomy (by the reporter or the triage model), and handled
on the grid-event chain, whose progress it follows (`status`). Reporters' names and phones are
personal data, encrypted at rest and masked in output.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kuaiji.platform.access.scoping import Scope, ScopedQuerySet
from kuaiji.platform.core.personal import PersonalDataField, PersonalKind


class EventSource(models.TextChoices):
    PATROL = "patrol", _("grid patrol")
    CITIZEN = "citizen", _("citizen report")
    HOTLINE = "hotline", _("12345 hotline")
    DEPARTMENT = "department", _("department transfer")
    SENSOR = "sensor", _("sensor or video alert")


class Channel(models.TextChoices):
    """How the report reached the platform."""

    WORK_FRONT = "work_front", _("work front")
    SERVICE_FRONT = "service_front", _("service front")
    HOTLINE_IMPORT = "hotline_import", _("hotline import")
    OPEN311 = "open311", _("Open311")
    FORMER_SYSTEM = "former_system", _("former grid system")


class Urgency(models.TextChoices):
    NORMAL = "normal", _("normal")
    URGENT = "urgent", _("urgent")
    CRITICAL = "critical", _("critical")


class EventStatus(models.TextChoices):
    """Where the event stands; each maps to Open311's open or closed."""

    TRIAGE = "triage", _("awaiting classification")
    ACCEPTING = "accepting", _("being accepted")
    DISPATCHING = "dispatching", _("at the county centre")
    HANDLING = "handling", _("being handled")
    FEEDBACK = "feedback", _("feedback to the reporter")
    VERIFYING = "verifying", _("being verified")
    EVALUATING = "evaluating", _("awaiting the reporter's rating")
    REVIEWING = "reviewing", _("under the supervisor's review")
    CLOSED = "closed", _("closed")
    REJECTED = "rejected", _("not accepted")
    MERGED = "merged", _("merged into another event")


CLOSED_STATUSES = (EventStatus.CLOSED, EventStatus.REJECTED, EventStatus.MERGED)


class Rating(models.TextChoices):
    SATISFIED = "satisfied", _("satisfied")
    UNSATISFIED = "unsatisfied", _("unsatisfied")


class EventQuerySet(ScopedQuerySet["Event"]):
    scope = Scope(region_path="region_path", grid="grid")
    view_permission = "grassroots.event.view"

    def open(self) -> EventQuerySet:
        return self.exclude(status__in=CLOSED_STATUSES)


def _new_number() -> str:
    return timezone.localtime().strftime("SJ%Y%m%d") + uuid.uuid4().hex[:10].upper()


class Event(models.Model):
    """One problem reported in the city, and its way through the grid-event chain."""

    number = models.CharField(_("number"), max_length=20, unique=True, default=_new_number)
    token = models.UUIDField(_("tracking token"), unique=True, default=uuid.uuid4)
    source = models.CharField(_("source"), max_length=12, choices=EventSource.choices)
    channel = models.CharField(_("channel"), max_length=15, choices=Channel.choices)
    external_ref = models.CharField(
        _("reference at the source"),
        max_length=40,
        blank=True,
        help_text=_("The 12345 ticket number, the alert id of a sensor..."),
    )
    category = models.CharField(_("category"), max_length=60, blank=True)
    platform = models.CharField(_("township platform"), max_length=20, blank=True)
    predicted_category = models.CharField(_("predicted category"), max_length=60, blank=True)
    confidence = models.FloatField(_("confidence of the prediction"), null=True, blank=True)
    description = models.TextField(_("description"))
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    grid = models.ForeignKey(
        "directory.Grid",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("grid"),
    )
    region = models.ForeignKey(
        "directory.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    region_path = models.CharField(_("region path"), max_length=80, editable=False)
    department = models.ForeignKey(
        "directory.Department",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("responsible department"),
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reported_events",
        verbose_name=_("reporter"),
    )
    reporter_name = PersonalDataField(_("reporter's name"), kind=PersonalKind.NAME, blank=True)
    reporter_phone = PersonalDataField(_("reporter's phone"), kind=PersonalKind.PHONE, blank=True)
    urgency = models.CharField(
        _("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL
    )
    status = models.CharField(
        _("status"), max_length=12, choices=EventStatus.choices, default=EventStatus.TRIAGE
    )
    status_note = models.CharField(_("status note"), max_length=200, blank=True)
    instance = models.OneToOneField(
        "chains.ChainInstance",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("chain"),
    )
    duplicate_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("possible duplicate of"),
    )
    rating = models.CharField(_("rating"), max_length=12, choices=Rating.choices, blank=True)
    created_at = models.DateTimeField(_("reported at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("grid event")
        verbose_name_plural = _("grid events")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_ref"],
                condition=~models.Q(external_ref=""),
                name="event_external_ref_once",
            )
        ]
        indexes = [
            models.Index(fields=["status", "category", "created_at"], name="event_open_idx"),
            models.Index(fields=["grid", "created_at"], name="event_grid_idx"),
            models.Index(
                fields=["region_path"], name="event_region_idx", opclasses=["varchar_pattern_ops"]
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status not in CLOSED_STATUSES


class EventPhoto(models.Model):
    """A photo of the event (JPEG or PNG, checked), with a small thumbnail for lists."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="photos", verbose_name=_("event")
    )
    image = models.FileField(_("photo"), upload_to="events/%Y/%m/")
    thumbnail = models.FileField(_("thumbnail"), upload_to="events/%Y/%m/thumbs/")
    size = models.PositiveIntegerField(_("size"))
    content_type = models.CharField(_("content type"), max_length=30)
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("event photo")
        verbose_name_plural = _("event photos")
        ordering = ["pk"]

    def __str__(self) -> str:
        return str(self.image.name)
