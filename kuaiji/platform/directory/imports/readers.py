"""Pick the reader for a file by its content (a name can lie): XLSX, GeoJSON or CSV."""

from __future__ import annotations

from django.utils.translation import gettext as _

from kuaiji.platform.core.workbooks import UnreadableFile
from kuaiji.platform.directory.imports.csv_reader import read_csv
from kuaiji.platform.directory.imports.geojson_reader import read_geojson
from kuaiji.platform.directory.imports.source import ImportFile, Table
from kuaiji.platform.directory.imports.xlsx_reader import read_xlsx

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # .xls (Excel 97-2003) and other compound documents


def file_type(file: ImportFile) -> str:
    """ "xlsx", "geojson" or "csv", judged from the first bytes and then the name."""
    head = file.data[:8]
    if head.startswith(ZIP_MAGIC):
        return "xlsx"
    if head.startswith(OLE_MAGIC):
        raise UnreadableFile(_("Old .xls workbooks are not supported; save the file as .xlsx."))
    if file.data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
        return "geojson"
    if file.suffix in (".xlsx", ".xlsm"):
        raise UnreadableFile(_("The file is named .xlsx but is not a workbook."))
    return "csv"


def read_table(file: ImportFile) -> Table:
    """Read a CSV or XLSX file into its headers and rows."""
    kind = file_type(file)
    if kind == "xlsx":
        return read_xlsx(file.data)
    if kind == "geojson":
        raise UnreadableFile(_("This kind is imported from a CSV or XLSX file, not GeoJSON."))
    return read_csv(file.data)


def read_features(file: ImportFile) -> Table:
    """Read a GeoJSON FeatureCollection into its property names and features."""
    if file_type(file) != "geojson":
        raise UnreadableFile(_("Grids are imported from a GeoJSON FeatureCollection."))
    return read_geojson(file.data)
