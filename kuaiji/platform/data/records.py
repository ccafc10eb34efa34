"""What registering a data resource takes: its description and its schema, checked as a whole
(identifiers, unique field names, a primary key made of declared fields, a legal basis for a
resource that is not shared). Checks that need the database are the services'."""

from __future__ import annotations

import re
from typing import Self

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from kuaiji.platform.data.models import FieldType, Level, OpeningType, SharingType, UpdateFrequency

IDENTIFIER = r"^[a-z][a-z0-9_]{0,59}$"
CODE = r"^[a-z0-9][a-z0-9-]{1,59}$"
TAG = re.compile(r"^[\w\u4e00-\u9fff][\w\u4e00-\u9fff -]{0,29}$")


class FieldRecord(BaseModel):
    """One field of the schema."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")

    name: str = Field(pattern=IDENTIFIER)
    type: FieldType
    description: str = Field("", max_length=300)
    standard: str = Field("", max_length=100)
    level: Level
    primary_key: bool = False
    required: bool = False


class ResourceRecord(BaseModel):
    """A data resource as its department registers it."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")

    code: str = Field(pattern=CODE)
    title: str = Field(min_length=2, max_length=200)
    title_en: str = Field("", max_length=200)
    description: str = Field("", max_length=4000)
    description_en: str = Field("", max_length=4000)
    department_code: str = Field(min_length=1, max_length=40)
    steward: str = Field("", max_length=100)
    frequency: UpdateFrequency
    themes: list[str] = Field(default_factory=list, max_length=10)
    tags: list[str] = Field(default_factory=list, max_length=20)
    licence: str = Field("", max_length=100)
    sharing: SharingType
    sharing_basis: str = Field("", max_length=300)
    opening: OpeningType
    fields: list[FieldRecord] = Field(min_length=1, max_length=300)

    @field_validator("themes", "tags")
    @classmethod
    def _words(cls, values: list[str]) -> list[str]:
        cleaned = list(dict.fromkeys(value.strip() for value in values if value.strip()))
        for value in cleaned:
            if not TAG.match(value):
                raise ValueError(f"not a tag: {value!r}")
        return cleaned

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        names = [item.name for item in self.fields]
        if len(set(names)) != len(names):
            raise ValueError("field names must be unique")
        if not any(item.primary_key for item in self.fields):
            raise ValueError("at least one field must be part of the primary key")
        if self.sharing == SharingType.NOT_SHARED and not self.sharing_basis:
            raise ValueError("a resource that is not shared needs the legal basis for it")
        if self.opening != OpeningType.NOT_OPEN and self.sharing == SharingType.NOT_SHARED:
            raise ValueError("a resource that is not shared cannot be open to the public")
        return self
