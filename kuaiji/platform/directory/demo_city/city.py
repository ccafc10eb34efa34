"""The whole demo city for a size, put together from its parts."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from kuaiji.platform.core.demo_loader import DemoSize
from kuaiji.platform.directory.demo_city import accounts
from kuaiji.platform.directory.demo_city.departments import Unit, build_units
from kuaiji.platform.directory.demo_city.enterprises import build_enterprises
from kuaiji.platform.directory.demo_city.reform import build_reform_bodies
from kuaiji.platform.directory.demo_city.residents import build_citizens
from kuaiji.platform.directory.demo_city.sizes import SIZES
from kuaiji.platform.directory.demo_city.staff import Workforce, build_workforce
from kuaiji.platform.directory.demo_city.territory import Territory, build_territory
from kuaiji.platform.directory.records import (
    CitizenRecord,
    DepartmentRecord,
    EnterpriseRecord,
    ReformBodyRecord,
)


@dataclass(frozen=True)
class DemoCity:
    """Every record of the demo city, ready for the upsert services."""

    territory: Territory
    units: tuple[Unit, ...]
    workforce: Workforce
    reform_bodies: tuple[ReformBodyRecord, ...]
    citizens: tuple[CitizenRecord, ...]
    enterprises: tuple[EnterpriseRecord, ...]

    @property
    def departments(self) -> list[DepartmentRecord]:
        """The units' department records, parents first."""
        return [unit.record for unit in self.units]


def generate_city(size: DemoSize) -> DemoCity:
    """Generate the city of one size (the same on every call)."""
    figures = SIZES[size]
    territory = build_territory(figures)
    units = build_units(territory)
    return DemoCity(
        territory=territory,
        units=tuple(units),
        workforce=build_workforce(territory, units, accounts.usernames()),
        reform_bodies=tuple(build_reform_bodies()),
        citizens=tuple(build_citizens(territory, figures.citizens)),
        enterprises=tuple(build_enterprises(territory, figures.enterprises)),
    )


@lru_cache(maxsize=1)
def demo_city(size: DemoSize) -> DemoCity:
    """The city of one size, generated once per process for the demo steps to share."""
    return generate_city(size)
