"""What describing a service item or a one-thing bundle takes, checked as a whole.

`ItemRecord` is a service item with its guide and materials (promised limit within the
statutory one, material codes unique, a material from shared data naming its resource, the field
to look up and how); `BundleRecord` a bundle with its items in order and its merged form. Checks
that need the database (the department, the items and data resources exist) are the services'
(`kuaiji.apps.government.catalog`).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from kuaiji.apps.government.models import ApplicantKind, ItemKind, ItemMaterial, OnlineLevel

CODE = r"^[A-Za-z0-9][A-Za-z0-9-]{1,39}$"
SLUG = r"^[a-z0-9][a-z0-9-]{0,59}$"
FIELD_NAME = r"^[a-z][a-z0-9_]{0,59}$"


class MaterialRecord(BaseModel):
    """A material an item needs. With `data_resource`, the platform obtains it from that shared
    data resource (免提交), looking up the applicant's identity in `lookup_field`."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")

    code: str = Field(pattern=SLUG)
    name: str = Field(min_length=2, max_length=200)
    name_en: str = Field("", max_length=200)
    required: bool = True
    data_resource: str = Field("", max_length=60, description="Code of a data resource.")
    lookup_field: str = Field("", max_length=60)
    lookup: ItemMaterial.Lookup | Literal[""] = ""

    @model_validator(mode="after")
    def _shared_data(self) -> Self:
        if self.data_resource:
            if not self.lookup_field:
                raise ValueError("a material from shared data names the field to look up")
            if not self.lookup:
                self.lookup = ItemMaterial.Lookup.ID_NUMBER
        elif self.lookup_field or self.lookup:
            raise ValueError("only a material from shared data has a lookup field")
        return self


class ItemRecord(BaseModel):
    """A service item as its department describes it (its service guide)."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")

    code: str = Field(pattern=CODE)
    name: str = Field(min_length=2, max_length=200)
    name_en: str = Field("", max_length=200)
    department_code: str = Field(min_length=1, max_length=40)
    kind: ItemKind
    applicants: ApplicantKind
    legal_basis: str = Field(min_length=2, max_length=4000)
    conditions: str = Field("", max_length=4000)
    statutory_days: int = Field(ge=0, le=365)
    promised_days: int = Field(ge=0, le=365)
    fee: Decimal = Field(Decimal("0"), ge=0, max_digits=10, decimal_places=2)
    fee_basis: str = Field("", max_length=300)
    online_level: OnlineLevel
    one_visit: bool = True
    guide: str = Field("", max_length=20000)
    result_name: str = Field(min_length=1, max_length=200)
    active: bool = True
    materials: list[MaterialRecord] = Field(default_factory=list, max_length=60)

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.promised_days > self.statutory_days:
            raise ValueError("the promised limit cannot exceed the statutory one")
        codes = [material.code for material in self.materials]
        if len(set(codes)) != len(codes):
            raise ValueError("material codes must be unique")
        if self.fee > 0 and not self.fee_basis:
            raise ValueError("a fee needs its basis")
        return self


class FormFieldRecord(BaseModel):
    """A field of a bundle's merged form, asked once for all its items."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")

    name: str = Field(pattern=FIELD_NAME)
    label: str = Field(min_length=1, max_length=100)
    label_en: str = Field("", max_length=100)
    type: Literal["text", "date", "number", "id_number", "phone", "choice", "textarea"] = "text"
    required: bool = True
    choices: list[str] = Field(default_factory=list, max_length=30)


class BundleRecord(BaseModel):
    """A one-thing bundle: its items (codes, in the order they are handled) and merged form."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")

    code: str = Field(pattern=SLUG)
    name: str = Field(min_length=2, max_length=200)
    name_en: str = Field("", max_length=200)
    description: str = Field("", max_length=4000)
    description_en: str = Field("", max_length=4000)
    applicants: ApplicantKind
    items: list[str] = Field(min_length=2, max_length=30)
    form: list[FormFieldRecord] = Field(default_factory=list, max_length=60)
    active: bool = True

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if len(set(self.items)) != len(self.items):
            raise ValueError("an item appears once in a bundle")
        names = [field.name for field in self.form]
        if len(set(names)) != len(names):
            raise ValueError("form field names must be unique")
        return self
