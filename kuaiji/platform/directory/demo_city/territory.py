"""The regions and grids of the demo city: the real city, counties and townships, tiled by
synthetic villages, communities and grids."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import shapely
from shapely.geometry.base import BaseGeometry

from kuaiji.platform.directory.demo_city import reference
from kuaiji.platform.directory.demo_city.geography import partition, rounded, to_geojson
from kuaiji.platform.directory.demo_city.names import place_names
from kuaiji.platform.directory.demo_city.seed import stream
from kuaiji.platform.directory.demo_city.sizes import CitySize
from kuaiji.platform.directory.models import GridKind, RegionLevel
from kuaiji.platform.directory.records import GridRecord, RegionRecord

# Share of communities (社区) among a township's villages, by the kind of township.
COMMUNITY_SHARE = {"街道": 0.7, "镇": 0.2, "乡": 0.0}
FIRST_COMMUNITY, FIRST_VILLAGE = 1, 201  # the usual numbering: 社区 001-199, 村 200-399
DEDICATED_SHARE = 0.03
DEDICATIONS = ("工业园区", "学校", "农贸市场", "医院", "商务楼宇", "交通枢纽", "景区")
HOUSEHOLDS = (150, 600)
DEDICATED_HOUSEHOLDS = (0, 60)
PEOPLE_PER_HOUSEHOLD = 2.6


@dataclass(frozen=True)
class Territory:
    """Every region record (parents before children) and every grid record of the city."""

    regions: tuple[RegionRecord, ...]
    grids: tuple[GridRecord, ...]

    @cached_property
    def _regions_by_code(self) -> dict[str, RegionRecord]:
        return {region.code: region for region in self.regions}

    @cached_property
    def _grids_by_region(self) -> dict[str, list[GridRecord]]:
        found: dict[str, list[GridRecord]] = {}
        for grid in self.grids:
            found.setdefault(grid.region_code, []).append(grid)
        return found

    def region(self, code: str) -> RegionRecord:
        """The region with this code."""
        return self._regions_by_code[code]

    def at_level(self, level: RegionLevel) -> list[RegionRecord]:
        """The regions of one level, in code order within their parents."""
        return [region for region in self.regions if region.level is level]

    def grids_in(self, village_code: str) -> list[GridRecord]:
        """The grids of one village or community."""
        return self._grids_by_region.get(village_code, [])

    def population(self, village_code: str) -> int:
        """The people living in a village's grids."""
        return sum(grid.population for grid in self.grids_in(village_code))

    def full_name(self, code: str) -> str:
        """The region's name preceded by its county's and township's (越城区塔山街道东塘社区)."""
        region = self.region(code)
        names = [region.name]
        while region.level not in (RegionLevel.COUNTY, RegionLevel.CITY):
            region = self.region(region.parent_code)
            names.insert(0, region.name)
        return "".join(names)


def build_territory(size: CitySize) -> Territory:
    """Partition each county into its townships, villages and grids."""
    outlines = {county.code: rounded(county.outline) for county in reference.counties()}
    regions = [
        RegionRecord(
            code=reference.CITY_CODE,
            name=reference.CITY_NAME,
            name_en=reference.CITY_NAME_EN,
            level=RegionLevel.CITY,
            boundary=to_geojson(rounded(shapely.union_all(list(outlines.values())))),
        )
    ]
    grids: list[GridRecord] = []
    for county in reference.counties():
        regions.append(
            RegionRecord(
                code=county.code,
                name=county.name,
                name_en=county.name_en,
                level=RegionLevel.COUNTY,
                parent_code=reference.CITY_CODE,
                boundary=to_geojson(outlines[county.code]),
            )
        )
        townships = reference.townships_of(county.code, size.townships_per_county)
        areas = partition(outlines[county.code], len(townships), stream("townships", county.code))
        for township, area in zip(townships, areas, strict=True):
            township_regions, township_grids = _township(township, area, size)
            regions.extend(township_regions)
            grids.extend(township_grids)
    return Territory(tuple(regions), tuple(grids))


def _township(
    township: reference.Township, area: BaseGeometry, size: CitySize
) -> tuple[list[RegionRecord], list[GridRecord]]:
    """The township, its villages and communities, and their grids."""
    rng = stream("villages", township.code)
    regions = [
        RegionRecord(
            code=township.code,
            name=township.name,
            level=RegionLevel.TOWNSHIP,
            parent_code=township.county_code,
            boundary=to_geojson(area),
        )
    ]
    grids: list[GridRecord] = []
    count = rng.randint(*size.villages_per_township)
    communities = round(count * COMMUNITY_SHARE[reference.township_kind(township.name)])
    numbers = list(range(FIRST_COMMUNITY, FIRST_COMMUNITY + communities))
    numbers += range(FIRST_VILLAGE, FIRST_VILLAGE + count - communities)
    names = place_names(rng, count)
    for index, (number, name, village_area) in enumerate(
        zip(numbers, names, partition(area, count, rng), strict=True)
    ):
        village = RegionRecord(
            code=f"{township.code}{number:03d}",
            name=name + ("社区" if index < communities else "村"),
            level=RegionLevel.VILLAGE,
            parent_code=township.code,
            boundary=to_geojson(village_area),
            is_real=False,
        )
        regions.append(village)
        grids.extend(_grids(village, village_area, size))
    return regions, grids


def _grids(village: RegionRecord, area: BaseGeometry, size: CitySize) -> list[GridRecord]:
    """The grids tiling one village; about `DEDICATED_SHARE` of them are dedicated grids."""
    rng = stream("grids", village.code)
    grids = []
    for number, grid_area in enumerate(
        partition(area, rng.randint(*size.grids_per_village), rng), start=1
    ):
        dedicated_to = rng.choice(DEDICATIONS) if rng.random() < DEDICATED_SHARE else ""
        households = rng.randint(*(DEDICATED_HOUSEHOLDS if dedicated_to else HOUSEHOLDS))
        name = f"{dedicated_to}专属网格" if dedicated_to else f"第{number}网格"
        grids.append(
            GridRecord(
                code=f"{village.code}{number:03d}",
                name=village.name + name,
                kind=GridKind.DEDICATED if dedicated_to else GridKind.COMPREHENSIVE,
                dedicated_to=dedicated_to,
                region_code=village.code,
                boundary=to_geojson(grid_area),
                households=households,
                population=round(households * PEOPLE_PER_HOUSEHOLD * rng.uniform(0.9, 1.1)),
                is_synthetic=True,
            )
        )
    return grids
