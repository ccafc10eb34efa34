"""The columns of each kind of file and how a header, as written, finds its column.

Headers are matched with full-width forms folded, case, spaces, hyphens and a trailing "*" or
"(必填)" ignored, so "Parent code", "parent_code", "上级代码" and "上级代码（必填）" all match.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _

from kuaiji.platform.directory.imports.choices import Choices, normalise
from kuaiji.platform.directory.imports.report import Problem


@dataclass(frozen=True)
class Column:
    """One column of an import file."""

    name: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    choices: Choices | None = None
    blank: Any = ""
    hint: str | Promise = ""
    personal: bool = False

    def matches(self, header: str) -> bool:
        """Whether a header as written names this column."""
        wanted = normalise_header(header)
        return any(normalise_header(name) == wanted for name in (self.name, *self.aliases))


def normalise_header(header: str) -> str:
    """A header folded for matching (see the module docstring)."""
    text = normalise(header).strip("*")
    return re.sub(r"\([^)]*\)$", "", text)


@dataclass
class HeaderMap:
    """Which column each header names, and the problems found in the header."""

    columns: dict[str, Column] = field(default_factory=dict)
    written: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    @property
    def usable(self) -> bool:
        """False when a required column is missing, so no row can be read."""
        return not self.missing

    def label(self, name: str) -> str:
        """The header as written for column `name` (the column's own name if not written)."""
        return self.written.get(name, name)


def match_headers(
    headers: Sequence[str], columns: Sequence[Column], *, line: int, ignore_unknown: bool
) -> HeaderMap:
    """Match the file's headers to the columns; unknown, repeated and missing columns are
    problems (unknown ones are ignored in GeoJSON, whose properties often carry extras)."""
    found = HeaderMap()
    for header in headers:
        column = next((c for c in columns if c.matches(header)), None)
        if column is None:
            if not ignore_unknown:
                found.problems.append(Problem(line, header, _("unknown column")))
        elif column.name in found.written:
            found.problems.append(
                Problem(
                    line,
                    header,
                    _("repeats column %(column)s") % {"column": found.written[column.name]},
                )
            )
        else:
            found.columns[header] = column
            found.written[column.name] = header
    for column in columns:
        if column.required and column.name not in found.written:
            found.missing.append(column.name)
            found.problems.append(
                Problem(
                    line,
                    "",
                    _("required column %(column)s is missing") % {"column": column.name},
                )
            )
    return found
