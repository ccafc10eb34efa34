"""The supervision report: the PDF and the workbook open, in the reader's language, and hold
the counts and the red items; text that looks like a formula is neutralised."""

from __future__ import annotations

import io

import pytest
from django.utils import translation
from openpyxl import load_workbook

from kuaiji.apps.command.models import Directive
from kuaiji.apps.command.supervision import report, selectors
from tests.command.supervision.scene import Scene
from tests.pdf import pdf_text

pytestmark = pytest.mark.django_db


def build(scene: Scene, region: str | None = None) -> report.Report:
    leader = scene.city.users["city_leader"]
    return report.build(leader, selectors.filters(leader, region=region))


def test_the_pdf_holds_the_counts_and_the_red_items(scene: Scene) -> None:
    with translation.override("zh-hans"):
        content = report.as_pdf(build(scene, "330602"))
    text = pdf_text(content)
    assert "督办" in text or "监督" in text or "Supervision" not in text
    for title in ("grassroots.event 41", "任务1", "指令ZL-1", "government.application 999999"):
        assert title in text
    assert "任务2" not in text  # yellow work is counted, not listed
    assert "西区" in text


def test_the_pdf_in_english(scene: Scene) -> None:
    with translation.override("en"):
        text = pdf_text(report.as_pdf(build(scene)))
    assert "Supervision report" in text and "Red items" in text
    assert "All open work as of" in text


def test_the_workbook_holds_every_section(scene: Scene) -> None:
    with translation.override("en"):
        content = report.as_xlsx(build(scene))
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    rows = [[cell for cell in row if cell is not None] for row in sheet.iter_rows(values_only=True)]
    assert rows[0][0].startswith("Supervision report")
    counts = rows.index(["Counts by light"])
    assert rows[counts + 1] == ["Red", "Yellow", "Green", "Total"]
    assert rows[counts + 2] == [5, 2, 2, 9]
    start = rows.index(["Red items"]) + 2
    titles = [row[1] for row in rows[start : start + 5]]
    assert titles == [
        "grassroots.event 41",
        "任务1",
        "government.application 999999",
        "grassroots.event 43",
        "指令ZL-1",
    ]
    assert ["By region"] in rows and ["By unit"] in rows and ["By kind of work"] in rows


def test_formulas_are_neutralised(scene: Scene) -> None:
    Directive.objects.filter(pk=scene.late_target.directive_id).update(title="=HYPERLINK(1)")
    sheet = load_workbook(io.BytesIO(report.as_xlsx(build(scene)))).active
    assert sheet is not None
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row if cell]
    assert "'=HYPERLINK(1)" in values
    assert not any(isinstance(value, str) and value.startswith("=") for value in values)
