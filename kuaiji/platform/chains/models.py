"""Event execution chains (事件执行链).

A `ChainDefinition` is one kind of chain ("grid event"); each upload of its BPMN model is a
`ChainVersion`, and an instance stays on the version it started with. A `ChainInstance` keeps
SpiffWorkflow's serialized state and a `revision` for the optimistic check. Each user task that
becomes ready is written to the indexed `WorkTask` table, which is what worklists, supervision
and time limits read; `TimelineEntry` keeps every step from start to end.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kuaiji.platform.access.scoping import Scope, ScopedQuerySet


def _path_index(field: str, name: str) -> models.Index:
    """An index for `path LIKE 'prefix%'` scope filters (PostgreSQL needs the opclass)."""
    return models.Index(fields=[field], name=name, opclasses=["varchar_pattern_ops"])


class ChainDefinition(models.Model):
    """One kind of chain, named by the id of its BPMN process ("grid_event")."""

    key = models.SlugField(_("key"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("chain model")
        verbose_name_plural = _("chain models")
        ordering = ["key"]

    def __str__(self) -> str:
        return self.name


class ChainVersion(models.Model):
    """One uploaded BPMN model of a chain, validated and compiled.

    `spec` is SpiffWorkflow's serialized process specification (so instances load without
    parsing XML); `lanes` and `steps` are what the engine reads from the model's extensions:
    who each lane resolves to, and each user task's names, time limit and form fields.
    """

    definition = models.ForeignKey(
        ChainDefinition,
        on_delete=models.CASCADE,
        related_name="versions",
        verbose_name=_("chain model"),
    )
    number = models.PositiveIntegerField(_("version"))
    source = models.TextField(_("BPMN source"))
    digest = models.CharField(_("SM3 digest"), max_length=64)
    spec = models.TextField(_("compiled specification"))
    lanes = models.JSONField(_("lanes"), default=dict)
    steps = models.JSONField(_("steps"), default=dict)
    shipped = models.BooleanField(_("shipped with Kuaiji"), default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("chain model version")
        verbose_name_plural = _("chain model versions")
        ordering = ["definition", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["definition", "number"], name="chain_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.definition} v{self.number}"


class InstanceStatus(models.TextChoices):
    RUNNING = "running", _("running")
    SUSPENDED = "suspended", _("suspended")
    COMPLETED = "completed", _("completed")
    WITHDRAWN = "withdrawn", _("withdrawn")
    CANCELLED = "cancelled", _("cancelled")


class InstanceQuerySet(ScopedQuerySet["ChainInstance"]):
    scope = Scope(region_path="region_path", department_path="department_path")
    view_permission = "chains.instance.view"


class ChainInstance(models.Model):
    """One run of a chain about one business object (an event, an application, a directive).

    `region` (and optionally `grid` and `department`) anchor the instance: lanes resolve to
    people from them, and they scope who may see it.
    """

    version = models.ForeignKey(
        ChainVersion, on_delete=models.PROTECT, related_name="instances", verbose_name=_("version")
    )
    title = models.CharField(_("title"), max_length=200)
    business_type = models.CharField(_("business type"), max_length=60)
    business_id = models.CharField(_("business id"), max_length=60, blank=True)
    region = models.ForeignKey(
        "directory.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    grid = models.ForeignKey(
        "directory.Grid",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("grid"),
    )
    department = models.ForeignKey(
        "directory.Department",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("responsible department"),
    )
    region_path = models.CharField(_("region path"), max_length=80, editable=False)
    department_path = models.CharField(
        _("department path"), max_length=255, blank=True, editable=False
    )
    starter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("started by"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=InstanceStatus.choices, default=InstanceStatus.RUNNING
    )
    state = models.TextField(_("workflow state"))
    revision = models.PositiveIntegerField(_("revision"), default=0)
    touched = models.BooleanField(_("acted on by others"), default=False)
    wakes_at = models.DateTimeField(_("next timer"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    suspended_at = models.DateTimeField(_("suspended at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    objects = InstanceQuerySet.as_manager()

    class Meta:
        verbose_name = _("chain instance")
        verbose_name_plural = _("chain instances")
        ordering = ["-started_at", "-pk"]
        indexes = [
            models.Index(fields=["business_type", "business_id"], name="chain_business_idx"),
            models.Index(
                fields=["wakes_at"],
                name="chain_wakes_idx",
                condition=Q(wakes_at__isnull=False),
            ),
            _path_index("region_path", "chain_instance_region_idx"),
        ]

    def __str__(self) -> str:
        return self.title


class TaskStatus(models.TextChoices):
    OPEN = "open", _("open")
    SUSPENDED = "suspended", _("suspended")
    DONE = "done", _("done")
    RETURNED = "returned", _("returned")
    CANCELLED = "cancelled", _("cancelled")


OPEN_STATUSES = (TaskStatus.OPEN, TaskStatus.SUSPENDED)


class TaskQuerySet(ScopedQuerySet["WorkTask"]):
    scope = Scope(region_path="region_path", department_path="department_path")
    view_permission = "chains.task.supervise"

    def open(self) -> TaskQuerySet:
        return self.filter(status=TaskStatus.OPEN)


class WorkTask(models.Model):
    """A user task of a chain instance, as the worklist sees it.

    Exactly one of `assignee` (a person) and `candidate_key` (a role in a unit,
    "township_officer@region:12", which anyone holding that grant may claim) says whose it is
    until someone claims it. The region and department paths of the unit scope supervision.
    """

    instance = models.ForeignKey(
        ChainInstance, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("instance")
    )
    spiff_id = models.UUIDField(_("engine task id"))
    step = models.CharField(_("step"), max_length=100)
    step_name = models.CharField(_("step name"), max_length=200)
    step_name_en = models.CharField(_("English step name"), max_length=200, blank=True)
    lane = models.CharField(_("lane"), max_length=100, blank=True)
    title = models.CharField(_("title"), max_length=200)
    business_type = models.CharField(_("business type"), max_length=60)
    business_id = models.CharField(_("business id"), max_length=60, blank=True)
    candidate_key = models.CharField(_("candidate group"), max_length=80, blank=True)
    unit_label = models.CharField(_("unit"), max_length=200, blank=True)
    region_path = models.CharField(_("region path"), max_length=80)
    department_path = models.CharField(_("department path"), max_length=255, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="chain_tasks",
        verbose_name=_("assignee"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=TaskStatus.choices, default=TaskStatus.OPEN
    )
    time_limit = models.CharField(_("time limit"), max_length=10, blank=True)
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)
    yellow_at = models.DateTimeField(_("yellow from"), null=True, blank=True)
    due_pending = models.BooleanField(
        _("waiting for the calendar"),
        default=False,
        help_text=_("The time limit reaches into a year whose calendar is not published yet."),
    )
    form = models.JSONField(_("form data"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("completed by"),
    )
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    urge_count = models.PositiveIntegerField(_("times urged"), default=0)

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["due_at", "pk"]
        indexes = [
            models.Index(fields=["assignee", "status", "due_at"], name="chain_task_assignee_idx"),
            models.Index(
                fields=["candidate_key", "status", "due_at"], name="chain_task_candidate_idx"
            ),
            models.Index(fields=["status", "due_at"], name="chain_task_due_idx"),
            models.Index(fields=["instance", "status"], name="chain_task_instance_idx"),
            _path_index("region_path", "chain_task_region_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.title} · {self.step_name}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class CoHandler(models.Model):
    """A person added to a task to help (协办): sees it and adds opinions, does not complete it."""

    task = models.ForeignKey(
        WorkTask, on_delete=models.CASCADE, related_name="co_handlers", verbose_name=_("task")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="co_handled_tasks",
        verbose_name=_("co-handler"),
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("added by"),
    )
    added_at = models.DateTimeField(_("added at"), default=timezone.now)

    class Meta:
        verbose_name = _("co-handler")
        verbose_name_plural = _("co-handlers")
        constraints = [
            models.UniqueConstraint(fields=["task", "user"], name="chain_co_handler_once")
        ]

    def __str__(self) -> str:
        return f"{self.task_id} · {self.user}"


class StepAction(models.TextChoices):
    START = "start", _("started")
    CREATE = "create", _("task created")
    CLAIM = "claim", _("claimed")
    COMPLETE = "complete", _("completed")
    RETURN = "return", _("returned")
    TRANSFER = "transfer", _("transferred")
    CO_HANDLER = "co_handler", _("co-handler added")
    OPINION = "opinion", _("opinion")
    SUSPEND = "suspend", _("suspended")
    RESUME = "resume", _("resumed")
    WITHDRAW = "withdraw", _("withdrawn")
    REMIND = "remind", _("reminded")
    OVERDUE = "overdue", _("overdue, escalated")
    URGE = "urge", _("urged")
    TIMER = "timer", _("timer fired")
    CANCEL = "cancel", _("cancelled")
    END = "end", _("ended")


class TimelineEntry(models.Model):
    """One step of an instance's thread: who did what, when, with which comment."""

    instance = models.ForeignKey(
        ChainInstance,
        on_delete=models.CASCADE,
        related_name="timeline",
        verbose_name=_("instance"),
    )
    task = models.ForeignKey(
        WorkTask,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="timeline",
        verbose_name=_("task"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("actor"),
    )
    action = models.CharField(_("action"), max_length=12, choices=StepAction.choices)
    comment = models.TextField(_("comment"), blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("timeline entry")
        verbose_name_plural = _("timeline entries")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["instance", "at"], name="chain_timeline_idx")]

    def __str__(self) -> str:
        return f"{self.instance_id} {self.action}"


class Attachment(models.Model):
    """A file attached to a step of the timeline (a photo of the work done, a scanned reply)."""

    entry = models.ForeignKey(
        TimelineEntry,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("timeline entry"),
    )
    file = models.FileField(_("file"), upload_to="chains/%Y/%m/")
    name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size"))
    content_type = models.CharField(_("content type"), max_length=100)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.name


class OverdueQuerySet(ScopedQuerySet["OverdueRecord"]):
    scope = Scope(region_path="region_path", department_path="department_path")
    view_permission = "chains.task.supervise"


class OverdueRecord(models.Model):
    """A task that ran past its time limit, and the unit it was escalated to."""

    task = models.OneToOneField(
        WorkTask, on_delete=models.CASCADE, related_name="overdue", verbose_name=_("task")
    )
    region_path = models.CharField(_("region path"), max_length=80)
    department_path = models.CharField(_("department path"), max_length=255, blank=True)
    unit_label = models.CharField(_("unit"), max_length=200, blank=True)
    due_at = models.DateTimeField(_("due at"))
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    escalated_to = models.CharField(_("escalated to"), max_length=80, blank=True)

    objects = OverdueQuerySet.as_manager()

    class Meta:
        verbose_name = _("overdue record")
        verbose_name_plural = _("overdue records")
        ordering = ["-recorded_at"]
        indexes = [_path_index("region_path", "chain_overdue_region_idx")]

    def __str__(self) -> str:
        return f"{self.task_id} overdue"
