"""Reading the text of the PDFs Kuaiji writes (reportlab, uncompressed content streams)."""

from __future__ import annotations

import contextlib
import re
import zlib


def pdf_text(content: bytes) -> str:
    """The text drawn in the PDF: reportlab writes the CID font's strings as UTF-16 (escaped)
    in its content streams."""
    assert content.startswith(b"%PDF-")
    streams = re.findall(rb"stream\r?\n(.*?)endstream", content, re.S)
    text = []
    for stream in streams:
        with contextlib.suppress(zlib.error):
            stream = zlib.decompress(stream)
        for raw in re.findall(rb"\((.*?)\) Tj", stream, re.S):
            unescaped = re.sub(
                rb"\\([0-7]{1,3}|.)",
                lambda m: bytes([int(m[1], 8)]) if m[1][:1].isdigit() else m[1],
                raw,
            )
            text.append(unescaped.decode("utf-16-be", errors="replace"))
    return "".join(text)
