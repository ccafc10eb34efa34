"""The organisation directory: where things are, and who works where.

Regions and departments are trees kept with a materialised `path` of codes ("330600/330602/"),
so ancestors and descendants are one query each and data scopes are a prefix match.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Length
from django.utils.translation import gettext_lazy as _

from kuaiji.platform.access.scoping import Scope, ScopedQuerySet
from kuaiji.platform.core.personal import BlindIndexField, PersonalDataField, PersonalKind


def _path_index(name: str) -> models.Index:
    # varchar_pattern_ops lets PostgreSQL use the index for LIKE 'prefix%'; others ignore it.
    return models.Index(fields=["path"], name=name, opclasses=["varchar_pattern_ops"])


class RegionLevel(models.TextChoices):
    CITY = "city", _("city")
    COUNTY = "county", _("county")
    TOWNSHIP = "township", _("township")
    VILLAGE = "village", _("village or community")


class RegionQuerySet(ScopedQuerySet["Region"]):
    scope = Scope(region_path="path")
    view_permission = "directory.region.view"


class Region(models.Model):
    """An administrative division (行政区划) with its GB/T 2260 or statistical code."""

    code = models.CharField(_("code"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    level = models.CharField(_("level"), max_length=10, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("parent"),
    )
    path = models.CharField(_("path"), max_length=80, unique=True, editable=False)
    boundary = models.JSONField(_("boundary (GeoJSON geometry)"), null=True, blank=True)
    is_real = models.BooleanField(
        _("real division"),
        default=True,
        help_text=_("False for divisions invented for the demo city."),
    )

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]
        indexes = [_path_index("region_path_prefix")]

    def __str__(self) -> str:
        return self.name

    def ancestors(self) -> models.QuerySet[Region]:
        """The regions above this one, from the top (one query)."""
        codes = self.path.strip("/").split("/")[:-1]
        return Region.objects.filter(code__in=codes).order_by(Length("path"))

    def descendants(self) -> models.QuerySet[Region]:
        """Every region below this one (one query)."""
        return Region.objects.filter(path__startswith=self.path).exclude(pk=self.pk)


class DepartmentLevel(models.TextChoices):
    CITY = "city", _("city")
    COUNTY = "county", _("county")
    TOWNSHIP = "township", _("township")


class DepartmentKind(models.TextChoices):
    GOVERNMENT = "government", _("people's government")
    FUNCTIONAL = "functional", _("functional department")
    TOWNSHIP_OFFICE = "township_office", _("township or street office")
    CENTRE = "centre", _("centre")
    PLATFORM = "platform", _("township platform")


class TownshipPlatform(models.TextChoices):
    """The four platforms of each township (基层治理四平台)."""

    PARTY_BUILDING = "party_building", _("party building")
    ECONOMY_ECOLOGY = "economy_ecology", _("economy and ecology")
    SAFETY_LAW = "safety_law", _("safety and rule of law")
    PUBLIC_SERVICE = "public_service", _("public services")


class DepartmentQuerySet(ScopedQuerySet["Department"]):
    scope = Scope(region_path="region__path", department_path="path")
    view_permission = "directory.department.view"


class Department(models.Model):
    """A government unit: a line department, a township office, a centre, or one of a
    township's four platforms."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=150, blank=True)
    level = models.CharField(_("level"), max_length=10, choices=DepartmentLevel.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=DepartmentKind.choices)
    platform = models.CharField(
        _("township platform"), max_length=20, choices=TownshipPlatform.choices, blank=True
    )
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="departments", verbose_name=_("region")
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("parent"),
    )
    path = models.CharField(_("path"), max_length=255, unique=True, editable=False)

    objects = DepartmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["path"]
        indexes = [_path_index("department_path_prefix")]

    def __str__(self) -> str:
        return self.name


class GridKind(models.TextChoices):
    COMPREHENSIVE = "comprehensive", _("comprehensive grid")
    DEDICATED = "dedicated", _("dedicated grid")


class GridQuerySet(ScopedQuerySet["Grid"]):
    scope = Scope(region_path="region__path", grid="pk")
    view_permission = "directory.grid.view"


class Grid(models.Model):
    """A grid (网格): the smallest unit of grassroots governance, with its boundary."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=15, choices=GridKind.choices)
    dedicated_to = models.CharField(
        _("dedicated to"),
        max_length=50,
        blank=True,
        help_text=_("For a dedicated grid: park, school, market, hospital…"),
    )
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="grids",
        verbose_name=_("village or township"),
    )
    boundary = models.JSONField(_("boundary (GeoJSON geometry)"))
    households = models.PositiveIntegerField(_("households"), default=0)
    population = models.PositiveIntegerField(_("population"), default=0)
    is_synthetic = models.BooleanField(
        _("synthetic boundary"),
        default=False,
        help_text=_("True where the boundary was generated for the demo city."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)

    objects = GridQuerySet.as_manager()

    class Meta:
        verbose_name = _("grid")
        verbose_name_plural = _("grids")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class StaffQuerySet(ScopedQuerySet["Staff"]):
    scope = Scope(
        region_path="department__region__path",
        department_path="department__path",
        grid="grid_memberships__grid",
        linked_region_path="grid_memberships__grid__region__path",
    )
    view_permission = "directory.staff.view"


class Staff(models.Model):
    """A person working for a government unit, including grid workers."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="staff",
        verbose_name=_("account"),
    )
    employee_no = models.CharField(_("employee number"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=50)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="staff", verbose_name=_("department")
    )
    title = models.CharField(_("position"), max_length=100, blank=True)
    phone = PersonalDataField(_("phone"), kind=PersonalKind.PHONE, blank=True)
    phone_index = BlindIndexField(_("phone index"), source="phone", blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = StaffQuerySet.as_manager()

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")
        ordering = ["department__path", "employee_no"]

    def __str__(self) -> str:
        return self.name


class GridRole(models.TextChoices):
    HEAD = "head", _("grid head")
    FULL_TIME = "full_time", _("full-time grid worker")
    PART_TIME = "part_time", _("part-time grid worker")
    INSTRUCTOR = "instructor", _("grid instructor")


class GridMember(models.Model):
    """A staff member's role in a grid (网格长, 专职/兼职网格员, 网格指导员)."""

    grid = models.ForeignKey(
        Grid, on_delete=models.CASCADE, related_name="members", verbose_name=_("grid")
    )
    staff = models.ForeignKey(
        Staff, on_delete=models.CASCADE, related_name="grid_memberships", verbose_name=_("staff")
    )
    role = models.CharField(_("role"), max_length=12, choices=GridRole.choices)

    class Meta:
        verbose_name = _("grid member")
        verbose_name_plural = _("grid members")
        constraints = [
            models.UniqueConstraint(fields=["grid", "staff", "role"], name="grid_member_once"),
        ]

    def __str__(self) -> str:
        return f"{self.grid} · {self.staff} · {self.get_role_display()}"


class ReformBodyKind(models.TextChoices):
    LEADING_GROUP = "leading_group", _("leading group")
    OFFICE = "office", _("office")
    TOPIC_GROUP = "topic_group", _("topic group")
    TASK_FORCE = "task_force", _("task force")


class ReformBodyQuerySet(ScopedQuerySet["ReformBody"]):
    scope = Scope(region_path="region__path")
    view_permission = "directory.reform.view"


class ReformBody(models.Model):
    """A body that runs the reform (组织保障): leading group, office, topic group, task force."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=150)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=15, choices=ReformBodyKind.choices)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="reform_bodies", verbose_name=_("region")
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
        verbose_name=_("parent"),
    )
    head = models.ForeignKey(
        Staff,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("head"),
    )
    members = models.ManyToManyField(
        Staff, through="ReformMembership", related_name="reform_bodies", verbose_name=_("members")
    )
    units = models.ManyToManyField(
        Department, blank=True, related_name="reform_bodies", verbose_name=_("units coordinated")
    )

    objects = ReformBodyQuerySet.as_manager()

    class Meta:
        verbose_name = _("reform body")
        verbose_name_plural = _("reform bodies")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class ReformMembership(models.Model):
    """A staff member's seat in a reform body (组长, 副组长, 成员…)."""

    body = models.ForeignKey(ReformBody, on_delete=models.CASCADE, verbose_name=_("body"))
    staff = models.ForeignKey(Staff, on_delete=models.CASCADE, verbose_name=_("staff"))
    role = models.CharField(_("role"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("reform body member")
        verbose_name_plural = _("reform body members")
        constraints = [
            models.UniqueConstraint(fields=["body", "staff"], name="reform_member_once"),
        ]

    def __str__(self) -> str:
        return f"{self.body} · {self.staff} · {self.role}"


class CitizenQuerySet(ScopedQuerySet["Citizen"]):
    scope = Scope(region_path="region__path")
    view_permission = "directory.citizen.view"


class Citizen(models.Model):
    """A resident known by real name: identity number (GB 11643), phone, address."""

    name = models.CharField(_("name"), max_length=50)
    id_number = PersonalDataField(_("identity number"), kind=PersonalKind.ID_NUMBER)
    id_number_index = BlindIndexField(_("identity number index"), source="id_number", unique=True)
    phone = PersonalDataField(_("phone"), kind=PersonalKind.PHONE, blank=True)
    phone_index = BlindIndexField(_("phone index"), source="phone", blank=True)
    address = PersonalDataField(_("address"), kind=PersonalKind.ADDRESS, blank=True)
    region = models.ForeignKey(
        Region,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="residents",
        verbose_name=_("region of residence"),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="citizen",
        verbose_name=_("account"),
    )

    objects = CitizenQuerySet.as_manager()

    class Meta:
        verbose_name = _("citizen")
        verbose_name_plural = _("citizens")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class EnterpriseScale(models.TextChoices):
    LARGE = "large", _("large")
    MEDIUM = "medium", _("medium")
    SMALL = "small", _("small")
    MICRO = "micro", _("micro")


class EnterpriseQuerySet(ScopedQuerySet["Enterprise"]):
    scope = Scope(region_path="region__path")
    view_permission = "directory.enterprise.view"


class Enterprise(models.Model):
    """An organisation known by its unified social credit code (GB 32100)."""

    credit_code = models.CharField(_("unified social credit code"), max_length=18, unique=True)
    name = models.CharField(_("name"), max_length=200)
    legal_representative = models.CharField(_("legal representative"), max_length=50)
    industry_code = models.CharField(
        _("industry (GB/T 4754)"),
        max_length=5,
        help_text=_("Section letter and division digits, e.g. C39."),
    )
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="enterprises", verbose_name=_("region")
    )
    scale = models.CharField(_("scale"), max_length=10, choices=EnterpriseScale.choices)
    operators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="enterprises",
        verbose_name=_("authorised operators"),
    )

    objects = EnterpriseQuerySet.as_manager()

    class Meta:
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        ordering = ["credit_code"]

    def __str__(self) -> str:
        return self.name
