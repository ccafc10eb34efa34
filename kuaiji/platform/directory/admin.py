"""The directory in the admin console.

Every form is also checked as the record the directory services take (codes, check digits,
geometry), so the console accepts exactly what an import would. Regions and departments are
saved through `upsert_regions` / `upsert_departments`, which keep the materialised paths right
(a region moved to another parent takes its subtree along); the other models are saved plainly.
Personal data is masked in the lists; the change form, reached only with model permissions,
shows it whole.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, Generic, TypeVar

import pydantic
from django import forms
from django.contrib import admin
from django.contrib.admin import ModelAdmin, TabularInline
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from kuaiji.platform.core.errors import KuaijiError
from kuaiji.platform.core.personal import PersonalKind, mask
from kuaiji.platform.directory.models import (
    Citizen,
    Department,
    Enterprise,
    Grid,
    GridMember,
    ReformBody,
    ReformMembership,
    Region,
    RegionLevel,
    Staff,
)
from kuaiji.platform.directory.records import (
    CitizenRecord,
    DepartmentRecord,
    EnterpriseRecord,
    GridRecord,
    Record,
    RegionRecord,
    StaffRecord,
)
from kuaiji.platform.directory.services import upsert_departments, upsert_regions

M = TypeVar("M", bound=models.Model)


R = TypeVar("R", bound=Record)

# record field -> form field, where the record names a related object by its code
RELATED_CODES = {
    "parent_code": "parent",
    "region_code": "region",
    "department_code": "department",
}


class _DryRun(Exception):
    """Rolls back a service call made only to check a form."""


def _code(value: Any) -> str:
    return str(value.code) if value is not None else ""


class RecordForm(ModelForm[M], Generic[M, R]):
    """A model form whose data must also make a valid directory record.

    Subclasses build the record in `to_record`; its validation errors are shown on the
    matching fields. `record` holds the valid record after `is_valid()`.
    """

    actor: ClassVar[Any] = None  # the signed-in user, set by `RecordAdmin.get_form`
    record: R | None = None

    def to_record(self, data: dict[str, Any]) -> R:
        """Build the record from the cleaned data; every concrete form defines it."""
        raise NotImplementedError(f"{type(self).__name__} must define to_record")

    def value(self, data: dict[str, Any], name: str) -> Any:
        """A field's cleaned value, or the instance's for a field shown read-only."""
        return data[name] if name in self.fields else getattr(self.instance, name)

    def check_record(self, record: R) -> None:
        """Further checks of a valid record (raise ValidationError)."""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        try:
            self.record = self.to_record(data)
        except pydantic.ValidationError as exc:
            for error in exc.errors():
                name = str(error["loc"][0]) if error["loc"] else ""
                field = RELATED_CODES.get(name, name)
                message = str(error["msg"]).removeprefix("Value error, ")
                self.add_error(field if field in self.fields else None, message)
            return data
        self.check_record(self.record)
        return data


def check_with_service(write: Callable[[], object]) -> None:
    """Run a service call in a savepoint that is always rolled back, so that every rule the
    service enforces (levels, authorisation, data scope) is reported on the form."""
    try:
        with transaction.atomic():
            write()
            raise _DryRun
    except _DryRun:
        return
    except KuaijiError as error:
        details = "; ".join(str(text) for text in error.fields.values())
        raise ValidationError(f"{error.message} {details}".strip()) from error


class RecordAdmin(ModelAdmin[M]):
    """An admin whose forms learn who is signed in (the actor of the services)."""

    def get_form(
        self, request: HttpRequest, obj: M | None = None, change: bool = False, **kwargs: Any
    ) -> type[forms.ModelForm[M]]:
        form = super().get_form(request, obj, change, **kwargs)
        if issubclass(form, RecordForm):
            form.actor = request.user
        return form

    def get_readonly_fields(self, request: HttpRequest, obj: M | None = None) -> tuple[str, ...]:
        """Codes are the keys records are matched by: fixed once the object exists."""
        fixed = ("code",) if obj is not None and hasattr(obj, "code") else ()
        return (*super().get_readonly_fields(request, obj), *fixed)


def _adopt(obj: models.Model, stored: models.Model) -> None:
    """Point the admin's unsaved object at the row a service stored (for logging and links)."""
    obj.pk = stored.pk
    obj.refresh_from_db()


class RegionForm(RecordForm[Region, RegionRecord]):
    """A region, checked by a dry run of `upsert_regions`."""

    def to_record(self, data: dict[str, Any]) -> RegionRecord:
        return RegionRecord(
            code=self.value(data, "code"),
            name=data["name"],
            name_en=data.get("name_en", ""),
            level=data["level"],
            parent_code=_code(data.get("parent")),
            boundary=data.get("boundary"),
            is_real=data.get("is_real", False),
        )

    def check_record(self, record: RegionRecord) -> None:
        check_with_service(lambda: upsert_regions(actor=self.actor, records=[record]))


@admin.register(Region)
class RegionAdmin(RecordAdmin[Region]):
    """Administrative divisions; saved through `upsert_regions`, which rewrites subtree paths."""

    form = RegionForm
    list_display = ("code", "name", "name_en", "level", "parent", "is_real")
    list_filter = ("level", "is_real")
    list_select_related = ("parent",)
    search_fields = ("code", "name", "name_en")
    autocomplete_fields = ("parent",)
    readonly_fields = ("path",)
    fields = ("code", "name", "name_en", "level", "parent", "path", "boundary", "is_real")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Region]:
        return super().get_queryset(request).defer("boundary", "parent__boundary")

    def save_model(self, request: HttpRequest, obj: Region, form: Any, change: bool) -> None:
        upsert_regions(actor=request.user, records=[form.record])
        _adopt(obj, Region.objects.get(code=form.record.code))


class DepartmentForm(RecordForm[Department, DepartmentRecord]):
    """A department, checked by a dry run of `upsert_departments`."""

    def to_record(self, data: dict[str, Any]) -> DepartmentRecord:
        return DepartmentRecord(
            code=self.value(data, "code"),
            name=data["name"],
            name_en=data.get("name_en", ""),
            level=data["level"],
            kind=data["kind"],
            platform=data.get("platform") or None,
            region_code=_code(data.get("region")),
            parent_code=_code(data.get("parent")),
        )

    def check_record(self, record: DepartmentRecord) -> None:
        check_with_service(lambda: upsert_departments(actor=self.actor, records=[record]))


@admin.register(Department)
class DepartmentAdmin(RecordAdmin[Department]):
    """Government units; saved through `upsert_departments`, which rewrites subtree paths."""

    form = DepartmentForm
    list_display = ("code", "name", "level", "kind", "platform", "region", "parent")
    list_filter = ("level", "kind", "platform")
    list_select_related = ("region", "parent")
    search_fields = ("code", "name", "name_en")
    autocomplete_fields = ("region", "parent")
    readonly_fields = ("path",)
    fields = ("code", "name", "name_en", "level", "kind", "platform", "region", "parent", "path")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Department]:
        return super().get_queryset(request).defer("region__boundary")

    def save_model(self, request: HttpRequest, obj: Department, form: Any, change: bool) -> None:
        upsert_departments(actor=request.user, records=[form.record])
        _adopt(obj, Department.objects.get(code=form.record.code))


class GridForm(RecordForm[Grid, GridRecord]):
    """A grid; its boundary must be a valid polygon in degrees."""

    def to_record(self, data: dict[str, Any]) -> GridRecord:
        return GridRecord(
            code=self.value(data, "code"),
            name=data["name"],
            kind=data["kind"],
            dedicated_to=data.get("dedicated_to", ""),
            region_code=_code(data.get("region")),
            boundary=data["boundary"],
            households=data.get("households", 0),
            population=data.get("population", 0),
            is_synthetic=data.get("is_synthetic", False),
        )

    def check_record(self, record: GridRecord) -> None:
        region = self.cleaned_data.get("region")
        if region is not None and region.level not in (RegionLevel.VILLAGE, RegionLevel.TOWNSHIP):
            self.add_error("region", _("A grid belongs to a village or a township."))


class GridMemberInline(TabularInline[GridMember, Grid]):
    """The grid's members and their roles."""

    model = GridMember
    extra = 0
    autocomplete_fields = ("staff",)


@admin.register(Grid)
class GridAdmin(RecordAdmin[Grid]):
    """Grids with their members."""

    form = GridForm
    inlines = (GridMemberInline,)
    list_display = ("code", "name", "kind", "region", "households", "population", "is_synthetic")
    list_filter = ("kind", "is_synthetic")
    list_select_related = ("region",)
    search_fields = ("code", "name", "region__name")
    autocomplete_fields = ("region",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Grid]:
        return super().get_queryset(request).defer("region__boundary")


class StaffForm(RecordForm[Staff, StaffRecord]):
    """A staff member; the phone must be a mainland mobile number."""

    def to_record(self, data: dict[str, Any]) -> StaffRecord:
        record = StaffRecord(
            employee_no=data["employee_no"],
            name=data["name"],
            department_code=_code(data.get("department")),
            title=data.get("title", ""),
            phone=data.get("phone", ""),
        )
        data["phone"] = record.phone
        return record


@admin.register(Staff)
class StaffAdmin(RecordAdmin[Staff]):
    """Staff; the list masks phone numbers."""

    form = StaffForm
    list_display = ("employee_no", "name", "title", "department", "masked_phone", "is_active")
    list_filter = ("is_active", "department__level", "department__kind")
    list_select_related = ("department",)
    search_fields = ("employee_no", "name", "title", "department__name")
    autocomplete_fields = ("department", "user")

    @admin.display(description=_("phone"))
    def masked_phone(self, obj: Staff) -> str:
        return mask(PersonalKind.PHONE, obj.phone)


class ReformMembershipInline(TabularInline[ReformMembership, ReformBody]):
    """The body's members and their seats."""

    model = ReformMembership
    extra = 0
    autocomplete_fields = ("staff",)


@admin.register(ReformBody)
class ReformBodyAdmin(ModelAdmin[ReformBody]):
    """Leading groups, offices, topic groups and task forces with their members."""

    inlines = (ReformMembershipInline,)
    list_display = ("code", "name", "kind", "region", "parent", "head")
    list_filter = ("kind",)
    list_select_related = ("region", "parent", "head")
    search_fields = ("code", "name", "name_en")
    autocomplete_fields = ("region", "parent", "head", "units")

    def get_queryset(self, request: HttpRequest) -> QuerySet[ReformBody]:
        return super().get_queryset(request).defer("region__boundary")


class CitizenForm(RecordForm[Citizen, CitizenRecord]):
    """A citizen; the identity number must pass its check digit."""

    def to_record(self, data: dict[str, Any]) -> CitizenRecord:
        record = CitizenRecord(
            name=data["name"],
            id_number=data["id_number"],
            phone=data.get("phone", ""),
            address=data.get("address", ""),
            region_code=_code(data.get("region")),
        )
        data.update(id_number=record.id_number, phone=record.phone)
        return record


@admin.register(Citizen)
class CitizenAdmin(RecordAdmin[Citizen]):
    """Residents; the list shows identity numbers, phones and addresses masked."""

    form = CitizenForm
    list_display = ("pk", "name", "masked_id_number", "masked_phone", "masked_address", "region")
    list_display_links = ("pk", "name")
    list_select_related = ("region",)
    search_fields = ("name",)
    autocomplete_fields = ("region", "user")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Citizen]:
        return super().get_queryset(request).defer("region__boundary")

    @admin.display(description=_("identity number"))
    def masked_id_number(self, obj: Citizen) -> str:
        return mask(PersonalKind.ID_NUMBER, obj.id_number)

    @admin.display(description=_("phone"))
    def masked_phone(self, obj: Citizen) -> str:
        return mask(PersonalKind.PHONE, obj.phone)

    @admin.display(description=_("address"))
    def masked_address(self, obj: Citizen) -> str:
        return mask(PersonalKind.ADDRESS, obj.address)


class EnterpriseForm(RecordForm[Enterprise, EnterpriseRecord]):
    """An enterprise; the credit code must pass its check digit."""

    def to_record(self, data: dict[str, Any]) -> EnterpriseRecord:
        record = EnterpriseRecord(
            credit_code=data["credit_code"],
            name=data["name"],
            legal_representative=data["legal_representative"],
            industry_code=data["industry_code"],
            region_code=_code(data.get("region")),
            scale=data["scale"],
        )
        data["credit_code"] = record.credit_code
        return record


@admin.register(Enterprise)
class EnterpriseAdmin(RecordAdmin[Enterprise]):
    """Enterprises by unified social credit code."""

    form = EnterpriseForm
    list_display = (
        "credit_code",
        "name",
        "legal_representative",
        "industry_code",
        "scale",
        "region",
    )
    list_filter = ("scale",)
    list_select_related = ("region",)
    search_fields = ("credit_code", "name", "legal_representative")
    autocomplete_fields = ("region", "operators")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Enterprise]:
        return super().get_queryset(request).defer("region__boundary")
