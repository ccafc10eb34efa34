"""Identifiers with check digits: resident identity numbers (GB 11643) and unified social
credit codes (GB 32100), validated with python-stdnum."""

from __future__ import annotations

from stdnum.cn import ric, uscc
from stdnum.exceptions import ValidationError as StdnumError


class InvalidIdentifier(ValueError):
    """An identifier that fails its format, date, place or check-digit rules."""


def clean_id_number(value: str) -> str:
    """The 18-character identity number, upper-cased, or InvalidIdentifier."""
    try:
        return str(ric.validate(value.strip().upper()))
    except StdnumError as exc:
        raise InvalidIdentifier(f"not a valid resident identity number: {exc}") from exc


def clean_credit_code(value: str) -> str:
    """The 18-character unified social credit code, upper-cased, or InvalidIdentifier."""
    try:
        return str(uscc.validate(value.strip().upper()))
    except StdnumError as exc:
        raise InvalidIdentifier(f"not a valid unified social credit code: {exc}") from exc


def id_number_from(region_code: str, birth: str, sequence: int) -> str:
    """An identity number for a 6-digit division, a YYYYMMDD birth date and a 3-digit
    sequence (odd for men, even for women), with its check digit."""
    body = f"{region_code}{birth}{sequence:03d}"
    return body + ric.calc_check_digit(body + "0")


def credit_code_from(region_code: str, organisation: str, kind: str = "91") -> str:
    """A credit code for a registration kind ("91": enterprise), a 6-digit division and a
    9-character organisation code, with its check character."""
    body = f"{kind}{region_code}{organisation}"
    return body + uscc.calc_check_digit(body)
