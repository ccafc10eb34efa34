"""The second factor: TOTP devices (RFC 6238, any authenticator app) through django-otp."""

from __future__ import annotations

from typing import Any

import qrcode
import qrcode.image.svg
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from kuaiji.platform.audit.services import record

DEVICE_NAME = "authenticator"


def confirmed_device(user: Any) -> TOTPDevice | None:
    """The user's confirmed authenticator, if they enrolled one."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


@transaction.atomic
def pending_device(user: Any) -> TOTPDevice:
    """The unconfirmed device being enrolled (created on first call, kept until confirmed)."""
    device, _created = TOTPDevice.objects.get_or_create(
        user=user, confirmed=False, defaults={"name": DEVICE_NAME}
    )
    return device


def qr_code_svg(device: TOTPDevice) -> str:
    """The enrolment QR code (the otpauth:// URL) as inline SVG, drawn here, not fetched."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return str(image.to_string(encoding="unicode"))


@transaction.atomic
def confirm(user: Any, device: TOTPDevice, token: str) -> bool:
    """Confirm an enrolment with the first code the app shows; other devices are removed."""
    if not device.verify_token(token):
        return False
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    record(
        actor=user, action="identity.totp.enrol", obj=user, changes={"device": [None, device.pk]}
    )
    return True
