"""Opening uploaded XLSX workbooks safely, for every import of the platform.

An XLSX file is a zip archive; before openpyxl opens it, the sizes its members declare are
checked, so a small file that unpacks to gigabytes (a zip bomb) is refused without unpacking
(Python's zipfile never yields more than a member declares). The first sheet is then read row by
row, and the many kinds of error openpyxl raises on a malformed workbook become one
`UnreadableFile` with a message a person can act on.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.utils.translation import gettext as _

from kuaiji.platform.core.errors import InvalidInput

MEGABYTE = 1024 * 1024
PACKING_RATIO = 200  # the highest compression ratio of a large XLSX member; a zip bomb has ~1000
RATIO_CHECK_FROM = MEGABYTE

Cells = tuple[Any, ...]


class UnreadableFile(InvalidInput):
    """The file as a whole is refused: too large, of an unknown type, malformed or empty."""

    code = "unreadable_file"


def _cannot_read(exc: BaseException) -> UnreadableFile:
    return UnreadableFile(
        _("The workbook cannot be read (%(reason)s); save it again as .xlsx.")
        % {"reason": exc.__class__.__name__}
    )


def refuse_zip_bombs(content: bytes, *, max_unpacked_bytes: int) -> None:
    """Refuse archives that would unpack to more than `max_unpacked_bytes`, or whose large
    members are packed suspiciously tight."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
    except zipfile.BadZipFile as exc:
        raise _cannot_read(exc) from exc
    total = 0
    for member in members:
        total += member.file_size
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > RATIO_CHECK_FROM and ratio > PACKING_RATIO:
            raise UnreadableFile(
                _(
                    "The workbook looks like a zip bomb (a part is packed %(ratio)d to 1); "
                    "it was not opened."
                )
                % {"ratio": ratio}
            )
    if total > max_unpacked_bytes:
        raise UnreadableFile(
            _("The workbook unpacks to %(size)d MB, more than the %(limit)d MB allowed.")
            % {"size": total // MEGABYTE, "limit": max_unpacked_bytes // MEGABYTE}
        )


def _guarded(rows: Iterator[Cells]) -> Iterator[Cells]:
    try:
        yield from rows
    except UnreadableFile:
        raise
    except Exception as exc:  # openpyxl raises many kinds on malformed parts
        raise _cannot_read(exc) from exc


@contextmanager
def first_sheet(content: bytes, *, max_unpacked_bytes: int) -> Iterator[Iterator[Cells]]:
    """The rows of the workbook's first sheet as tuples of cell values, read lazily while the
    context is open (the workbook is closed after it)."""
    from openpyxl import load_workbook

    refuse_zip_bombs(content, max_unpacked_bytes=max_unpacked_bytes)
    try:
        workbook = load_workbook(
            io.BytesIO(content), read_only=True, data_only=True, keep_links=False
        )
    except Exception as exc:  # openpyxl raises many kinds on malformed workbooks
        raise _cannot_read(exc) from exc
    try:
        if not workbook.worksheets:
            raise UnreadableFile(_("The workbook has no sheet."))
        sheet = workbook.worksheets[0]
        if hasattr(sheet, "reset_dimensions"):
            sheet.reset_dimensions()  # the declared size may be wrong; read every row
        yield _guarded(sheet.iter_rows(values_only=True))
    finally:
        workbook.close()
