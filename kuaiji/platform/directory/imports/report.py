"""What a dry run or an import found and did: the problems, one per bad cell or row, and the
counts of rows created, updated and left unchanged."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kuaiji.platform.core.errors import InvalidInput
from kuaiji.platform.directory.imports.kinds import ImportKind


@dataclass(frozen=True)
class Problem:
    """One reason a row (or the header, or the file) cannot be imported.

    `line` is 1-based as a spreadsheet shows it (the header is line 1; in GeoJSON, the feature
    number); 0 means the file as a whole. `column` is the header as written, or "".
    """

    line: int
    column: str
    reason: str

    def __str__(self) -> str:
        if self.line and self.column:
            return _("line %(line)d, column %(column)s: %(reason)s") % {
                "line": self.line,
                "column": self.column,
                "reason": self.reason,
            }
        if self.line:
            return _("line %(line)d: %(reason)s") % {"line": self.line, "reason": self.reason}
        if self.column:
            return _("column %(column)s: %(reason)s") % {
                "column": self.column,
                "reason": self.reason,
            }
        return self.reason


@dataclass
class ImportReport:
    """The outcome of a dry run (what would happen) or of an import (what happened)."""

    kind: ImportKind
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)
    applied: bool = False

    @property
    def ok(self) -> bool:
        """Whether the file can be (or was) imported."""
        return not self.problems

    def sorted_problems(self) -> list[Problem]:
        """The problems by line, in the order found within a line."""
        return sorted(self.problems, key=lambda problem: problem.line)

    def counts(self) -> str:
        """ "2 created, 1 updated, 5 unchanged" in the active language."""
        return _("%(created)d created, %(updated)d updated, %(unchanged)d unchanged") % {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }

    def problem_fields(self) -> dict[str, str]:
        """The problems keyed "line:column", as an error's per-field messages."""
        fields: dict[str, str] = {}
        for problem in self.sorted_problems():
            key = f"{problem.line}:{problem.column}"
            fields[key] = f"{fields[key]}; {problem.reason}" if key in fields else problem.reason
        return fields


class ImportRejected(InvalidInput):
    """The file has problems, so nothing was written; `report` lists every one."""

    code = "import_rejected"

    def __init__(self, report: ImportReport) -> None:
        count = len(report.problems)
        super().__init__(
            ngettext(
                "The file has %(count)d problem; nothing was imported.",
                "The file has %(count)d problems; nothing was imported.",
                count,
            )
            % {"count": count},
            fields=report.problem_fields(),
        )
        self.report = report
