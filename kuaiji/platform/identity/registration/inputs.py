"""What a person types to register or to change their details, checked before anything is
written. Every problem is reported against the field it concerns, in the reader's language,
and all problems of one submission are reported together."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from pydantic import ValidationError as RecordError

from kuaiji.platform.core.errors import InvalidInput, Message
from kuaiji.platform.directory.identifiers import InvalidIdentifier, clean_credit_code
from kuaiji.platform.directory.models import EnterpriseScale
from kuaiji.platform.directory.records import INDUSTRY, CitizenRecord
from kuaiji.platform.identity.models import User

PERSON_MESSAGES: dict[str, Message] = {
    "name": _("Enter your name as on your identity card (at most 50 characters)."),
    "id_number": _(
        "This is not a valid resident identity number: check its 18 characters, the date of "
        "birth in them and the last one, the check digit."
    ),
    "phone": _("Enter a mainland mobile number: 11 digits starting with 1."),
    "address": _("The address is too long (at most 200 characters)."),
    "region_code": _("Choose where you live from the list."),
}
ENTERPRISE_NAME_LENGTH = 200
REPRESENTATIVE_LENGTH = 50


class Problems:
    """Collects the field problems of one submission, to raise them together."""

    def __init__(self) -> None:
        self.fields: dict[str, Message] = {}

    @contextmanager
    def collect(self) -> Iterator[None]:
        """Run a check; its `InvalidInput` joins the problems instead of stopping the rest."""
        try:
            yield
        except InvalidInput as exc:
            for name, message in exc.fields.items():
                self.fields.setdefault(name, message)

    def add(self, name: str, message: Message) -> None:
        self.fields.setdefault(name, message)

    def raise_any(self) -> None:
        """Raise `InvalidInput` naming every field with a problem, if there is one."""
        if self.fields:
            raise InvalidInput(fields=self.fields)


def person(
    *, name: str, id_number: str, phone: str, address: str = "", region_code: str = ""
) -> CitizenRecord:
    """The person's directory record; the identity number must pass GB 11643 and a mobile
    number is required (it is what they sign in with)."""
    try:
        record = CitizenRecord(
            name=name, id_number=id_number, phone=phone, address=address, region_code=region_code
        )
    except RecordError as exc:
        fields = {str(error["loc"][0]) for error in exc.errors() if error["loc"]}
        raise InvalidInput(
            fields={
                field: PERSON_MESSAGES.get(field, _("This value is not valid.")) for field in fields
            }
        ) from None
    if not record.phone:
        raise InvalidInput(fields={"phone": PERSON_MESSAGES["phone"]})
    return record


def password(value: str, *, name: str) -> None:
    """The password must satisfy every rule of AUTH_PASSWORD_VALIDATORS."""
    try:
        validate_password(value, user=User(display_name=name))
    except ValidationError as exc:
        raise InvalidInput(fields={"password": " ".join(exc.messages)}) from None


def credit_code(value: str) -> str:
    """The unified social credit code, checked against GB 32100."""
    try:
        return clean_credit_code(value)
    except InvalidIdentifier:
        raise InvalidInput(
            fields={
                "credit_code": _(
                    "This is not a valid unified social credit code: check its 18 characters "
                    "and the last one, the check character."
                )
            }
        ) from None


def enterprise_name(value: str) -> str:
    """The enterprise's registered name."""
    cleaned = value.strip()
    if not cleaned or len(cleaned) > ENTERPRISE_NAME_LENGTH:
        raise InvalidInput(
            fields={
                "enterprise_name": _(
                    "Enter the enterprise's registered name (at most 200 characters)."
                )
            }
        )
    return cleaned


def new_enterprise_details(
    *, legal_representative: str, industry_code: str, scale: str
) -> dict[str, Any]:
    """What the platform must know of an enterprise it has not recorded yet."""
    problems = Problems()
    representative = legal_representative.strip()
    if not representative or len(representative) > REPRESENTATIVE_LENGTH:
        problems.add(
            "legal_representative",
            _("Enter the enterprise's legal representative (at most 50 characters)."),
        )
    industry = industry_code.strip().upper()
    if not INDUSTRY.match(industry):
        problems.add("industry_code", _("Choose the enterprise's industry from the list."))
    if scale not in EnterpriseScale.values:
        problems.add("scale", _("Choose the enterprise's scale from the list."))
    problems.raise_any()
    return {"legal_representative": representative, "industry_code": industry, "scale": scale}
