"""The catalog of government service items (政务服务事项) and "one thing" bundles (一件事).

A `ServiceItem` is one service a department provides: its legal basis and conditions, the
materials it needs (`ItemMaterial`, each marked when the platform obtains it from a shared data
resource instead of the applicant — 免提交), its statutory and promised time limits in working
days, fee, online level and whether it takes at most one visit. A `Bundle` combines several
items into one application with one merged form, shared materials asked once.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class ItemKind(models.TextChoices):
    """The statutory kind of a service item (事项类型)."""

    LICENCE = "licence", _("administrative licence")
    PAYMENT = "payment", _("administrative payment")
    CONFIRMATION = "confirmation", _("administrative confirmation")
    RULING = "ruling", _("administrative ruling")
    REWARD = "reward", _("administrative reward")
    REGISTRATION = "registration", _("registration")
    PUBLIC_SERVICE = "public_service", _("public service")
    OTHER = "other", _("other administrative power")


class ApplicantKind(models.TextChoices):
    CITIZEN = "citizen", _("citizens")
    ENTERPRISE = "enterprise", _("enterprises")
    BOTH = "both", _("citizens and enterprises")


class OnlineLevel(models.IntegerChoices):
    """How far a service can be done online (网上办理深度)."""

    INFORMATION = 1, _("1 guidance online")
    FORMS = 2, _("2 forms online")
    APPLY = 3, _("3 applied for online")
    FULL = 4, _("4 handled wholly online")


class ServiceItem(models.Model):
    """One government service item of a department, with its service guide."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    department = models.ForeignKey(
        "directory.Department",
        on_delete=models.PROTECT,
        related_name="service_items",
        verbose_name=_("department"),
    )
    kind = models.CharField(_("kind"), max_length=15, choices=ItemKind.choices)
    applicants = models.CharField(_("for"), max_length=10, choices=ApplicantKind.choices)
    legal_basis = models.TextField(_("legal basis"))
    conditions = models.TextField(_("conditions"), blank=True)
    statutory_days = models.PositiveSmallIntegerField(_("statutory limit (working days)"))
    promised_days = models.PositiveSmallIntegerField(_("promised limit (working days)"))
    fee = models.DecimalField(
        _("fee (yuan)"),
        max_digits=10,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    fee_basis = models.CharField(_("basis of the fee"), max_length=300, blank=True)
    online_level = models.PositiveSmallIntegerField(_("online level"), choices=OnlineLevel.choices)
    one_visit = models.BooleanField(_("at most one visit"), default=True)
    guide = models.TextField(_("service guide"), blank=True)
    result_name = models.CharField(
        _("result"), max_length=200, help_text=_("What the applicant receives, e.g. a licence.")
    )
    active = models.BooleanField(_("offered"), default=True)

    class Meta:
        verbose_name = _("service item")
        verbose_name_plural = _("service items")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(promised_days__lte=models.F("statutory_days")),
                name="government_item_promise_within_law",
            )
        ]

    def __str__(self) -> str:
        return self.name


class ItemMaterial(models.Model):
    """A material an item needs; `data_resource` set when the platform obtains it from shared
    data (免提交), looked up by the applicant's `lookup` identity (identity number or credit
    code)."""

    class Lookup(models.TextChoices):
        ID_NUMBER = "id_number", _("the applicant's identity number")
        CREDIT_CODE = "credit_code", _("the enterprise's credit code")

    item = models.ForeignKey(
        ServiceItem, on_delete=models.CASCADE, related_name="materials", verbose_name=_("item")
    )
    position = models.PositiveSmallIntegerField(_("position"))
    code = models.SlugField(
        _("code"),
        max_length=60,
        help_text=_("Materials of the same code in a bundle are asked for once."),
    )
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    required = models.BooleanField(_("required"), default=True)
    data_resource = models.ForeignKey(
        "data.DataResource",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("obtained from"),
    )
    lookup_field = models.CharField(
        _("field to look up by"),
        max_length=60,
        blank=True,
        help_text=_("The resource's field holding the applicant's identity."),
    )
    lookup = models.CharField(_("looked up by"), max_length=15, choices=Lookup.choices, blank=True)

    class Meta:
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        ordering = ["item", "position"]
        constraints = [
            models.UniqueConstraint(fields=["item", "code"], name="government_material_once")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def from_shared_data(self) -> bool:
        """Whether the applicant need not submit it (免提交)."""
        return self.data_resource_id is not None


class Bundle(models.Model):
    """A "one thing" (一件事): several items applied for once, handled in parallel."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("English description"), blank=True)
    applicants = models.CharField(_("for"), max_length=10, choices=ApplicantKind.choices)
    form = models.JSONField(
        _("merged form"),
        default=list,
        blank=True,
        help_text=_("The fields asked once for all items: name, label, label_en, type, required."),
    )
    items = models.ManyToManyField(
        ServiceItem, through="BundleItem", related_name="bundles", verbose_name=_("items")
    )
    active = models.BooleanField(_("offered"), default=True)

    class Meta:
        verbose_name = _("one-thing bundle")
        verbose_name_plural = _("one-thing bundles")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class BundleItem(models.Model):
    bundle = models.ForeignKey(Bundle, on_delete=models.CASCADE, related_name="entries")
    item = models.ForeignKey(ServiceItem, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(_("position"))

    class Meta:
        verbose_name = _("bundle item")
        verbose_name_plural = _("bundle items")
        ordering = ["bundle", "position"]
        constraints = [
            models.UniqueConstraint(fields=["bundle", "item"], name="government_bundle_item_once")
        ]

    def __str__(self) -> str:
        return f"{self.bundle_id}:{self.item_id}"
