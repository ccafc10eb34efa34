"""Importing the directory from files a real deployment has: regions and departments from CSV
or XLSX, grids from GeoJSON, staff, grid members and role grants from CSV or XLSX.

`dry_run` reads and checks a file and reports every bad row with its line and reason, and how
many rows would be created, updated or left unchanged; `apply` imports a file all or nothing
through the directory's upsert services, so importing the same file twice changes nothing.

The modules, one job each: `source` (the file and its rows), `csv_reader`, `xlsx_reader`,
`geojson_reader` and `readers` (which one), `columns` and `choices` (what a header or a level
cell may say), `messages` (reasons in the active language), `parsing` (rows to records),
`importers/` (one per kind: columns, references, the service that writes), `service` (the two
entry points), `stash` (uploads kept between the dry run and the confirmation on the work
front).
"""

from __future__ import annotations

from kuaiji.platform.core.workbooks import UnreadableFile
from kuaiji.platform.directory.imports.kinds import ImportKind
from kuaiji.platform.directory.imports.report import ImportRejected, ImportReport, Problem
from kuaiji.platform.directory.imports.service import apply, dry_run
from kuaiji.platform.directory.imports.source import ImportFile

__all__ = [
    "ImportFile",
    "ImportKind",
    "ImportRejected",
    "ImportReport",
    "Problem",
    "UnreadableFile",
    "apply",
    "dry_run",
]
