"""XLSX workbooks: the first sheet, its first non-empty row holding the headers.

An XLSX file is a zip archive; before openpyxl opens it, the sizes its members declare are
checked, so a small file that unpacks to gigabytes (a zip bomb) is refused without unpacking.
Python's zipfile never yields more than a member declares, so the check bounds memory.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

from django.utils.translation import gettext as _

from kuaiji.platform.directory.imports.limits import (
    MEGABYTE,
    max_packing_ratio,
    max_rows,
    max_unpacked_bytes,
)
from kuaiji.platform.directory.imports.source import Row, Table, UnreadableFile, as_text

RATIO_CHECK_FROM = MEGABYTE


def _refuse_bombs(archive: zipfile.ZipFile) -> None:
    """Refuse archives that would unpack to too much, or members packed suspiciously tight."""
    total = 0
    for member in archive.infolist():
        total += member.file_size
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > RATIO_CHECK_FROM and ratio > max_packing_ratio():
            raise UnreadableFile(
                _(
                    "The workbook looks like a zip bomb (a part is packed %(ratio)d to 1); "
                    "it was not opened."
                )
                % {"ratio": ratio}
            )
    if total > max_unpacked_bytes():
        raise UnreadableFile(
            _("The workbook unpacks to %(size)d MB, more than the %(limit)d MB allowed.")
            % {"size": total // MEGABYTE, "limit": max_unpacked_bytes() // MEGABYTE}
        )


def read_xlsx(data: bytes) -> Table:
    """Read the first sheet of an XLSX workbook."""
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            _refuse_bombs(archive)
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
    except UnreadableFile:
        raise
    except Exception as exc:  # openpyxl raises many kinds on malformed workbooks
        raise UnreadableFile(
            _("The workbook cannot be read (%(reason)s); save it again as .xlsx.")
            % {"reason": exc.__class__.__name__}
        ) from exc
    try:
        if not workbook.worksheets:
            raise UnreadableFile(_("The workbook has no sheet."))
        sheet = workbook.worksheets[0]
        if hasattr(sheet, "reset_dimensions"):
            sheet.reset_dimensions()  # the declared size may be wrong; read every row
        return _table(sheet.iter_rows(min_row=1, values_only=True))
    except UnreadableFile:
        raise
    except Exception as exc:
        raise UnreadableFile(
            _("The workbook cannot be read (%(reason)s); save it again as .xlsx.")
            % {"reason": exc.__class__.__name__}
        ) from exc
    finally:
        workbook.close()


def _table(cells_by_row: Any) -> Table:
    headers: tuple[str, ...] | None = None
    header_line = 1
    rows: list[Row] = []
    for line, cells in enumerate(cells_by_row, start=1):
        texts = [as_text(cell) for cell in cells]
        if not any(texts):
            continue
        if headers is None:
            headers, header_line = tuple(texts), line
            continue
        if len(rows) >= max_rows():
            raise UnreadableFile(
                _("The file has more than %(n)d rows; split it.") % {"n": max_rows()}
            )
        values = {h: text for h, text in zip(headers, texts, strict=False) if h}
        excess = tuple(text for text in texts[len(headers) :] if text)
        rows.append(Row(line, values, excess=excess))
    if headers is None:
        raise UnreadableFile(_("The first sheet of the workbook is empty."))
    return Table(headers, rows, header_line)
