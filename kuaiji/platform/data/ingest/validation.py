"""Checking a file against a resource's schema.

The header is checked first, as a whole: it may name only declared fields, each once, and must
name every required field and every field of the primary key; otherwise the file is refused
(`UnreadableFile`) and no row is looked at. Then each row on its own: required values present,
each value converted to its field's type (`values`), the primary key present, short enough to
store, and not the key of an earlier line of the same file.

A good row becomes its key and its values (every field of the schema, absent columns and empty
cells as null); a bad row keeps the cells as read and the reasons.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from django.utils.translation import gettext as _

from kuaiji.platform.core.workbooks import UnreadableFile
from kuaiji.platform.data.models import DataRow, FieldType, ResourceField
from kuaiji.platform.data.services import row_key
from kuaiji.platform.data.values import converter, from_cell

KEY_LENGTH = DataRow._meta.get_field("key").max_length or 300


@dataclass(frozen=True)
class GoodRow:
    """A row that passed: its line, canonical key and typed values."""

    line: int
    key: str
    data: dict[str, Any]


@dataclass(frozen=True)
class BadRow:
    """A row that broke the schema: its cells as read (by column) and the reasons, each
    ``{"field": ..., "reason": ...}`` ("" for the row as a whole)."""

    line: int
    values: dict[str, Any]
    reasons: list[dict[str, str]]


@dataclass(frozen=True)
class _Column:
    index: int
    name: str
    convert: Callable[[Any], Any]
    needed: bool


def _text_converter(field_type: str) -> Callable[[Any], Any]:
    if field_type == FieldType.STRING:
        return lambda text: text
    return converter(field_type)


def _cell_converter(field_type: str) -> Callable[[Any], Any]:
    return lambda cell: from_cell(field_type, cell)


def as_read(cell: Any) -> Any:
    """A cell as JSON can keep it (dates as ISO text)."""
    if cell is None or isinstance(cell, bool | int | float | str):
        return cell
    if isinstance(cell, datetime | date | time):
        return cell.isoformat()
    return str(cell)


class RowChecker:
    """Checks the rows of one file against a schema, remembering the keys seen so far."""

    def __init__(
        self, fields: Sequence[ResourceField], header: Sequence[str], *, typed_cells: bool
    ) -> None:
        """Check the header against the schema (UnreadableFile if it does not fit).
        `typed_cells`: the cells come from a workbook (typed) rather than CSV text."""
        check_header(fields, header)
        self.header = list(header)
        self.names = [item.name for item in fields]
        self.key_names = [item.name for item in fields if item.primary_key]
        by_name = {item.name: item for item in fields}
        make = _cell_converter if typed_cells else _text_converter
        self.typed_cells = typed_cells
        self.columns = [
            _Column(
                index=index,
                name=name,
                convert=make(by_name[name].type),
                needed=by_name[name].required or by_name[name].primary_key,
            )
            for index, name in enumerate(self.header)
        ]
        self.blank = dict.fromkeys(self.names)
        self.seen: dict[str, int] = {}

    def check(self, line: int, cells: Sequence[Any]) -> GoodRow | BadRow:
        """One row: good, with its key and values, or bad, with its reasons."""
        data = dict(self.blank)
        reasons: list[dict[str, str]] = []
        width = len(cells)
        for column in self.columns:
            cell = cells[column.index] if column.index < width else None
            if not self.typed_cells:
                cell = cell.strip() if cell else None
            if cell is None or cell == "":
                if column.needed:
                    reasons.append({"field": column.name, "reason": _("A value is needed.")})
                continue
            try:
                data[column.name] = column.convert(cell)
            except ValueError as problem:
                reasons.append({"field": column.name, "reason": str(problem)})
                continue
            if data[column.name] is None and column.needed:
                reasons.append({"field": column.name, "reason": _("A value is needed.")})
        if width > len(self.columns) and any(
            cell is not None and str(cell).strip() for cell in cells[len(self.columns) :]
        ):
            reasons.append({"field": "", "reason": _("The row has more cells than the header.")})
        if not reasons:
            key = row_key([data[name] for name in self.key_names])
            if len(key) > KEY_LENGTH:
                reasons.append(
                    {
                        "field": ",".join(self.key_names),
                        "reason": _("The primary key is longer than %(n)d characters.")
                        % {"n": KEY_LENGTH},
                    }
                )
            else:
                first = self.seen.setdefault(key, line)
                if first == line:
                    return GoodRow(line, key, data)
                reasons.append(
                    {
                        "field": ",".join(self.key_names),
                        "reason": _("Same key as line %(line)d.") % {"line": first},
                    }
                )
        return BadRow(line, self.as_read(cells), reasons)

    def as_read(self, cells: Sequence[Any]) -> dict[str, Any]:
        """The cells of a row by column name (extra cells under "_extra")."""
        values = {
            name: as_read(cells[index]) if index < len(cells) else None
            for index, name in enumerate(self.header)
        }
        extra = [as_read(cell) for cell in cells[len(self.header) :] if cell not in (None, "")]
        if extra:
            values["_extra"] = extra
        return values


def check_header(fields: Sequence[ResourceField], header: Sequence[str]) -> None:
    """Refuse a header naming unknown fields, a field twice, or missing a needed field."""
    declared = {item.name for item in fields}
    reasons: dict[str, str] = {}
    for position, name in enumerate(header, start=1):
        if not name:
            reasons[f"column {position}"] = _("The column has no name.")
    unknown = [name for name in header if name and name not in declared]
    if unknown:
        reasons["header"] = _("Not fields of the resource: %(names)s (its fields: %(fields)s).") % {
            "names": ", ".join(unknown),
            "fields": ", ".join(item.name for item in fields),
        }
    twice = sorted({name for name in header if name and header.count(name) > 1})
    if twice:
        reasons["duplicates"] = _("Named more than once: %(names)s.") % {"names": ", ".join(twice)}
    missing = [
        item.name
        for item in fields
        if (item.required or item.primary_key) and item.name not in set(header)
    ]
    if missing:
        reasons["missing"] = _("Required columns missing: %(names)s.") % {
            "names": ", ".join(missing)
        }
    if reasons:
        raise UnreadableFile(
            _("The header does not fit the resource's schema; nothing was loaded."),
            fields=reasons,
        )
