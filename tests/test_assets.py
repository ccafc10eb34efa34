"""Front-end packages are served locally, and only the files pages use."""

from __future__ import annotations

from pathlib import Path

from django.contrib.staticfiles import finders
from pytest_django.fixtures import Settings

from kuaiji.platform.core.assets import VENDOR_PACKAGES, VendorFinder


def test_each_declared_package_has_its_files() -> None:
    for path in [
        "vendor/htmx/htmx.min.js",
        "vendor/echarts/echarts.min.js",
        "vendor/leaflet/leaflet.js",
        "vendor/leaflet/leaflet.css",
        "vendor/leaflet/images/marker-icon.png",
        "vendor/bpmn-js/bpmn-navigated-viewer.production.min.js",
        "vendor/bpmn-js/assets/bpmn-js.css",
    ]:
        assert finders.find(path), path


def test_undeclared_files_are_not_served() -> None:
    finder = VendorFinder()
    assert not finder.find("vendor/echarts/echarts.js")
    assert not finder.find("vendor/htmx/../../package.json")
    assert not finder.find("vendor/leaflet/images/../../../htmx.org/package.png")
    assert finder.find("vendor/htmx/htmx.min.js", find_all=True)


def test_collected_files_are_only_the_declared_ones() -> None:
    listed = [path for path, _storage in VendorFinder().list(None)]
    assert "echarts.min.js" in listed
    assert "echarts.js" not in listed and "echarts.js.map" not in listed
    assert len(listed) < 60


def test_missing_packages_fail_the_system_check(settings: Settings, tmp_path: Path) -> None:
    settings.NODE_MODULES_DIR = tmp_path
    errors = VendorFinder().check()
    assert len(errors) == len(VENDOR_PACKAGES)
    assert all(error.id == "kuaiji.E001" and "npm ci" in (error.hint or "") for error in errors)
