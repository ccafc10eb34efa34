"""Identifiers and masking, checked over many generated values."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kuaiji.platform.core.personal import PersonalKind, mask
from kuaiji.platform.directory.identifiers import (
    InvalidIdentifier,
    clean_credit_code,
    clean_id_number,
    credit_code_from,
    id_number_from,
)

COUNTIES = st.sampled_from(["330602", "330621", "330624", "330681", "330683", "110101"])
# Birth places are checked against the division codes in force in the birth year.
BIRTHS = st.dates(min_value=date(1996, 1, 1), max_value=date(2012, 12, 31))
ORGANISATIONS = st.text(alphabet="0123456789ABCDEFGHJKLMNPQRTUWXY", min_size=9, max_size=9)


@given(COUNTIES, BIRTHS, st.integers(0, 999))
def test_generated_identity_numbers_validate(county: str, birth: date, sequence: int) -> None:
    number = id_number_from(county, birth.strftime("%Y%m%d"), sequence)
    assert clean_id_number(number.lower()) == number


@given(COUNTIES, BIRTHS, st.integers(0, 999), st.integers(0, 16))
def test_one_changed_digit_is_refused(
    county: str, birth: date, sequence: int, position: int
) -> None:
    number = id_number_from(county, birth.strftime("%Y%m%d"), sequence)
    changed = number[:position] + str((int(number[position]) + 1) % 10) + number[position + 1 :]
    with pytest.raises(InvalidIdentifier):
        clean_id_number(changed)


@given(COUNTIES, ORGANISATIONS)
def test_generated_credit_codes_validate(county: str, organisation: str) -> None:
    code = credit_code_from(county, organisation)
    assert clean_credit_code(code) == code


@given(COUNTIES, BIRTHS, st.integers(0, 999))
def test_masked_identity_numbers_hide_the_birth_date(
    county: str, birth: date, sequence: int
) -> None:
    number = id_number_from(county, birth.strftime("%Y%m%d"), sequence)
    masked = mask(PersonalKind.ID_NUMBER, number)
    assert len(masked) == len(number)
    assert masked[:3] == number[:3] and masked[-4:] == number[-4:]
    assert set(masked[3:-4]) == {"*"}


@given(st.from_regex(r"1[3-9]\d{9}", fullmatch=True))
def test_masked_phones_keep_only_their_ends(phone: str) -> None:
    assert mask(PersonalKind.PHONE, phone) == phone[:3] + "****" + phone[-4:]


@pytest.mark.parametrize(
    ("kind", "value", "masked"),
    [
        (PersonalKind.ADDRESS, "越城区塔山街道府山社区12幢3单元401室", "越城区塔山街****"),
        (PersonalKind.ADDRESS, "塔山", "塔****"),
        (PersonalKind.PHONE, "110", "***"),
        (PersonalKind.ID_NUMBER, "", ""),
    ],
)
def test_mask_edge_cases(kind: PersonalKind, value: str, masked: str) -> None:
    assert mask(kind, value) == masked


@pytest.mark.parametrize(("name", "masked"), [("张三", "张*"), ("欧阳娜娜", "欧***"), ("李", "李")])
def test_names_keep_their_first_character(name: str, masked: str) -> None:
    assert mask(PersonalKind.NAME, name) == masked
