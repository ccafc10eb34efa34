"""Files attached to steps of a chain: type and size checked before they are kept."""

from __future__ import annotations

from pathlib import Path

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from kuaiji.platform.chains.models import Attachment, TimelineEntry
from kuaiji.platform.core.errors import InvalidInput

MAX_BYTES = 10 * 1024 * 1024
ALLOWED = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
SIGNATURES = {
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "application/pdf": (b"%PDF-",),
}
ZIP = b"PK\x03\x04"


def check(upload: UploadedFile[bytes]) -> str:
    """The content type of an acceptable upload; raises InvalidInput otherwise."""
    name = upload.name or ""
    content_type = ALLOWED.get(Path(name).suffix.lower())
    if content_type is None:
        raise InvalidInput(fields={"files": _("Attach JPEG, PNG, PDF, DOCX or XLSX files.")})
    if (upload.size or 0) > MAX_BYTES:
        raise InvalidInput(fields={"files": _("Each file may be at most 10 MB.")})
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if not head.startswith(SIGNATURES.get(content_type, (ZIP,))):
        raise InvalidInput(
            fields={"files": _("%(name)s is not what its name says.") % {"name": name}}
        )
    return content_type


def attach(entry: TimelineEntry, upload: UploadedFile[bytes]) -> Attachment:
    """Keep an uploaded file with a timeline entry."""
    content_type = check(upload)
    return Attachment.objects.create(
        entry=entry,
        file=upload,
        name=Path(upload.name or "file").name[:200],
        size=upload.size or 0,
        content_type=content_type,
    )
