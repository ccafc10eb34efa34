"""Applications (办件): one submission for an item or a bundle, handled by the departments of its
items in parallel on the ``one_thing_service`` chain.

An `Application` records who applied (identity sealed at rest), what for, the merged form's
answers and its status; `ApplicationItem`s are the items in it, each with its department's
handling and decision; `SuppliedMaterial`s are the materials, uploaded or obtained from shared
data with the applicant's `Consent`; a `Correction` lists every problem at once (一次性告知,
at most one per application); a `Certificate` is the result delivered as a PDF with a
verification code.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kuaiji.platform.core.personal import PersonalDataField, PersonalKind


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("submitted")
    CORRECTION = "correction", _("awaiting correction")
    ACCEPTED = "accepted", _("accepted")
    HANDLING = "handling", _("being handled")
    DECIDED = "decided", _("decided")
    DELIVERED = "delivered", _("delivered")
    REJECTED = "rejected", _("rejected")
    WITHDRAWN = "withdrawn", _("withdrawn")


class Application(models.Model):
    """One application for a service item or a one-thing bundle."""

    number = models.CharField(_("number"), max_length=30, unique=True)
    submission_key = models.CharField(
        _("submission key"),
        max_length=64,
        unique=True,
        help_text=_("Sent with the form: the same submission twice makes one application."),
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("applicant"),
    )
    enterprise = models.ForeignKey(
        "directory.Enterprise",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("enterprise"),
    )
    applicant_name = models.CharField(_("applicant's name"), max_length=200)
    id_number = PersonalDataField(_("identity number"), kind=PersonalKind.ID_NUMBER, blank=True)
    phone = PersonalDataField(_("phone"), kind=PersonalKind.PHONE, blank=True)
    address = PersonalDataField(_("address"), kind=PersonalKind.ADDRESS, blank=True)
    item = models.ForeignKey(
        "government.ServiceItem",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("service item"),
    )
    bundle = models.ForeignKey(
        "government.Bundle",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("one-thing bundle"),
    )
    region = models.ForeignKey(
        "directory.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    region_path = models.CharField(_("region path"), max_length=80, editable=False)
    answers = models.JSONField(_("form answers"), default=dict)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.SUBMITTED,
    )
    revision = models.PositiveIntegerField(_("revision"), default=1)
    online = models.BooleanField(_("applied online"), default=True)
    chain = models.OneToOneField(
        "chains.ChainInstance",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("chain"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    promised_by = models.DateField(_("promised by"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    decision_note = models.TextField(_("decision"), blank=True)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(item__isnull=True, bundle__isnull=False)
                | models.Q(item__isnull=False, bundle__isnull=True),
                name="government_application_item_or_bundle",
            )
        ]
        indexes = [
            models.Index(fields=["status", "promised_by"], name="government_app_due"),
            models.Index(
                fields=["region_path"],
                name="government_app_region",
                opclasses=["varchar_pattern_ops"],
            ),
        ]

    def __str__(self) -> str:
        return self.number


class ItemStatus(models.TextChoices):
    WAITING = "waiting", _("waiting")
    HANDLING = "handling", _("being handled")
    DONE = "done", _("handled")
    REFUSED = "refused", _("refused")


class ApplicationItem(models.Model):
    """One item of an application, handled by its department."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="items", verbose_name=_("application")
    )
    item = models.ForeignKey(
        "government.ServiceItem", on_delete=models.PROTECT, related_name="+", verbose_name=_("item")
    )
    department = models.ForeignKey(
        "directory.Department",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("department"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ItemStatus.choices, default=ItemStatus.WAITING
    )
    opinion = models.TextField(_("opinion"), blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handled by"),
    )
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("application item")
        verbose_name_plural = _("application items")
        ordering = ["application", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "item"], name="government_application_item_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application_id}:{self.item_id}"


class MaterialSource(models.TextChoices):
    UPLOAD = "upload", _("uploaded by the applicant")
    SHARED = "shared", _("obtained from shared data")


class SuppliedMaterial(models.Model):
    """A material of an application: a file the applicant uploaded, or the record obtained from
    a shared data resource (the read is in the data platform's call log, `data_call`)."""

    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="materials",
        verbose_name=_("application"),
    )
    code = models.SlugField(_("code"), max_length=60)
    name = models.CharField(_("name"), max_length=200)
    source = models.CharField(_("source"), max_length=10, choices=MaterialSource.choices)
    file = models.FileField(_("file"), upload_to="government/materials/%Y/%m/", blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    digest = models.CharField(_("SM3 digest"), max_length=64, blank=True)
    record = models.JSONField(_("record obtained"), null=True, blank=True)
    data_call = models.ForeignKey(
        "data.DataCall",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("data call"),
    )
    problem = models.CharField(_("problem"), max_length=300, blank=True)
    supplied_at = models.DateTimeField(_("supplied at"), default=timezone.now)

    class Meta:
        verbose_name = _("supplied material")
        verbose_name_plural = _("supplied materials")
        ordering = ["application", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "code"], name="government_supplied_material_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application_id}:{self.code}"


class Correction(models.Model):
    """The one request to correct an application, listing every problem at once (一次性告知)."""

    application = models.OneToOneField(
        Application,
        on_delete=models.CASCADE,
        related_name="correction",
        verbose_name=_("application"),
    )
    problems = models.JSONField(
        _("problems"), help_text=_("Every problem: material or field, and what to do.")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("correction request")
        verbose_name_plural = _("correction requests")

    def __str__(self) -> str:
        return f"{self.application_id}"


class Consent(models.Model):
    """An applicant's consent to obtain named data for one application; may be withdrawn."""

    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="data_consents",
        verbose_name=_("applicant"),
    )
    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="consents",
        verbose_name=_("application"),
    )
    resource = models.ForeignKey(
        "data.DataResource", on_delete=models.PROTECT, related_name="+", verbose_name=_("data")
    )
    fields = models.JSONField(_("fields"))
    purpose = models.CharField(_("purpose"), max_length=300)
    given_at = models.DateTimeField(_("given at"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-given_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.applicant_id} → {self.resource_id}"


class Certificate(models.Model):
    """The result of an application delivered as a PDF e-certificate, checkable by its code."""

    application = models.OneToOneField(
        Application,
        on_delete=models.PROTECT,
        related_name="certificate",
        verbose_name=_("application"),
    )
    number = models.CharField(_("number"), max_length=40, unique=True)
    verification_code = models.CharField(_("verification code"), max_length=20, unique=True)
    title = models.CharField(_("title"), max_length=200)
    pdf = models.FileField(_("PDF"), upload_to="government/certificates/%Y/%m/")
    digest = models.CharField(_("SM3 digest of the PDF"), max_length=64)
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)

    class Meta:
        verbose_name = _("e-certificate")
        verbose_name_plural = _("e-certificates")
        ordering = ["-issued_at"]

    def __str__(self) -> str:
        return self.number
