"""How big the demo city is for each `--size`."""

from __future__ import annotations

from dataclasses import dataclass

from kuaiji.platform.core.demo_loader import DemoSize


@dataclass(frozen=True)
class CitySize:
    """The figures that scale with the demo size; ranges are inclusive (low, high)."""

    townships_per_county: int | None  # None: every township of the reference list
    villages_per_township: tuple[int, int]
    grids_per_village: tuple[int, int]
    citizens: int
    enterprises: int


SIZES: dict[DemoSize, CitySize] = {
    # 18 townships x 4 villages x 4 grids: about 300 grids
    "small": CitySize(3, (3, 5), (3, 5), citizens=1_000, enterprises=200),
    # 103 townships x 12 villages x 4 grids: about 5,000 grids
    "default": CitySize(None, (9, 15), (3, 5), citizens=10_000, enterprises=2_000),
    # 103 townships x 16 villages x 12 grids: about 20,000 grids
    "large": CitySize(None, (12, 20), (10, 14), citizens=50_000, enterprises=10_000),
}
