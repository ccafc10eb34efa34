"""One importer per kind of file."""

from __future__ import annotations

from typing import Any

from kuaiji.platform.directory.imports.importers.base import Importer
from kuaiji.platform.directory.imports.importers.departments import DepartmentsImporter
from kuaiji.platform.directory.imports.importers.grants import GrantsImporter
from kuaiji.platform.directory.imports.importers.grid_members import GridMembersImporter
from kuaiji.platform.directory.imports.importers.grids import GridsImporter
from kuaiji.platform.directory.imports.importers.regions import RegionsImporter
from kuaiji.platform.directory.imports.importers.staff import StaffImporter
from kuaiji.platform.directory.imports.kinds import ImportKind

IMPORTERS: dict[ImportKind, type[Importer[Any]]] = {
    importer.kind: importer
    for importer in (
        RegionsImporter,
        DepartmentsImporter,
        GridsImporter,
        StaffImporter,
        GridMembersImporter,
        GrantsImporter,
    )
}


def importer_for(kind: ImportKind | str, actor: Any) -> Importer[Any]:
    """The importer of `kind` acting for `actor`."""
    return IMPORTERS[ImportKind.parse(str(kind))](actor)
