"""From a table of text cells to validated records: header matching, blank and choice cells,
records built and validated, keys repeated within the file. Every problem is collected."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from pydantic import BaseModel, ValidationError

from kuaiji.platform.directory.imports.columns import HeaderMap, match_headers
from kuaiji.platform.directory.imports.importers.base import Entry, Importer, Problems
from kuaiji.platform.directory.imports.messages import reasons
from kuaiji.platform.directory.imports.source import Row, Table


def parse(
    importer: Importer[Any], table: Table
) -> tuple[list[Entry[Any]], set[tuple[str, ...]], Problems]:
    """The valid entries, the key of every row (valid or not) and the problems found."""
    if importer.geojson and not table.rows:
        return [], set(), Problems(importer.extra_labels)  # no feature, so no property names
    header = match_headers(
        table.headers, importer.columns, line=table.header_line, ignore_unknown=importer.geojson
    )
    problems = Problems({**importer.extra_labels, **header.written})
    problems.items.extend(header.problems)
    if not header.usable:
        return [], set(), problems
    cells = [(row, _cells(row, header, problems)) for row in table.rows]
    keys = _keys(importer, cells, problems)
    importer.prepare([values for _row, values in cells])
    entries = []
    for row, values in cells:
        record = _record(importer, row, values, header, problems)
        if record is not None:
            entries.append(Entry(row.line, record))
    return entries, keys, problems


def _cells(row: Row, header: HeaderMap, problems: Problems) -> dict[str, Any]:
    """The row's cells by column name, blanks and choices resolved; bad cells are left out."""
    values: dict[str, Any] = {}
    for written, column in header.columns.items():
        text = row.values.get(written, "")
        if not text:
            if column.required:
                problems.add(row.line, column.name, _("a value is required"))
            else:
                values[column.name] = column.blank
            continue
        if column.choices is not None:
            resolved = column.choices.resolve(text)
            if resolved is None:
                problems.add(
                    row.line,
                    column.name,
                    _("“%(value)s” is not one of: %(choices)s")
                    % {
                        "value": text,
                        "choices": ", ".join(column.choices.values),
                    },
                )
                continue
            text = resolved
        values[column.name] = text
    if row.excess:
        problems.add(row.line, "", _("the row has more cells than the header has columns"))
    return values


def _keys(
    importer: Importer[Any], cells: list[tuple[Row, dict[str, Any]]], problems: Problems
) -> set[tuple[str, ...]]:
    """Every row's key; a key seen on an earlier line is a problem on the later one."""
    first: dict[tuple[str, ...], int] = {}
    for row, values in cells:
        key = importer.key_of(values)
        if not all(key):
            continue
        if key in first:
            problems.add(
                row.line,
                importer.key[0],
                _("%(value)s is already on line %(line)d")
                % {"value": " · ".join(key), "line": first[key]},
            )
        else:
            first[key] = row.line
    return set(first)


def _record(
    importer: Importer[Any],
    row: Row,
    values: Mapping[str, Any],
    header: HeaderMap,
    problems: Problems,
) -> BaseModel | None:
    """The row as a record: absent columns keep their stored values, bad cells are reported."""
    stored = importer.stored(values) if all(importer.key_of(values)) else None
    fields: dict[str, Any] = {}
    if stored is not None:
        fields.update({k: v for k, v in stored.items() if k not in header.written})
    fields.update(values)
    fields.update(importer.extra_fields(row, stored))
    dropped = {column.name for column in header.columns.values()} - set(values)
    had_problems = row.line in problems.lines()
    try:
        record = importer.record_type(**fields)
    except ValidationError as exc:
        columns = {column.name: column for column in importer.columns}
        hints = {name: str(column.hint) for name, column in columns.items() if column.hint}
        personal = frozenset(name for name, column in columns.items() if column.personal)
        for name, reason in reasons(exc, hints=hints, personal=personal):
            if name not in dropped:  # a bad or empty cell is reported already
                problems.add(row.line, name, reason)
        return None
    return None if had_problems else record
