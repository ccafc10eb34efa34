"""Citizens of the demo city: names, identity numbers, phones and home addresses, spread over
the villages and communities by their population."""

from __future__ import annotations

import random
from datetime import date, timedelta
from itertools import accumulate

from kuaiji.platform.directory.demo_city.contacts import mobile_number
from kuaiji.platform.directory.demo_city.names import person_name
from kuaiji.platform.directory.demo_city.seed import stream
from kuaiji.platform.directory.demo_city.territory import Territory
from kuaiji.platform.directory.identifiers import id_number_from
from kuaiji.platform.directory.models import RegionLevel
from kuaiji.platform.directory.records import CitizenRecord, RegionRecord

REFERENCE_DATE = date(2025, 6, 30)  # ages are counted to this day, so output never drifts
# Age bands in years (from, to) with their weights: an ageing population.
AGE_BANDS = {(0, 10): 8, (10, 20): 9, (20, 30): 10, (30, 40): 13, (40, 50): 14, (50, 60): 16,
             (60, 70): 15, (70, 80): 9, (80, 95): 6}  # fmt: skip
_AGE_WEIGHTS = tuple(accumulate(AGE_BANDS.values()))
# An identity number keeps the division code of the place of birth as it was then: for each
# county the codes it had (GB/T 2260), newest first, with the year each came into use
# (越城区 was part of 绍兴市 332301 before 1983, 柯桥区 was 绍兴县 330621 until 2013...).
BIRTH_PLACES = {
    "330602": (("330602", 1983), ("332301", 0)),
    "330603": (("330603", 2013), ("330621", 1983), ("332301", 1982), ("332321", 0)),
    "330604": (("330604", 2013), ("330682", 1992), ("330622", 1983), ("332322", 0)),
    "330624": (("330624", 1983), ("332324", 0)),
    "330681": (("330681", 1989), ("330625", 1983), ("332325", 0)),
    "330683": (("330683", 1995), ("330623", 1983), ("332323", 0)),
}


def identity_number(county_code: str, birth: date, sequence: int) -> str:
    """The identity number of someone of the county born on `birth`; `sequence` is odd for
    men, even for women."""
    place = next(code for code, since in BIRTH_PLACES[county_code] if birth.year >= since)
    return id_number_from(place, birth.strftime("%Y%m%d"), sequence)


def build_citizens(territory: Territory, count: int) -> list[CitizenRecord]:
    """`count` citizens with different identity numbers."""
    rng = stream("citizens")
    villages = territory.at_level(RegionLevel.VILLAGE)
    weights = tuple(accumulate(territory.population(village.code) for village in villages))
    citizens: dict[str, CitizenRecord] = {}
    while len(citizens) < count:
        village = rng.choices(villages, cum_weights=weights)[0]
        male = rng.random() < 0.5
        number = identity_number(village.code[:6], _birth_date(rng), 2 * rng.randrange(500) + male)
        if number in citizens:
            continue
        citizens[number] = CitizenRecord(
            name=person_name(rng, male=male),
            id_number=number,
            phone=mobile_number(rng),
            address=_address(rng, territory, village),
            region_code=village.code,
        )
    return list(citizens.values())


def _birth_date(rng: random.Random) -> date:
    """A birth date drawn from the age bands."""
    youngest, oldest = rng.choices(list(AGE_BANDS), cum_weights=_AGE_WEIGHTS)[0]
    return REFERENCE_DATE - timedelta(days=rng.randrange(youngest * 365, oldest * 365))


def _address(rng: random.Random, territory: Territory, village: RegionRecord) -> str:
    """A flat in a community (…社区12幢3单元401室) or a house in a village (…村56号)."""
    place = territory.full_name(village.code)
    if village.name.endswith("社区"):
        building, unit = rng.randint(1, 40), rng.randint(1, 4)
        return f"{place}{building}幢{unit}单元{rng.randint(1, 18)}{rng.randint(1, 4):02d}室"
    return f"{place}{rng.randint(1, 300)}号"
