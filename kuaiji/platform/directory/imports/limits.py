"""How big an import may be (KUAIJI_IMPORT_MAX_BYTES and KUAIJI_IMPORT_MAX_ROWS)."""

from __future__ import annotations

from django.conf import settings

MEGABYTE = 1024 * 1024


def max_file_bytes() -> int:
    """The largest file accepted, as uploaded."""
    return int(settings.KUAIJI_IMPORT_MAX_BYTES)


def max_unpacked_bytes() -> int:
    """The most an XLSX may unpack to, all members together: ten times the file limit."""
    return 10 * max_file_bytes()


def max_rows() -> int:
    """The most data rows (or features) one file may hold."""
    return int(settings.KUAIJI_IMPORT_MAX_ROWS)
