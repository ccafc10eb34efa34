"""Reading a file of rows: CSV or XLSX bytes as a header and a stream of (line, cells).

CSV is read in UTF-8 (with or without a byte-order mark) or, failing that, GB18030 as Chinese
Excel saves it; the separator is the one the header line uses most (comma, tab or semicolon).
The text is decoded as it is read, so a file of a million rows never exists as one string.
XLSX workbooks are read with openpyxl in read-only mode (the first sheet); before openpyxl
opens one, the sizes its zip members declare are checked so a zip bomb is refused unopened.

Cells of a CSV file are text; cells of a workbook keep the type the spreadsheet gave them
(numbers, dates…), which `values.from_cell` understands.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from django.utils.translation import gettext as _

from kuaiji.platform.core.workbooks import MEGABYTE, UnreadableFile, first_sheet
from kuaiji.platform.data.models.rows import FileFormat

MAX_FILE_BYTES = 200 * MEGABYTE
#: The most a workbook may unpack to, all members together.
MAX_UNPACKED_BYTES = 10 * MAX_FILE_BYTES
DELIMITERS = (",", "\t", ";")
CHECK_CHUNK = 4 * MEGABYTE
csv.field_size_limit(16 * MEGABYTE)


@dataclass
class Table:
    """A file being read: its header (as written, trimmed), the line the header is on, and its
    data rows as (line, cells), blank rows skipped. `rows` can be iterated once."""

    header: list[str]
    header_line: int
    rows: Iterator[tuple[int, list[Any]]]


def too_large(size: int) -> UnreadableFile:
    """The error for a file of `size` bytes over the limit."""
    return UnreadableFile(
        _("The file is %(size).1f MB; at most %(limit)d MB can be loaded at once.")
        % {"size": size / MEGABYTE, "limit": MAX_FILE_BYTES // MEGABYTE}
    )


def guess_format(file_name: str, content: bytes) -> FileFormat:
    """The format by the file's extension, else by its first bytes (a zip archive is XLSX)."""
    suffix = PurePosixPath(file_name.lower()).suffix
    if suffix == ".xlsx":
        return FileFormat.XLSX
    if suffix in {".csv", ".txt", ".tsv"}:
        return FileFormat.CSV
    if suffix in {".xls", ".et", ".ods", ".numbers"}:
        raise UnreadableFile(_("Save the workbook as .xlsx or as CSV first."))
    return FileFormat.XLSX if content.startswith(b"PK\x03\x04") else FileFormat.CSV


@contextmanager
def open_table(content: bytes, file_format: str) -> Iterator[Table]:
    """Open `content` as a table; the workbook (if any) is closed when the block ends."""
    if len(content) > MAX_FILE_BYTES:
        raise too_large(len(content))
    if file_format == FileFormat.XLSX:
        with _xlsx(content) as table:
            yield table
    else:
        yield _csv(content)


def _encoding(content: bytes) -> str:
    """UTF-8 ("utf-8-sig" drops a BOM) if every byte decodes, else GB18030."""
    if content.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(content)
    try:
        for start in range(0, len(view), CHECK_CHUNK):
            decoder.decode(view[start : start + CHECK_CHUNK])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return "gb18030"
    return "utf-8"


def _delimiter(content: bytes, encoding: str) -> str:
    head = content[:65536].decode(encoding, errors="ignore")
    first = next((line for line in head.splitlines() if line.strip()), "")
    return max(DELIMITERS, key=first.count) if first else ","


def _csv(content: bytes) -> Table:
    encoding = _encoding(content)
    if b"\x00" in content[:65536]:
        raise UnreadableFile(_("The file is not a text file; upload a CSV or XLSX file."))
    stream = io.TextIOWrapper(io.BytesIO(content), encoding=encoding, newline="")
    reader = csv.reader(stream, delimiter=_delimiter(content, encoding))

    def numbered() -> Iterator[tuple[int, list[str]]]:
        start = 1
        try:
            for cells in reader:
                line, start = start, reader.line_num + 1
                yield line, cells
        except csv.Error as exc:
            raise UnreadableFile(
                _("The CSV file is malformed near line %(line)d: %(reason)s")
                % {"line": reader.line_num, "reason": exc}
            ) from exc
        except UnicodeDecodeError as exc:
            raise UnreadableFile(
                _("The file is neither UTF-8 nor GB18030 text; save it as CSV UTF-8.")
            ) from exc

    lines = numbered()
    for line, cells in lines:
        if any(cell.strip() for cell in cells):
            header = _trimmed([cell.strip() for cell in cells])
            return Table(header, line, _data_rows(lines))
    raise UnreadableFile(_("The file is empty."))


def _data_rows(lines: Iterator[tuple[int, list[Any]]]) -> Iterator[tuple[int, list[Any]]]:
    for line, cells in lines:
        if any(cell is not None and str(cell).strip() for cell in cells):
            yield line, cells


def _trimmed(header: list[str]) -> list[str]:
    """The header without the empty cells at its end (spreadsheets often have some)."""
    while header and not header[-1]:
        header.pop()
    return header


@contextmanager
def _xlsx(content: bytes) -> Iterator[Table]:
    with first_sheet(content, max_unpacked_bytes=MAX_UNPACKED_BYTES) as sheet_rows:
        lines = ((line, list(cells)) for line, cells in enumerate(sheet_rows, start=1))
        for line, cells in lines:
            texts = ["" if cell is None else str(cell).strip() for cell in cells]
            if any(texts):
                yield Table(_trimmed(texts), line, _data_rows(lines))
                return
        raise UnreadableFile(_("The first sheet of the workbook is empty."))
