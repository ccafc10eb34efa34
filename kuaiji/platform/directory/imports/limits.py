"""How big an import may be. Each limit can be changed in the settings (KUAIJI_IMPORT_*)."""

from __future__ import annotations

from django.conf import settings

MEGABYTE = 1024 * 1024


def max_file_bytes() -> int:
    """The largest file accepted, as uploaded (default 20 MB)."""
    return int(getattr(settings, "KUAIJI_IMPORT_MAX_BYTES", 20 * MEGABYTE))


def max_unpacked_bytes() -> int:
    """The most an XLSX may unpack to, all members together (default 10 times the file limit)."""
    return int(getattr(settings, "KUAIJI_IMPORT_MAX_UNPACKED_BYTES", 10 * max_file_bytes()))


def max_packing_ratio() -> int:
    """The highest compression ratio allowed for a large XLSX member (a zip bomb has ~1000)."""
    return int(getattr(settings, "KUAIJI_IMPORT_MAX_PACKING_RATIO", 200))


def max_rows() -> int:
    """The most data rows (or features) one file may hold."""
    return int(getattr(settings, "KUAIJI_IMPORT_MAX_ROWS", 100_000))
