"""Delivering the result (送达): the e-certificate of an approved application, and its public
check by verification code.

The certificate is a one-page PDF drawn with reportlab; Chinese text uses reportlab's built-in
CID font STSong-Light (no font file is needed), the number, date and code a standard font. It
names the applicant masked as the platform masks names, the result, the number, the issue date
and a 12-character verification code; it is kept in the default storage with its SM3 digest.
"""

from __future__ import annotations

import secrets
from io import BytesIO
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from kuaiji.apps.government.casework import audit, authorized, open_task, tell_applicant
from kuaiji.apps.government.models import Application, ApplicationStatus, Certificate
from kuaiji.platform.chains import services as chains
from kuaiji.platform.core.crypto import sm3
from kuaiji.platform.core.errors import Conflict
from kuaiji.platform.core.personal import PersonalKind, mask

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud, typed in
CODE_LENGTH = 12
CHINESE_FONT = "STSong-Light"
LATIN_FONT = "Helvetica"


def new_code() -> str:
    """An unguessable verification code (12 characters of 32: 60 bits)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def result_name(application: Application) -> str:
    """What the applicant receives: the item's result, or the results of a bundle's items."""
    results = [entry.item.result_name for entry in application.items.select_related("item")]
    return "、".join(dict.fromkeys(name for name in results if name))[:200]


def _font() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if CHINESE_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(CHINESE_FONT))
    return CHINESE_FONT


def render_pdf(
    *, application: Application, certificate_number: str, title: str, code: str, issued: Any
) -> bytes:
    """The certificate as PDF bytes (content uncompressed, so its text can be checked)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    chinese = _font()
    buffer = BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, pageCompression=0, invariant=1)
    pdf.setTitle(f"{certificate_number} {application.number}")
    pdf.setSubject(application.number)
    pdf.setAuthor("Kuaiji")
    width, height = A4
    pdf.setFont(chinese, 24)
    pdf.drawCentredString(width / 2, height - 120, "电子证照")
    pdf.setFont(chinese, 18)
    pdf.drawCentredString(width / 2, height - 160, title)
    rows = [
        ("申请人", mask(PersonalKind.NAME, application.applicant_name), chinese),
        ("证照编号", certificate_number, LATIN_FONT),
        ("办件编号", application.number, LATIN_FONT),
        ("签发日期", f"{timezone.localtime(issued):%Y-%m-%d}", LATIN_FONT),
        ("核验码", code, LATIN_FONT),
    ]
    y = height - 230
    for label, value, font in rows:
        pdf.setFont(chinese, 13)
        pdf.drawString(90, y, f"{label}：")
        pdf.setFont(font, 13)
        pdf.drawString(200, y, value)
        y -= 32
    pdf.setFont(chinese, 10)
    pdf.drawString(90, 120, "本证照由会稽城市数字治理平台签发，可凭核验码在线核验真伪。")
    pdf.setFont(LATIN_FONT, 9)
    pdf.drawString(90, 104, f"Verification code {code} - number {application.number}")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _issue(application: Application) -> Certificate:
    issued = timezone.now()
    number = f"E{application.number}"
    title = result_name(application) or str(application.bundle or application.item)
    code = new_code()
    while Certificate.objects.filter(verification_code=code).exists():
        code = new_code()
    content = render_pdf(
        application=application,
        certificate_number=number,
        title=title,
        code=code,
        issued=issued,
    )
    certificate = Certificate(
        application=application,
        number=number,
        verification_code=code,
        title=title[:200],
        digest=sm3(content),
        issued_at=issued,
    )
    certificate.pdf.save(f"{number}.pdf", ContentFile(content), save=False)
    certificate.save()
    return certificate


@transaction.atomic
def deliver(*, actor: Any, application: Application) -> Certificate | None:
    """Deliver the decided application: an approved one gets its e-certificate (returned), a
    rejected one its decision (None); the chain ends."""
    found = authorized(actor, application, "government.application.decide")
    if found.status not in (ApplicationStatus.DECIDED, ApplicationStatus.REJECTED):
        raise Conflict(_("Only a decided application can be delivered."))
    task = open_task(found, "deliver")
    certificate = _issue(found) if found.status == ApplicationStatus.DECIDED else None
    chains.complete(actor=actor, task=task.pk, form={})
    Application.objects.filter(pk=found.pk).update(
        delivered_at=timezone.now(), revision=F("revision") + 1
    )
    found.refresh_from_db()
    audit(
        actor,
        "deliver",
        found,
        {"certificate": [None, certificate.number if certificate else None]},
    )
    if certificate is not None:
        tell_applicant(
            actor,
            found,
            _("Your e-certificate is ready"),
            _("Verification code: %(code)s") % {"code": certificate.verification_code},
        )
    else:
        tell_applicant(actor, found, _("The decision has been delivered"), found.decision_note)
    return certificate


def verify(code: str) -> Certificate | None:
    """The certificate with this verification code, or None (for the public check page)."""
    cleaned = (code or "").strip().upper().replace("-", "").replace(" ", "")
    if len(cleaned) != CODE_LENGTH or any(char not in CODE_ALPHABET for char in cleaned):
        return None
    return (
        Certificate.objects.select_related("application").filter(verification_code=cleaned).first()
    )
