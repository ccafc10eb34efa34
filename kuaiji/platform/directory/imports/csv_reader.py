"""CSV files: UTF-8 with or without a byte-order mark, or GB18030 as Chinese Excel saves them."""

from __future__ import annotations

import codecs
import csv
import io

from django.utils.translation import gettext as _

from kuaiji.platform.core.workbooks import UnreadableFile
from kuaiji.platform.directory.imports.limits import max_rows
from kuaiji.platform.directory.imports.source import Row, Table

DELIMITERS = (",", "\t", ";")


def decode(data: bytes) -> str:
    """The text of the file: UTF-8 (a BOM is dropped), else GB18030, else refused."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableFile(_("The file is neither UTF-8 nor GB18030 text; save it as CSV UTF-8."))


def _delimiter(first_line: str) -> str:
    """The separator the header line uses most (comma when none is used)."""
    return max(DELIMITERS, key=first_line.count) if first_line else ","


def read_csv(data: bytes) -> Table:
    """Read a CSV file whose first non-empty line holds the headers."""
    text = decode(data)
    if "\x00" in text:
        raise UnreadableFile(_("The file is not a text file; upload a CSV or XLSX file."))
    stripped = text.lstrip("\r\n")
    reader = csv.reader(
        io.StringIO(text, newline=""), delimiter=_delimiter(stripped.split("\n", 1)[0])
    )
    headers: tuple[str, ...] | None = None
    header_line = 1
    rows: list[Row] = []
    start = 1
    try:
        for cells in reader:
            line, start = start, reader.line_num + 1
            if not any(cell.strip() for cell in cells):
                continue
            if headers is None:
                headers, header_line = tuple(cell.strip() for cell in cells), line
                continue
            if len(rows) >= max_rows():
                raise UnreadableFile(
                    _("The file has more than %(n)d rows; split it.") % {"n": max_rows()}
                )
            values = {h: cell.strip() for h, cell in zip(headers, cells, strict=False) if h}
            excess = tuple(cell for cell in cells[len(headers) :] if cell.strip())
            rows.append(Row(line, values, excess=excess))
    except csv.Error as exc:
        raise UnreadableFile(
            _("The CSV file is malformed near line %(line)d: %(reason)s")
            % {"line": reader.line_num, "reason": exc}
        ) from exc
    if headers is None:
        raise UnreadableFile(_("The file is empty."))
    return Table(headers, rows, header_line)
