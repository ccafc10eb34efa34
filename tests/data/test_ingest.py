"""Loading a resource's rows from CSV and XLSX files: upsert by key with revisions, bad rows
rejecting the file or quarantined, never a partial apply, file-level refusals, encodings."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from datetime import date, datetime
from typing import Any

import pytest
from django.db import DatabaseError
from django.utils import translation

from kuaiji.platform.audit.models import AuditEntry
from kuaiji.platform.core.actors import SYSTEM
from kuaiji.platform.core.crypto import sm3
from kuaiji.platform.core.errors import InvalidInput, NotFound
from kuaiji.platform.data import services
from kuaiji.platform.data.ingest import loading, reading, writing
from kuaiji.platform.data.ingest.loading import load_file
from kuaiji.platform.data.models import (
    BadRowHandling,
    DataResource,
    DataRow,
    Load,
    LoadStatus,
    QuarantinedRow,
    RowRevision,
)
from tests.data.conftest import ENTITIES, market_entities
from tests.directory.city import TinyCity

pytestmark = pytest.mark.django_db

HEADER = ["credit_code", "name", "region_code", "capital", "founded", "legal_person_phone"]


def csv_bytes(rows: Sequence[Sequence[Any]], encoding: str = "utf-8") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def entity_rows(count: int, start: int = 1) -> list[list[str]]:
    return [
        [f"91330602MB{n:08d}", f"企业{n}", "330602001", str(n * 10), "2020-01-02", ""]
        for n in range(start, start + count)
    ]


def load(
    resource: DataResource,
    content: bytes,
    *,
    actor: Any = SYSTEM,
    on_bad_rows: str = "reject",
    file_name: str = "rows.csv",
) -> Load:
    return load_file(
        actor=actor,
        resource=resource,
        content=content,
        file_name=file_name,
        on_bad_rows=on_bad_rows,
    )


def stored(resource: DataResource) -> dict[str, dict[str, Any]]:
    return {row.key: row.data for row in DataRow.objects.filter(resource=resource)}


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Messages are checked in English (the Chinese catalogue is kept apart)."""
    with translation.override("en"):
        yield


@pytest.fixture
def empty(city: TinyCity) -> DataResource:
    """The market entities resource, registered, without rows."""
    return services.register_resource(
        actor=city.users["department_officer"], resource=market_entities()
    )


@pytest.fixture(params=["native", "orm"])
def writer(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Each test runs with the database's own writer (COPY on PostgreSQL) and the ORM one."""
    if request.param == "orm":
        monkeypatch.setattr(loading, "writer_for", writing.OrmWriter)
    yield request.param


def test_a_file_is_loaded_as_the_next_data_version(
    city: TinyCity, empty: DataResource, writer: str
) -> None:
    officer = city.users["department_officer"]
    content = csv_bytes([HEADER, *entity_rows(3)])
    done = load(empty, content, actor=officer)
    assert done.status == LoadStatus.APPLIED, done.message
    assert (done.rows_read, done.rows_inserted, done.rows_updated, done.rows_unchanged) == (
        3,
        3,
        0,
        0,
    )
    assert done.data_version == 1 and done.digest == sm3(content) and done.actor == officer
    assert done.validate_seconds >= 0 and done.write_seconds > 0
    empty.refresh_from_db()
    assert empty.data_version == 1 and empty.row_count == 3 and empty.data_updated_at
    row = DataRow.objects.get(resource=empty, key='["91330602MB00000002"]')
    assert row.version == 1
    assert row.data == {
        "credit_code": "91330602MB00000002",
        "name": "企业2",
        "region_code": "330602001",
        "capital": 20,
        "founded": "2020-01-02",
        "legal_person_phone": None,
    }
    entry = AuditEntry.objects.get(action="data.load")
    assert entry.object_id == str(done.pk) and entry.changes["rows_inserted"] == [None, 3]
    assert entry.actor_id == officer.pk


def test_upsert_keeps_revisions_and_leaves_other_rows(entities: DataResource, writer: str) -> None:
    first, second, third = ENTITIES
    changed = {**second, "name": "鉴湖纺织股份有限公司", "capital": 1500}
    content = csv_bytes(
        [
            HEADER,
            [str(first[name]) if first[name] is not None else "" for name in HEADER],
            [str(changed[name]) for name in HEADER],
            ["91330602MA00000009", "新企业", "", "1,000", "2024/05/06", ""],
        ]
    )
    done = load(entities, content)
    assert done.status == LoadStatus.APPLIED, (done.message, done.problems)
    assert (done.rows_inserted, done.rows_updated, done.rows_unchanged) == (1, 1, 1)
    assert done.data_version == 2
    entities.refresh_from_db()
    assert entities.data_version == 2 and entities.row_count == 4
    rows = {row.key: row for row in DataRow.objects.filter(resource=entities)}
    assert rows['["91330602MA00000001"]'].version == 1  # identical: untouched
    assert rows['["91330602MA00000002"]'].version == 2
    assert rows['["91330602MA00000002"]'].data["name"] == "鉴湖纺织股份有限公司"
    assert rows['["91330603MA00000003"]'].data == third  # not in the file: stays
    new = rows['["91330602MA00000009"]']
    assert new.version == 2 and new.data["capital"] == 1000 and new.data["founded"] == "2024-05-06"
    assert new.data["region_code"] is None
    revision = RowRevision.objects.get(resource=entities)
    assert (revision.key, revision.version) == ('["91330602MA00000002"]', 2)
    assert revision.data == second

    again = load(entities, content)
    assert again.status == LoadStatus.APPLIED and again.rows_unchanged == 3
    assert again.data_version is None
    entities.refresh_from_db()
    assert entities.data_version == 2 and RowRevision.objects.count() == 1


def test_bad_rows_reject_the_whole_file(empty: DataResource) -> None:
    content = csv_bytes(
        [
            HEADER,
            *entity_rows(2),
            ["91330602MB00000009", "", "x", "lots", "2020-13-01", ""],
            *entity_rows(2, start=3),
        ]
    )
    done = load(empty, content)
    assert done.status == LoadStatus.REJECTED
    assert (done.rows_read, done.rows_bad, done.rows_inserted) == (5, 1, 0)
    assert done.data_version is None and "rejected" in done.message
    assert {(p["line"], p["field"]) for p in done.problems} == {
        (4, "name"),
        (4, "capital"),
        (4, "founded"),
    }
    assert not DataRow.objects.filter(resource=empty).exists()
    assert not QuarantinedRow.objects.exists()
    empty.refresh_from_db()
    assert empty.data_version == 0 and empty.row_count == 0
    assert AuditEntry.objects.filter(action="data.load").count() == 1


def test_quarantine_applies_the_good_rows(empty: DataResource, writer: str) -> None:
    content = csv_bytes(
        [
            HEADER,
            *entity_rows(2),
            ["", "无编码", "", "", "", ""],
            ["91330602MB00000001", "重复", "", "", "", ""],
            ["91330602MB00000005", "多一格", "", "", "", "", "extra"],
        ]
    )
    done = load(empty, content, on_bad_rows="quarantine")
    assert done.status == LoadStatus.APPLIED
    assert (done.rows_read, done.rows_inserted, done.rows_bad) == (5, 2, 3)
    assert done.data_version == 1
    assert set(stored(empty)) == {'["91330602MB00000001"]', '["91330602MB00000002"]'}
    held = list(done.quarantined.all())
    assert [row.line for row in held] == [4, 5, 6]
    assert held[0].values["name"] == "无编码"
    assert held[0].reasons == [{"field": "credit_code", "reason": "A value is needed."}]
    assert held[1].reasons == [{"field": "credit_code", "reason": "Same key as line 2."}]
    assert held[2].values["_extra"] == ["extra"]
    assert {"line": 5, "field": "credit_code", "reason": "Same key as line 2."} in done.problems


def test_duplicate_keys_reject_the_file(empty: DataResource) -> None:
    content = csv_bytes([HEADER, *entity_rows(3), *entity_rows(1, start=2)])
    done = load(empty, content)
    assert done.status == LoadStatus.REJECTED
    assert done.problems == [{"line": 5, "field": "credit_code", "reason": "Same key as line 3."}]
    assert not DataRow.objects.exists()


def test_no_partial_apply_when_a_late_row_is_bad(
    empty: DataResource, monkeypatch: pytest.MonkeyPatch, writer: str
) -> None:
    monkeypatch.setattr(loading, "BATCH_ROWS", 10)
    content = csv_bytes([HEADER, *entity_rows(95), ["bad", "", "", "", "", ""]])
    done = load(empty, content)
    assert done.status == LoadStatus.REJECTED and done.rows_read == 96
    assert not DataRow.objects.exists() and not RowRevision.objects.exists()


def test_no_partial_apply_when_the_file_breaks_halfway(
    empty: DataResource, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(loading, "BATCH_ROWS", 10)
    content = csv_bytes([HEADER, *entity_rows(3000)]) + b"\xff\xff\r\n"
    done = load(empty, content, on_bad_rows="quarantine")
    assert done.status == LoadStatus.REJECTED
    assert "neither UTF-8 nor GB18030" in done.message
    assert not DataRow.objects.exists()


def test_a_failing_write_is_recorded_and_rolled_back(
    empty: DataResource, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(loading, "BATCH_ROWS", 10)
    real = writing.writer_for

    class Breaking:
        def __init__(self, *args: Any) -> None:
            self.inner = real(*args)
            self.batches = 0

        def write(self, rows: Sequence[Any]) -> tuple[int, int, int]:
            self.batches += 1
            if self.batches == 3:
                raise DatabaseError("disk full")
            return self.inner.write(rows)

        def close(self) -> None:
            self.inner.close()

    monkeypatch.setattr(loading, "writer_for", Breaking)
    done = load(empty, csv_bytes([HEADER, *entity_rows(50)]))
    assert done.status == LoadStatus.FAILED and "disk full" in done.message
    assert done.rows_inserted == 0 and not DataRow.objects.exists()
    assert Load.objects.get().status == LoadStatus.FAILED


@pytest.mark.parametrize(
    ("header", "reason"),
    [
        ([*HEADER, "owner"], "Not fields of the resource: owner"),
        (["credit_code", "capital"], "Required columns missing: name"),
        (["credit_code", "name", "name"], "Named more than once: name"),
        (["credit_code", "", "name"], "The column has no name"),
    ],
)
def test_a_bad_header_rejects_the_file(empty: DataResource, header: list[str], reason: str) -> None:
    done = load(empty, csv_bytes([header, ["91330602MB00000001"] * len(header)]))
    assert done.status == LoadStatus.REJECTED and done.rows_read == 0
    assert "header does not fit" in done.message
    assert any(reason in problem["reason"] for problem in done.problems), done.problems
    assert not DataRow.objects.exists()


def test_empty_and_unreadable_files_are_rejected(empty: DataResource) -> None:
    assert "empty" in load(empty, b"\r\n\r\n").message
    assert load(empty, b"PK\x03\x04 not really", file_name="x.xlsx").status == "rejected"
    assert "xlsx" in load(empty, b"", file_name="old.xls").message


def test_a_file_too_large_is_refused_unread(
    empty: DataResource, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(loading, "MAX_FILE_BYTES", 100)
    with pytest.raises(InvalidInput):
        load(empty, csv_bytes([HEADER, *entity_rows(10)]))
    assert not Load.objects.exists()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_encodings(empty: DataResource, encoding: str) -> None:
    done = load(empty, csv_bytes([HEADER, *entity_rows(2)], encoding=encoding))
    assert done.status == LoadStatus.APPLIED, done.problems
    assert stored(empty)['["91330602MB00000001"]']["name"] == "企业1"


def test_tab_separated_files(empty: DataResource) -> None:
    content = "\n".join(["\t".join(HEADER), "\t".join(entity_rows(1)[0])]).encode()
    assert load(empty, content).rows_inserted == 1


def test_xlsx_with_typed_cells(empty: DataResource) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append([])  # a blank first row
    sheet.append(HEADER)
    sheet.append(["91330602MB00000001", "甲", 330602001, 12.5, date(2020, 1, 2), 13800000001])
    sheet.append(["91330602MB00000002", "乙", None, 7, datetime(2021, 3, 4, 0, 0), None])
    sheet.append(["91330602MB00000003", "丙", None, "many", None, None])
    out = io.BytesIO()
    workbook.save(out)
    done = load(empty, out.getvalue(), file_name="rows.xlsx", on_bad_rows="quarantine")
    assert done.status == LoadStatus.APPLIED
    assert (done.rows_read, done.rows_inserted, done.rows_bad) == (3, 2, 1)
    rows = stored(empty)
    assert rows['["91330602MB00000001"]'] == {
        "credit_code": "91330602MB00000001",
        "name": "甲",
        "region_code": "330602001",
        "capital": 12.5,
        "founded": "2020-01-02",
        "legal_person_phone": "13800000001",
    }
    assert rows['["91330602MB00000002"]']["founded"] == "2021-03-04"
    assert done.problems == [{"line": 5, "field": "capital", "reason": "not a number"}]


def test_loads_are_for_the_owning_department(city: TinyCity, empty: DataResource) -> None:
    content = csv_bytes([HEADER, *entity_rows(1)])
    for who in ("township_officer", "grid_worker"):
        with pytest.raises(NotFound):
            load(empty, content, actor=city.users[who])
    with pytest.raises(InvalidInput):
        load(empty, content, on_bad_rows="ignore")
    assert not Load.objects.exists()


def test_reading_streams_rows_with_their_lines() -> None:
    content = b'a,b\r\n\r\n1,"two\r\nlines"\r\n3,4\r\n'
    with reading.open_table(content, "csv") as table:
        assert table.header == ["a", "b"] and table.header_line == 1
        assert list(table.rows) == [(3, ["1", "two\r\nlines"]), (5, ["3", "4"])]
    assert reading.guess_format("X.XLSX", b"") == "xlsx"
    assert reading.guess_format("export", b"PK\x03\x04") == "xlsx"


def test_bad_row_handling_choices() -> None:
    assert set(BadRowHandling.values) == {"reject", "quarantine"}
