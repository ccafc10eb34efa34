"""Front-end packages installed by `npm ci`, exposed as static files under ``vendor/``.

Only the files listed here are served or collected, so a large package (ECharts ships
46 MB of builds) contributes just the one build the pages use. Nothing is loaded from a CDN.
"""

from __future__ import annotations

import builtins
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from fnmatch import fnmatch
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles.finders import BaseFinder
from django.core import checks
from django.core.files.storage import FileSystemStorage


@dataclass(frozen=True)
class VendorPackage:
    """One npm package's files that pages may load, as ``vendor/<name>/<path>``."""

    name: str
    dist: str
    patterns: tuple[str, ...]

    @property
    def root(self) -> Path:
        return Path(settings.NODE_MODULES_DIR) / self.dist

    @property
    def prefix(self) -> str:
        return f"vendor/{self.name}"

    def allows(self, relative: str) -> bool:
        """Whether a path inside the package is declared (never one that climbs out of it)."""
        if ".." in relative.split("/"):
            return False
        return any(fnmatch(relative, pattern) for pattern in self.patterns)


VENDOR_PACKAGES: tuple[VendorPackage, ...] = (
    VendorPackage("htmx", "htmx.org/dist", ("htmx.min.js",)),
    VendorPackage("echarts", "echarts/dist", ("echarts.min.js",)),
    VendorPackage(
        "leaflet", "leaflet/dist", ("leaflet.js", "leaflet.js.map", "leaflet.css", "images/*.png")
    ),
    VendorPackage(
        "bpmn-js",
        "bpmn-js/dist",
        ("bpmn-navigated-viewer.production.min.js", "assets/*.css", "assets/bpmn-font/*/*"),
    ),
)


class VendorFinder(BaseFinder):
    """A static files finder for the files declared in `VENDOR_PACKAGES`."""

    def find(self, path: str, find_all: bool = False, **kwargs: Any) -> Any:
        """The file's absolute path (a list of it with `find_all`); [] when not declared."""
        find_all = find_all or bool(kwargs.get("all"))
        for package in VENDOR_PACKAGES:
            if not path.startswith(package.prefix + "/"):
                continue
            relative = path[len(package.prefix) + 1 :]
            candidate = package.root / relative
            if package.allows(relative) and candidate.is_file():
                return [str(candidate)] if find_all else str(candidate)
        return []

    def list(self, ignore_patterns: Iterable[str] | None) -> Iterator[tuple[str, Any]]:
        """Every declared file, with a storage whose prefix places it under vendor/."""
        for package in VENDOR_PACKAGES:
            if not package.root.is_dir():
                continue
            storage = FileSystemStorage(location=package.root)
            storage.prefix = package.prefix  # type: ignore[attr-defined]
            for file in sorted(package.root.rglob("*")):
                relative = file.relative_to(package.root).as_posix()
                if file.is_file() and package.allows(relative):
                    yield relative, storage

    def check(self, **kwargs: Any) -> builtins.list[checks.CheckMessage]:
        """System check (run by staticfiles): the front-end packages are installed."""
        return [
            checks.Error(
                f"Front-end package folder {Path(settings.NODE_MODULES_DIR) / dist} is missing.",
                hint="Run `npm ci` in the checkout, or set KUAIJI_NODE_MODULES.",
                id="kuaiji.E001",
            )
            for dist in missing_vendor_packages()
        ]


def missing_vendor_packages() -> list[str]:
    """Names of declared packages whose files are not installed."""
    return [package.dist for package in VENDOR_PACKAGES if not package.root.is_dir()]
