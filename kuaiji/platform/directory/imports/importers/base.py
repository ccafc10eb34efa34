"""What every kind of import provides: its columns and record, what is stored already, the
checks against the file and the database, and the service that writes it."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, Literal, TypeVar

from django.db import models
from django.utils.translation import gettext as _
from pydantic import BaseModel

from kuaiji.platform.access.services import authorize
from kuaiji.platform.directory.imports.columns import Column
from kuaiji.platform.directory.imports.kinds import ImportKind
from kuaiji.platform.directory.imports.report import Problem
from kuaiji.platform.directory.imports.source import Row
from kuaiji.platform.directory.upsert import UpsertReport

R = TypeVar("R", bound=BaseModel)
M = TypeVar("M", bound=models.Model)
Outcome = Literal["created", "updated", "unchanged"]
IMPORT_PERMISSION = "directory.import"


@dataclass(frozen=True)
class Entry(Generic[R]):
    """A row that made a valid record, with its line."""

    line: int
    record: R


class Problems:
    """The problems found so far, with the header labels used to name columns."""

    def __init__(self, labels: Mapping[str, str]) -> None:
        self.items: list[Problem] = []
        self.labels = dict(labels)

    def add(self, line: int, column: str, reason: str) -> None:
        """Record a problem; `column` is a column's name, shown as the file writes it."""
        self.items.append(Problem(line, self.labels.get(column, column), reason))

    def lines(self) -> set[int]:
        """The lines with at least one problem."""
        return {problem.line for problem in self.items}


def visible(model: type[M], actor: Any, code: str) -> models.QuerySet[M]:
    """The rows of `model` the actor may act on with permission `code`."""
    queryset: models.QuerySet[M] = model._default_manager.all()
    return queryset.visible_to(actor, code)  # type: ignore[attr-defined, no-any-return]


def out_of_reach(code: str) -> str:
    """The reason given when a key is used by a record outside the actor's scope."""
    return _("%(code)s is used by a record you may not change") % {"code": code}


def not_stored(what: str, code: str) -> str:
    """The reason given when a reference is neither in the file nor stored (or not visible)."""
    return _("%(what)s %(code)s is neither in the file nor stored") % {"what": what, "code": code}


class Importer(ABC, Generic[R]):
    """One kind of import. Subclasses declare the class variables and fill in the hooks."""

    kind: ClassVar[ImportKind]
    record_type: ClassVar[type[BaseModel]]
    columns: ClassVar[tuple[Column, ...]]
    key: ClassVar[tuple[str, ...]]
    permissions: ClassVar[tuple[str, ...]]
    geojson: ClassVar[bool] = False
    extra_labels: ClassVar[Mapping[str, str]] = {}

    def __init__(self, actor: Any) -> None:
        self.actor = actor

    def authorize(self) -> None:
        """Raise Forbidden unless the actor may import this kind at all."""
        for code in (IMPORT_PERMISSION, *self.permissions):
            authorize(self.actor, code)

    def key_of(self, values: Mapping[str, Any]) -> tuple[str, ...]:
        """The values identifying a row (in the file and among the stored rows)."""
        return tuple(str(values.get(name) or "") for name in self.key)

    @abstractmethod
    def prepare(self, rows: Sequence[Mapping[str, Any]]) -> None:
        """Load what is stored for the keys and references in the rows (a few queries)."""

    @abstractmethod
    def stored(self, values: Mapping[str, Any]) -> dict[str, Any] | None:
        """The stored row with the key in `values`, as record fields; None when it is new."""

    def extra_fields(self, row: Row, stored: Mapping[str, Any] | None) -> dict[str, Any]:
        """Record fields that are not columns (a boundary from the GeoJSON geometry…)."""
        return {}

    @abstractmethod
    def check(
        self, entries: Sequence[Entry[R]], keys: set[tuple[str, ...]], problems: Problems
    ) -> None:
        """Check references against the file (`keys`: every row's key, valid or not) and the
        database, adding a problem per bad row."""

    def outcome(self, entry: Entry[R]) -> Outcome:
        """What importing the entry would do to the stored row."""
        stored = self.stored(entry.record.model_dump(mode="json"))
        if stored is None:
            return "created"
        same = all(getattr(entry.record, name) == value for name, value in stored.items())
        return "unchanged" if same else "updated"

    @abstractmethod
    def write(self, records: Sequence[R]) -> UpsertReport:
        """Write the records through the directory's service (inside the caller's transaction)."""
