"""XLSX workbooks: the first sheet, its first non-empty row holding the headers (opened safely
by `kuaiji.platform.core.workbooks`)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from kuaiji.platform.core.workbooks import UnreadableFile, first_sheet
from kuaiji.platform.directory.imports.limits import max_rows, max_unpacked_bytes
from kuaiji.platform.directory.imports.source import Row, Table, as_text


def read_xlsx(data: bytes) -> Table:
    """Read the first sheet of an XLSX workbook."""
    with first_sheet(data, max_unpacked_bytes=max_unpacked_bytes()) as rows:
        return _table(rows)


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
