"""The demo's synthetic rows: valid against each demo resource's schema, deterministic, with real
demo region codes; and the demo step loads them through ingestion."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from stdnum.cn import ric, uscc

from kuaiji.platform.data import synthetic
from kuaiji.platform.data.demo import RESOURCES
from kuaiji.platform.data.values import converter
from tests.directory.city import TinyCity

TODAY = date(2026, 3, 15)


@pytest.fixture(scope="module")
def places() -> synthetic.Places:
    return synthetic.Places.of("small")


def _columns(entry: tuple[object, ...]) -> list[synthetic.Column]:
    fields = entry[8]
    assert isinstance(fields, tuple)
    return [synthetic.Column(name, kind, key) for name, kind, _level, key, _standard in fields]


@pytest.mark.parametrize("entry", RESOURCES, ids=[entry[0] for entry in RESOURCES])
def test_rows_convert_back_from_the_csv_and_keys_are_unique(
    entry: tuple[object, ...], places: synthetic.Places
) -> None:
    code = str(entry[0])
    columns = _columns(entry)
    count = synthetic.demo_row_count(code, "small")
    rows = synthetic.generate(code, columns, count=count, places=places, today=TODAY)
    assert code in synthetic.GENERATORS
    assert 20 <= len(rows) <= count
    keys = [tuple(row[c.name] for c in columns if c.primary_key) for row in rows]
    assert len(set(keys)) == len(keys)
    names = [column.name for column in columns]
    content = synthetic.as_csv(names, rows)
    read = list(csv.DictReader(io.StringIO(content.decode("utf-8"))))
    assert len(read) == len(rows)
    for row, cells in zip(rows, read, strict=True):
        assert list(row) == names
        for column in columns:
            text = cells[column.name]
            value = converter(column.type)(text) if text else None
            assert value == row[column.name], (column, text)
            assert type(value) is type(row[column.name]), (column, text)
            assert value is not None or not column.primary_key


def test_rows_are_the_same_for_the_same_seed_and_day(places: synthetic.Places) -> None:
    columns = _columns(RESOURCES[2])  # hourly air quality
    first = synthetic.generate("air-quality-hourly", columns, count=50, places=places, today=TODAY)
    again = synthetic.generate("air-quality-hourly", columns, count=50, places=places, today=TODAY)
    assert first == again
    assert all(row["observed_at"] < "2026-03-15T00:00:01" for row in first)
    assert all(0 < row["aqi"] <= 500 and row["pm10"] >= row["pm25"] for row in first)


def test_region_codes_identifiers_and_people_are_the_demo_citys(places: synthetic.Places) -> None:
    grids = {grid.code for grid in places.grids}
    villages = {village.code for village in places.villages}
    by_code = {str(entry[0]): _columns(entry) for entry in RESOURCES}

    def rows(code: str) -> list[synthetic.Row]:
        return synthetic.generate(
            code, by_code[code], count=synthetic.demo_row_count(code, "small"), places=places,
            today=TODAY,
        )  # fmt: skip

    population = rows("population-by-grid")
    assert {row["grid_code"] for row in population} == grids
    assert all(row["elderly"] < row["population"] for row in population)
    assert {row["region_code"] for row in rows("minimum-living-allowance")} <= villages
    assert {row["village_code"] for row in rows("farmland")} <= villages
    entities = rows("market-entities")
    assert all(uscc.is_valid(row["credit_code"]) for row in entities)
    known = {row["credit_code"] for row in entities}
    assert {row["credit_code"] for row in rows("social-insurance-payers")} <= known
    assert {row["credit_code"] for row in rows("enterprise-energy")} <= known
    residents = rows("household-registration")
    assert all(ric.is_valid(row["id_number"]) for row in residents)
    assert all(len(row["legal_person_phone"]) == 11 for row in entities)


def test_a_field_the_generator_does_not_know_is_filled_by_name_and_type(
    places: synthetic.Places,
) -> None:
    columns = [
        synthetic.Column("school_code", "string", True),
        synthetic.Column("township_code", "string"),
        synthetic.Column("opened_on", "date"),
        synthetic.Column("boarding", "boolean"),
    ]
    rows = synthetic.generate("schools", columns, count=30, places=places, today=TODAY)
    townships = {township.code for township in places.townships}
    assert rows and all(row["township_code"] in townships for row in rows)
    assert all(isinstance(row["boarding"], bool) and "name" not in row for row in rows)
    unknown = synthetic.generate(
        "no-such-resource", [synthetic.Column("id", "integer", True)], count=5, places=places,
        today=TODAY,
    )  # fmt: skip
    assert [row["id"] for row in unknown] == [1, 2, 3, 4, 5]


def test_update_file_has_two_bad_rows() -> None:
    rows = [
        {"lot_id": f"P330602{n:05d}", "name": "停车场", "spaces": 100, "free_spaces": 3}
        for n in range(30)
    ]
    update = synthetic.update_file(rows, TODAY)
    assert len(update) == 27
    assert sum(row["lot_id"] == "" for row in update) == 1
    assert sum(not isinstance(row["spaces"], int) for row in update) == 1


@pytest.mark.django_db
def test_the_demo_step_loads_rows_and_quarantines_the_update(city: TinyCity) -> None:
    from kuaiji.platform.core.actors import SYSTEM
    from kuaiji.platform.data.demo import _record
    from kuaiji.platform.data.models import DataResource, Load, LoadStatus, QuarantinedRow
    from kuaiji.platform.data.services import register_resource

    chosen = {"parking-lots", "population-by-grid", "air-quality-hourly"}
    for entry in RESOURCES:
        if entry[0] in chosen:  # kept by the tiny city's data bureau
            record = _record(entry, "330600").model_copy(update={"department_code": "330600-DSJ"})
            register_resource(actor=SYSTEM, resource=record)
    summary = synthetic.load_demo_rows("small")
    assert summary.startswith("3 resources loaded") and "2 rows in quarantine" in summary
    loads = Load.objects.filter(resource__code="parking-lots").order_by("pk")
    first, update = list(loads)
    assert first.status == update.status == LoadStatus.APPLIED
    assert (first.rows_inserted, first.rows_bad) == (
        synthetic.demo_row_count("parking-lots", "small"),
        0,
    )
    assert update.rows_bad == 2 and update.rows_updated > 0 and update.data_version == 2
    assert QuarantinedRow.objects.filter(load=update).count() == 2
    grids = DataResource.objects.get(code="population-by-grid")
    assert grids.row_count == len(synthetic.Places.of("small").grids)
    assert synthetic.load_demo_rows("small") == "0 loaded, rows unchanged"
