"""What the readers work on and hand back: an import file, its rows, and the error for files
that cannot be read at all."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Protocol

from django.utils.translation import gettext as _

from kuaiji.platform.core.workbooks import UnreadableFile
from kuaiji.platform.directory.imports.limits import MEGABYTE, max_file_bytes


class Upload(Protocol):
    """The part of Django's UploadedFile an import needs."""

    name: str | None
    size: int | None

    def chunks(self, chunk_size: int | None = ...) -> Any: ...


def too_large(size: int) -> UnreadableFile:
    """The error for a file of `size` bytes over the limit."""
    return UnreadableFile(
        _("The file is %(size).1f MB; at most %(limit).1f MB can be imported at once.")
        % {"size": size / MEGABYTE, "limit": max_file_bytes() / MEGABYTE}
    )


@dataclass(frozen=True)
class ImportFile:
    """A file to import: its name (for the type) and its bytes, already checked for size."""

    name: str
    data: bytes

    def __post_init__(self) -> None:
        if len(self.data) > max_file_bytes():
            raise too_large(len(self.data))

    @property
    def suffix(self) -> str:
        """The lower-case extension with its dot, e.g. ".csv" ("" if none)."""
        return Path(self.name).suffix.lower()

    @classmethod
    def from_path(cls, path: Path | str) -> ImportFile:
        """Read a file from disk, refusing it before reading when it is too large."""
        path = Path(path)
        try:
            size = path.stat().st_size
            if size > max_file_bytes():
                raise too_large(size)
            return cls(path.name, path.read_bytes())
        except OSError as exc:
            raise UnreadableFile(
                _("Cannot read %(name)s: %(reason)s") % {"name": path.name, "reason": exc.strerror}
            ) from exc

    @classmethod
    def from_upload(cls, upload: Upload) -> ImportFile:
        """Take an uploaded file, refusing it before reading when it is too large."""
        limit = max_file_bytes()
        if upload.size is not None and upload.size > limit:
            raise too_large(upload.size)
        data = bytearray()
        for chunk in upload.chunks():
            data.extend(chunk)
            if len(data) > limit:
                raise too_large(len(data))
        return cls(upload.name or "upload", bytes(data))


@dataclass(frozen=True)
class Row:
    """One data row: its line (1-based; the header is line 1, or the feature number in a
    GeoJSON file), its cells by header as text, and a GeoJSON feature's geometry."""

    line: int
    values: dict[str, str]
    geometry: Any = None
    excess: tuple[str, ...] = ()


@dataclass(frozen=True)
class Table:
    """The headers of a file (as written) and its data rows."""

    headers: tuple[str, ...]
    rows: list[Row] = field(default_factory=list)
    header_line: int = 1


def as_text(value: Any) -> str:
    """A cell value as the text a person typed: 330600 not 330600.0, dates in ISO form."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return str(int(value))
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    return str(value).strip()
