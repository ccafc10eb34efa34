"""The two entry points: a dry run that reports every problem and what would change, and an
all-or-nothing import that writes only a file without problems."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from django.db import transaction

from kuaiji.platform.core.errors import InvalidInput
from kuaiji.platform.directory.imports.importers import importer_for
from kuaiji.platform.directory.imports.importers.base import Entry, Importer
from kuaiji.platform.directory.imports.kinds import ImportKind
from kuaiji.platform.directory.imports.parsing import parse
from kuaiji.platform.directory.imports.readers import read_features, read_table
from kuaiji.platform.directory.imports.report import ImportRejected, ImportReport, Problem
from kuaiji.platform.directory.imports.source import ImportFile

RECORD_NUMBER = re.compile(r"^\d+$")


def dry_run(kind: ImportKind | str, file: ImportFile, *, actor: Any) -> ImportReport:
    """Read and check the file without writing: every problem, with its line and reason, and
    how many rows would be created, updated or left unchanged.

    Raises Forbidden when the actor may not import this kind, UnreadableFile when the file
    cannot be read at all.
    """
    importer = importer_for(kind, actor)
    importer.authorize()
    report, _entries = _examine(importer, file)
    return report


def apply(kind: ImportKind | str, file: ImportFile, *, actor: Any) -> ImportReport:
    """Import the file all or nothing: check it as the dry run does, then write every row
    through the directory's service in one transaction. A file with any problem raises
    ImportRejected (carrying the report) and writes nothing; importing the same file again
    changes nothing."""
    importer = importer_for(kind, actor)
    importer.authorize()
    with transaction.atomic():
        report, entries = _examine(importer, file)
        if report.problems:
            raise ImportRejected(report)
        if entries:
            try:
                result = importer.write([entry.record for entry in entries])
            except ImportRejected:
                raise
            except InvalidInput as exc:
                raise ImportRejected(_rejected_by_service(report, entries, exc)) from exc
            report.created, report.updated = result.created, result.updated
            report.unchanged = result.unchanged
        report.applied = True
    return report


def _examine(importer: Importer[Any], file: ImportFile) -> tuple[ImportReport, list[Entry[Any]]]:
    """Read, validate and check the file; count what importing it would do."""
    table = read_features(file) if importer.geojson else read_table(file)
    entries, keys, problems = parse(importer, table)
    importer.check(entries, keys, problems)
    bad_lines = problems.lines()
    report = ImportReport(kind=importer.kind, rows=len(table.rows), problems=problems.items)
    good = [entry for entry in entries if entry.line not in bad_lines]
    for entry in good:
        outcome = importer.outcome(entry)
        setattr(report, outcome, getattr(report, outcome) + 1)
    return report, good


def _rejected_by_service(
    report: ImportReport, entries: Sequence[Entry[Any]], exc: InvalidInput
) -> ImportReport:
    """A report of a problem the service found that the checks missed, on the record's line."""
    problems = []
    for name, message in exc.fields.items():
        if RECORD_NUMBER.match(name) and 0 < int(name) <= len(entries):
            problems.append(Problem(entries[int(name) - 1].line, "", str(message)))
    report.problems = problems or [Problem(0, "", str(exc.message))]
    return report
