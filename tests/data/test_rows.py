"""The row query every data interface shares: typed filters, text search, fields, sort, pages."""

from __future__ import annotations

import pytest

from kuaiji.platform.core.errors import Forbidden, InvalidInput
from kuaiji.platform.data.models import DataResource
from kuaiji.platform.data.rows import RowQuery, every_row, parse_sort, search

pytestmark = pytest.mark.django_db


def test_filters_compare_typed_values(entities: DataResource) -> None:
    page = search(entities, RowQuery(filters={"region_code": "330602001"}))
    assert page.total == 1 and page.records[0]["name"] == "越城绍兴黄酒有限公司"
    by_capital = search(entities, RowQuery(filters={"capital": "1200"}, fields=["credit_code"]))
    assert by_capital.records == [{"credit_code": "91330602MA00000002"}]
    either = search(entities, RowQuery(filters={"region_code": ["330602002", "330603001"]}))
    assert either.total == 2
    with pytest.raises(InvalidInput):
        search(entities, RowQuery(filters={"capital": "lots"}))
    with pytest.raises(InvalidInput):
        search(entities, RowQuery(filters={"nope": "1"}))


def test_text_search_sort_and_paging(entities: DataResource) -> None:
    found = search(entities, RowQuery(q="纺织"))
    assert [row["credit_code"] for row in found.records] == ["91330602MA00000002"]
    ordered = search(entities, RowQuery(sort=parse_sort("capital desc"), limit=2, offset=1))
    assert ordered.total == 3
    assert [row["capital"] for row in ordered.records] == [500, 80.5]
    assert ordered.fields[0].name == "credit_code"
    with pytest.raises(InvalidInput):
        parse_sort("capital sideways")


def test_unreadable_fields_cannot_be_probed(entities: DataResource) -> None:
    readable = {"credit_code", "name"}
    with pytest.raises(Forbidden):
        search(entities, RowQuery(filters={"legal_person_phone": "13800000001"}), readable=readable)
    with pytest.raises(Forbidden):
        search(entities, RowQuery(sort=[("legal_person_phone", False)]), readable=readable)
    assert search(entities, RowQuery(q="13800000001"), readable=readable).total == 0


def test_every_row_streams_chosen_fields(entities: DataResource) -> None:
    rows = list(every_row(entities, fields=["name"], filters={"region_code": "330603001"}))
    assert rows == [{"name": "东湖茶叶合作社"}]
