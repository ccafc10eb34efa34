"""The values a level, kind, platform, role or scope cell may hold: the stored English value,
its label in English or Chinese, or a common Chinese synonym (城市, 区县, 乡镇, 村社区…)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.db import models
from django.utils import translation

from kuaiji.platform.directory.models import (
    DepartmentKind,
    DepartmentLevel,
    GridKind,
    GridRole,
    RegionLevel,
    TownshipPlatform,
)


def normalise(text: str) -> str:
    """Text folded for matching: full-width forms to half-width, case and spaces ignored."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return re.sub(r"[\s_\-]+", "", folded)


@dataclass(frozen=True)
class Choices:
    """The accepted spellings of one set of values."""

    values: tuple[str, ...]
    synonyms: Mapping[str, tuple[str, ...]]
    labels: Mapping[str, object] = field(default_factory=dict)

    def resolve(self, text: str) -> str | None:
        """The stored value `text` stands for, or None when it matches none."""
        return self._lookup().get(normalise(text))

    def _lookup(self) -> dict[str, str]:
        lookup: dict[str, str] = {}
        for value in self.values:
            spellings = [value, *self.synonyms.get(value, ())]
            label = self.labels.get(value)
            if label is not None:
                for language in ("en", "zh-hans"):
                    with translation.override(language):
                        spellings.append(str(label))
            for spelling in spellings:
                lookup.setdefault(normalise(spelling), value)
        return lookup


def of(choices: type[models.TextChoices], synonyms: Mapping[str, tuple[str, ...]]) -> Choices:
    """The spellings of a model's choices: values, labels and the given synonyms."""
    return Choices(
        values=tuple(str(value) for value in choices.values),
        synonyms=synonyms,
        labels={str(value): label for value, label in choices.choices},
    )


REGION_LEVELS = of(
    RegionLevel,
    {
        "city": ("市", "城市", "地级市", "设区市", "市级"),
        "county": ("区县", "县", "区", "县级市", "县(市、区)", "县市区", "区县级"),
        "township": ("乡镇", "乡", "镇", "街道", "乡镇(街道)", "乡镇街道", "乡镇级"),
        "village": ("村社区", "村", "社区", "村(社区)", "村居", "行政村", "村级"),
    },
)
DEPARTMENT_LEVELS = of(
    DepartmentLevel,
    {
        "city": ("市级", "市", "市直"),
        "county": ("区县级", "县级", "区县", "县(市、区)级"),
        "township": ("乡镇级", "乡镇", "街道", "乡镇(街道)"),
    },
)
DEPARTMENT_KINDS = of(
    DepartmentKind,
    {
        "government": ("人民政府", "政府"),
        "functional": ("职能部门", "部门", "functional"),
        "township_office": ("乡镇(街道)", "乡镇街道", "乡镇政府", "街道办事处", "乡镇(街道)办"),
        "centre": ("中心", "center"),
        "platform": ("平台", "基层治理平台", "四平台"),
    },
)
TOWNSHIP_PLATFORMS = of(
    TownshipPlatform,
    {
        "party_building": ("党建统领", "党建"),
        "economy_ecology": ("经济生态",),
        "safety_law": ("平安法治",),
        "public_service": ("公共服务",),
    },
)
GRID_KINDS = of(
    GridKind,
    {
        "comprehensive": ("综合网格", "综合"),
        "dedicated": ("专属网格", "专属"),
    },
)
GRID_ROLES = of(
    GridRole,
    {
        "head": ("网格长",),
        "full_time": ("专职网格员", "专职"),
        "part_time": ("兼职网格员", "兼职"),
        "instructor": ("网格指导员", "指导员"),
    },
)
SCOPE_TYPES = Choices(
    values=("region", "department", "grid"),
    synonyms={
        "region": ("区域", "行政区划", "区划", "地区"),
        "department": ("部门", "单位"),
        "grid": ("网格",),
    },
)
