"""Photos of events: JPEG or PNG only (checked by content, not by name), at most 10 MB, each
kept with a thumbnail for lists."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from kuaiji.apps.grassroots.models import Event, EventPhoto
from kuaiji.platform.core.errors import InvalidInput

MAX_BYTES = 10 * 1024 * 1024
MAX_PHOTOS = 6
THUMBNAIL = (320, 320)
FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png"}


def check(uploads: list[UploadedFile[bytes]]) -> None:
    """Refuse the photos unless every one is an acceptable image (nothing is written)."""
    if len(uploads) > MAX_PHOTOS:
        raise InvalidInput(
            fields={"photos": _("At most %(count)d photos.") % {"count": MAX_PHOTOS}}
        )
    for upload in uploads:
        _format_of(upload)


def _format_of(upload: UploadedFile[bytes]) -> str:
    if (upload.size or 0) > MAX_BYTES:
        raise InvalidInput(fields={"photos": _("Each photo may be at most 10 MB.")})
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image.verify()
            found = str(image.format)
    except (UnidentifiedImageError, OSError, SyntaxError) as error:
        raise InvalidInput(fields={"photos": _("Photos are JPEG or PNG images.")}) from error
    finally:
        upload.seek(0)
    if found not in FORMATS:
        raise InvalidInput(fields={"photos": _("Photos are JPEG or PNG images.")})
    return found


def attach(event: Event, upload: UploadedFile[bytes]) -> EventPhoto:
    """Keep a checked photo and its thumbnail."""
    found = _format_of(upload)
    with Image.open(upload) as image:
        image.thumbnail(THUMBNAIL)
        buffer = BytesIO()
        image.convert("RGB").save(buffer, "JPEG", quality=80)
    upload.seek(0)
    stem = Path(upload.name or "photo").stem[:40] or "photo"
    photo = EventPhoto(event=event, size=upload.size or 0, content_type=FORMATS[found])
    photo.image.save(
        f"{event.number}-{stem}{Path(upload.name or '').suffix[:5]}", upload, save=False
    )
    photo.thumbnail.save(f"{event.number}-{stem}.jpg", ContentFile(buffer.getvalue()), save=False)
    photo.save()
    return photo
