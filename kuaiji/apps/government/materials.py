"""The materials of an application: what an application's items need, files the applicant
uploads (PDF, JPEG or PNG of at most 10 MB, kept with their SM3 digest) and records the platform
obtains from shared data for materials the applicant need not submit (免提交).

A shared record is read through the data platform's row query (`rows.search`) by the applicant's
identity in the material's `lookup_field`; the read is written to the call log (`log_call`,
channel ``api``, the handling department as consumer, the purpose naming the application) and
the applicant's `Consent` is recorded with it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext as _

from kuaiji.apps.government.models import (
    Application,
    Consent,
    ItemMaterial,
    MaterialSource,
    SuppliedMaterial,
)
from kuaiji.platform.core.crypto import sm3
from kuaiji.platform.core.errors import InvalidInput
from kuaiji.platform.core.personal import PersonalKind, mask
from kuaiji.platform.data import rows
from kuaiji.platform.data.access import mask_value
from kuaiji.platform.data.calls import log_call
from kuaiji.platform.data.models import CallChannel, Level, ResourceField

MAX_BYTES = 10 * 1024 * 1024
# The file types accepted, by the bytes they start with.
SIGNATURES = {
    "application/pdf": b"%PDF-",
    "image/jpeg": b"\xff\xd8\xff",
    "image/png": b"\x89PNG\r\n\x1a\n",
}
SUFFIXES = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}


@dataclass(frozen=True)
class Needed:
    """A material an application needs, once per code (the first item asking for it rules)."""

    code: str
    name: str
    required: bool
    material: ItemMaterial

    @property
    def from_shared_data(self) -> bool:
        return self.material.from_shared_data


def needed(items: Sequence[Any]) -> dict[str, Needed]:
    """The materials of `items` (ServiceItems, in order) by code, each code once; a code is
    required when any item requires it."""
    found: dict[str, Needed] = {}
    for item in items:
        for material in item.materials.select_related("data_resource").order_by("position"):
            known = found.get(material.code)
            if known is None:
                found[material.code] = Needed(
                    material.code, material.name, material.required, material
                )
            else:
                chosen = known.material
                if not chosen.from_shared_data and material.from_shared_data:
                    chosen = material
                found[material.code] = Needed(
                    known.code, known.name, known.required or material.required, chosen
                )
    return found


def content_type_of(upload: UploadedFile[bytes]) -> str | None:
    """The accepted type of an upload by its first bytes, or None."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for content_type, signature in SIGNATURES.items():
        if head.startswith(signature):
            return content_type
    return None


def check_upload(code: str, upload: UploadedFile[bytes]) -> str:
    """The content type of an acceptable upload; InvalidInput naming the material otherwise."""
    size = upload.size or 0
    if size == 0:
        raise InvalidInput(fields={code: _("The file is empty.")})
    if size > MAX_BYTES:
        raise InvalidInput(fields={code: _("A file may be at most 10 MB.")})
    content_type = content_type_of(upload)
    if content_type is None:
        raise InvalidInput(fields={code: _("Send a PDF, JPEG or PNG file.")})
    return content_type


def check_uploads(
    uploads: Mapping[str, UploadedFile[bytes]], materials: Mapping[str, Needed]
) -> None:
    """Refuse uploads of unknown materials and unacceptable files (every problem at once)."""
    errors: dict[str, str] = {}
    for code, upload in uploads.items():
        if code not in materials:
            errors[code] = _("This application asks for no such material.")
            continue
        try:
            check_upload(code, upload)
        except InvalidInput as refused:
            errors.update({name: str(text) for name, text in refused.fields.items()})
    if errors:
        raise InvalidInput(fields=errors)


def _digest(upload: UploadedFile[bytes]) -> str:
    upload.seek(0)
    content = b"".join(upload.chunks())
    upload.seek(0)
    return sm3(content)


def store_upload(
    application: Application, need: Needed, upload: UploadedFile[bytes]
) -> SuppliedMaterial:
    """Keep an uploaded material (replacing an earlier one of the same code)."""
    content_type = check_upload(need.code, upload)
    supplied = SuppliedMaterial.objects.filter(application=application, code=need.code).first()
    if supplied is None:
        supplied = SuppliedMaterial(application=application, code=need.code)
    elif supplied.file:
        supplied.file.delete(save=False)
    supplied.name = need.name[:200]
    supplied.source = MaterialSource.UPLOAD
    supplied.content_type = content_type
    supplied.digest = _digest(upload)
    supplied.record, supplied.data_call = None, None
    supplied.problem = ""
    supplied.supplied_at = timezone.now()
    suffix = SUFFIXES[content_type]
    stem = Path(upload.name or need.code).stem[:40] or need.code
    supplied.file.save(f"{application.number}-{need.code}-{stem}{suffix}", upload, save=False)
    supplied.save()
    return supplied


def identity_for(need: Needed, *, id_number: str, credit_code: str) -> str:
    """The value the shared record is looked up by ("" when the applicant has none)."""
    if need.material.lookup == ItemMaterial.Lookup.CREDIT_CODE:
        return credit_code
    return id_number


def find_shared(need: Needed, identity: str) -> dict[str, Any] | None:
    """The first record of the material's resource whose lookup field holds `identity`."""
    resource = need.material.data_resource
    field = need.material.lookup_field
    if resource is None or not field or not identity:
        return None
    page = rows.search(resource, rows.RowQuery(filters={field: identity}, limit=1))
    return page.records[0] if page.records else None


def obtain_shared(
    application: Application,
    need: Needed,
    record: dict[str, Any],
    *,
    actor: Any,
    identity: str,
    department: Any,
) -> SuppliedMaterial:
    """Keep a record obtained from shared data, with its logged read and the consent."""
    resource = need.material.data_resource
    if resource is None:
        raise ValueError(f"{need.code} is not obtained from shared data")
    purpose = _("Application %(number)s: %(material)s") % {
        "number": application.number,
        "material": need.name,
    }
    lookup_kind = (
        PersonalKind.ID_NUMBER if need.material.lookup != ItemMaterial.Lookup.CREDIT_CODE else None
    )
    shown = mask(lookup_kind, identity) if lookup_kind else identity
    call = log_call(
        actor=actor,
        resource=resource,
        channel=CallChannel.API,
        fields=list(record),
        rows=1,
        purpose=purpose,
        query={need.material.lookup_field: shown},
        department=department,
    )
    Consent.objects.create(
        applicant=application.applicant,
        application=application,
        resource=resource,
        fields=list(record),
        purpose=purpose[:300],
    )
    return SuppliedMaterial.objects.create(
        application=application,
        code=need.code,
        name=need.name[:200],
        source=MaterialSource.SHARED,
        record=record,
        data_call=call,
        digest=sm3(json.dumps(record, sort_keys=True, ensure_ascii=False, default=str).encode()),
    )


def record_for(material: SuppliedMaterial, *, own: bool) -> dict[str, Any] | None:
    """A shared record as a reader sees it: whole for the applicant (`own`), with the fields of
    level 3–4 masked for staff."""
    if material.record is None:
        return None
    if own:
        return dict(material.record)
    resource_id = material.data_call.resource_id if material.data_call else None
    hidden = set(
        ResourceField.objects.filter(
            resource_id=resource_id, level__gte=Level.RESTRICTED
        ).values_list("name", flat=True)
    )
    return {
        name: mask_value(value) if name in hidden else value
        for name, value in material.record.items()
    }
