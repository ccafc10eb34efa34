"""Directives (政令 "一键智达"): what a leader or office orders, to whom, by when.

A `Directive` keeps the targeting as it was chosen (departments, regions, roles); issuing it
resolves that choice into one `DirectiveTarget` per person reached, each with its inbox
notification, read receipt and reminders. `Feedback` is what a target reports back (several
reports per target are kept; the latest one counts in the consolidation).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kuaiji.platform.access.scoping import Scope, ScopedQuerySet


class DirectivePriority(models.TextChoices):
    ROUTINE = "routine", _("routine")
    URGENT = "urgent", _("urgent")
    CRITICAL = "critical", _("critical")


class DirectiveStatus(models.TextChoices):
    ISSUED = "issued", _("issued")
    CLOSED = "closed", _("closed")
    WITHDRAWN = "withdrawn", _("withdrawn")


class DirectiveQuerySet(ScopedQuerySet["Directive"]):
    scope = Scope(region_path="region_path", department_path="department_path")
    view_permission = "command.directive.view"


class Directive(models.Model):
    """One directive, from its issuer to the targets chosen by department, region and role."""

    number = models.CharField(_("number"), max_length=30, unique=True)
    submission_key = models.CharField(
        _("submission key"),
        max_length=64,
        unique=True,
        help_text=_("Sent with the form: the same submission twice makes one directive."),
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    priority = models.CharField(
        _("priority"),
        max_length=10,
        choices=DirectivePriority.choices,
        default=DirectivePriority.ROUTINE,
    )
    issuer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="issued_directives",
        verbose_name=_("issued by"),
    )
    issuing_department = models.ForeignKey(
        "directory.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issuing unit"),
    )
    region = models.ForeignKey(
        "directory.Region",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("region"),
        help_text=_("The widest region the directive addresses (the issuer's jurisdiction)."),
    )
    region_path = models.CharField(_("region path"), max_length=80, editable=False)
    department_path = models.CharField(
        _("department path"), max_length=255, blank=True, editable=False
    )
    target_departments = models.ManyToManyField(
        "directory.Department", blank=True, related_name="+", verbose_name=_("target units")
    )
    target_regions = models.ManyToManyField(
        "directory.Region", blank=True, related_name="+", verbose_name=_("target regions")
    )
    target_roles = models.ManyToManyField(
        "access.Role", blank=True, related_name="+", verbose_name=_("target roles")
    )
    feedback_required = models.BooleanField(_("feedback required"), default=True)
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=DirectiveStatus.choices, default=DirectiveStatus.ISSUED
    )
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    summary = models.TextField(
        _("consolidated feedback"),
        blank=True,
        help_text=_("The issuing office's summary of the feedback, written when closing."),
    )

    objects = DirectiveQuerySet.as_manager()

    class Meta:
        verbose_name = _("directive")
        verbose_name_plural = _("directives")
        ordering = ["-issued_at", "-pk"]
        indexes = [
            models.Index(fields=["region_path"], name="command_directive_region_idx"),
            models.Index(fields=["status", "deadline"], name="command_directive_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class DirectiveAttachment(models.Model):
    """A file sent with a directive (the full text of a notice, a table to fill in)."""

    directive = models.ForeignKey(
        Directive, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("directive")
    )
    file = models.FileField(_("file"), upload_to="directives/%Y/%m/")
    name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size"))
    content_type = models.CharField(_("content type"), max_length=100)

    class Meta:
        verbose_name = _("directive attachment")
        verbose_name_plural = _("directive attachments")

    def __str__(self) -> str:
        return self.name


class DirectiveTarget(models.Model):
    """One person a directive reached, with the unit they answer for, when it was delivered
    and read, and how often they were reminded."""

    directive = models.ForeignKey(
        Directive, on_delete=models.CASCADE, related_name="targets", verbose_name=_("directive")
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="directive_targets",
        verbose_name=_("recipient"),
    )
    department = models.ForeignKey(
        "directory.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unit"),
    )
    region = models.ForeignKey(
        "directory.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("region"),
    )
    notification = models.ForeignKey(
        "messaging.Notification",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("inbox notification"),
    )
    delivered_at = models.DateTimeField(_("delivered at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    reminders = models.PositiveSmallIntegerField(_("reminders sent"), default=0)
    reminded_at = models.DateTimeField(_("last reminded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("directive target")
        verbose_name_plural = _("directive targets")
        ordering = ["directive", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["directive", "recipient"], name="command_target_once_per_person"
            )
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="command_target_inbox_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.directive_id} → {self.recipient_id}"


class FeedbackState(models.TextChoices):
    DONE = "done", _("done")
    IN_PROGRESS = "in_progress", _("in progress")
    DIFFICULTY = "difficulty", _("needs help")


class Feedback(models.Model):
    """What a target reports back on a directive."""

    directive = models.ForeignKey(
        Directive, on_delete=models.CASCADE, related_name="feedback", verbose_name=_("directive")
    )
    target = models.ForeignKey(
        DirectiveTarget,
        on_delete=models.CASCADE,
        related_name="feedback",
        verbose_name=_("target"),
    )
    state = models.CharField(_("state"), max_length=12, choices=FeedbackState.choices)
    body = models.TextField(_("feedback"))
    attachment = models.FileField(
        _("attachment"), upload_to="directives/feedback/%Y/%m/", blank=True
    )
    attachment_name = models.CharField(_("attachment name"), max_length=200, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)

    class Meta:
        verbose_name = _("directive feedback")
        verbose_name_plural = _("directive feedback")
        ordering = ["directive", "submitted_at", "pk"]

    def __str__(self) -> str:
        return f"{self.directive_id} {self.state}"
