"""Task lists followed to acceptance (清单管理, 执行 "一贯到底").

A `TaskList` comes from a directive, a meeting or a plan and belongs to the office that issued
it. Each `Task` has a quantified target (optionally an indicator of the metrics layer), a lead
unit and cooperating units, a start and a deadline (the stopwatch, 跑表计时) and `Milestone`s.
Units send `ProgressReport`s with `Evidence`; at the deadline the issuing office decides an
`Acceptance` (到点验收): accepted, or returned with what is missing.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kuaiji.platform.access.scoping import Scope, ScopedQuerySet


class TaskListOrigin(models.TextChoices):
    DIRECTIVE = "directive", _("directive")
    MEETING = "meeting", _("meeting")
    PLAN = "plan", _("plan")


class TaskListStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")
    CLOSED = "closed", _("closed")


class TaskListQuerySet(ScopedQuerySet["TaskList"]):
    scope = Scope(region_path="region_path", department_path="department_path")
    view_permission = "command.checklist.view"


class TaskList(models.Model):
    """A list of tasks issued together by one office."""

    number = models.CharField(_("number"), max_length=30, unique=True)
    submission_key = models.CharField(
        _("submission key"),
        max_length=64,
        unique=True,
        help_text=_("Sent with the form: the same submission twice makes one list."),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    origin = models.CharField(_("origin"), max_length=10, choices=TaskListOrigin.choices)
    directive = models.ForeignKey(
        "command.Directive",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="task_lists",
        verbose_name=_("directive"),
    )
    origin_reference = models.CharField(
        _("meeting or plan"),
        max_length=200,
        blank=True,
        help_text=_("The meeting (and its date) or the plan the tasks come from."),
    )
    issuing_department = models.ForeignKey(
        "directory.Department",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("issuing office"),
    )
    region = models.ForeignKey(
        "directory.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    region_path = models.CharField(_("region path"), max_length=80, editable=False)
    department_path = models.CharField(_("department path"), max_length=255, editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=TaskListStatus.choices, default=TaskListStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    objects = TaskListQuerySet.as_manager()

    class Meta:
        verbose_name = _("task list")
        verbose_name_plural = _("task lists")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(origin="directive") | Q(directive__isnull=False),
                name="command_list_directive_origin",
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("not started")
    IN_PROGRESS = "in_progress", _("in progress")
    SUBMITTED = "submitted", _("submitted for acceptance")
    ACCEPTED = "accepted", _("accepted")
    RETURNED = "returned", _("returned")


OPEN_TASK_STATUSES = (
    TaskStatus.NOT_STARTED,
    TaskStatus.IN_PROGRESS,
    TaskStatus.SUBMITTED,
    TaskStatus.RETURNED,
)


class ChecklistTaskQuerySet(ScopedQuerySet["Task"]):
    """Seen by the list's office and region, and by the lead unit (its department path)."""

    scope = Scope(region_path="region_path", department_path="department_path")
    view_permission = "command.checklist.view"


class Task(models.Model):
    """One task of a list: a quantified target, who leads, who helps, and by when."""

    task_list = models.ForeignKey(
        TaskList, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("task list")
    )
    sequence = models.PositiveSmallIntegerField(_("number in the list"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    indicator = models.ForeignKey(
        "metrics.Indicator",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("indicator"),
        help_text=_("When set, the achieved value is read from the metrics layer."),
    )
    target_value = models.DecimalField(_("target value"), max_digits=14, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=20)
    achieved_value = models.DecimalField(
        _("achieved value"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    lead_department = models.ForeignKey(
        "directory.Department",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("lead unit"),
    )
    cooperating_departments = models.ManyToManyField(
        "directory.Department", blank=True, related_name="+", verbose_name=_("cooperating units")
    )
    region_path = models.CharField(_("region path"), max_length=80, editable=False)
    department_path = models.CharField(_("department path"), max_length=255, editable=False)
    starts_on = models.DateField(_("starts on"))
    deadline = models.DateField(_("deadline"))
    status = models.CharField(
        _("status"), max_length=12, choices=TaskStatus.choices, default=TaskStatus.NOT_STARTED
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    urge_count = models.PositiveIntegerField(_("times urged"), default=0)
    revision = models.PositiveIntegerField(_("revision"), default=0)

    objects = ChecklistTaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["task_list", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["task_list", "sequence"], name="command_task_sequence_unique"
            ),
            models.CheckConstraint(
                condition=Q(deadline__gte=models.F("starts_on")),
                name="command_task_deadline_after_start",
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="command_task_progress"),
        ]
        indexes = [
            models.Index(fields=["status", "deadline"], name="command_task_due_idx"),
            models.Index(fields=["region_path"], name="command_task_region_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.task_list_id}.{self.sequence} {self.title}"


class Milestone(models.Model):
    """A dated step of a task."""

    task = models.ForeignKey(
        Task, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("task")
    )
    title = models.CharField(_("title"), max_length=200)
    due_on = models.DateField(_("due on"))
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["task", "due_on", "pk"]

    def __str__(self) -> str:
        return self.title


class ProgressReport(models.Model):
    """A unit's report on a task: what is achieved so far, how far along, and the evidence."""

    task = models.ForeignKey(
        Task, on_delete=models.CASCADE, related_name="reports", verbose_name=_("task")
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("reported by"),
    )
    department = models.ForeignKey(
        "directory.Department", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    milestone = models.ForeignKey(
        Milestone,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("milestone reached"),
    )
    achieved_value = models.DecimalField(
        _("achieved value"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"))
    summary = models.TextField(_("summary"))
    reported_at = models.DateTimeField(_("reported at"), default=timezone.now)

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["task", "reported_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="command_report_progress")
        ]

    def __str__(self) -> str:
        return f"{self.task_id} {self.progress}%"


class Evidence(models.Model):
    """A file proving the progress reported (a photo, a signed document, a table)."""

    report = models.ForeignKey(
        ProgressReport, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("report")
    )
    file = models.FileField(_("file"), upload_to="checklists/%Y/%m/")
    name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size"))
    content_type = models.CharField(_("content type"), max_length=100)
    sha256 = models.CharField(_("SHA-256"), max_length=64)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return self.name


class AcceptanceDecision(models.TextChoices):
    ACCEPTED = "accepted", _("accepted")
    RETURNED = "returned", _("returned for more work")


class Acceptance(models.Model):
    """The issuing office's decision on a task submitted at its deadline (到点验收)."""

    task = models.ForeignKey(
        Task, on_delete=models.CASCADE, related_name="acceptances", verbose_name=_("task")
    )
    decision = models.CharField(_("decision"), max_length=10, choices=AcceptanceDecision.choices)
    comment = models.TextField(_("comment"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), default=timezone.now)
    on_time = models.BooleanField(_("by the deadline"))

    class Meta:
        verbose_name = _("acceptance")
        verbose_name_plural = _("acceptances")
        ordering = ["task", "decided_at", "pk"]

    def __str__(self) -> str:
        return f"{self.task_id} {self.decision}"
