"""The supervision report of one region, as PDF or XLSX, in the reader's language: the period,
the region, the counts by light and by kind, by child region and by unit, and the red items.

The PDF is drawn with reportlab in its built-in CID font STSong-Light (Chinese and Latin text,
no font file needed), content uncompressed so its text can be checked; the workbook is the
platform's one-sheet export, text a spreadsheet would take for a formula neutralised.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from io import BytesIO
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from kuaiji.apps.command.supervision import selectors
from kuaiji.apps.command.supervision.selectors import Filters, Item, Summary
from kuaiji.platform.core.reports import xlsx_bytes

RED_MAX = 500
FONT = "STSong-Light"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Report:
    """What the report shows."""

    summary: Summary
    red: list[Item]
    red_total: int

    @property
    def title(self) -> str:
        return _("Supervision report: %(region)s") % {"region": self.summary.region_name}

    @property
    def period(self) -> str:
        chosen, at = self.summary.filters, _moment(self.summary.at)
        if chosen.due_from or chosen.due_until:
            return _("Work due from %(start)s to %(end)s, as of %(at)s") % {
                "start": _day(chosen.due_from) or "…",
                "end": _day(chosen.due_until, last=True) or "…",
                "at": at,
            }
        return _("All open work as of %(at)s") % {"at": at}


def build(actor: Any, chosen: Filters, now: datetime | None = None) -> Report:
    """The report of the chosen region and filters (at most `RED_MAX` red items listed)."""
    now = now or timezone.now()
    summary = selectors.summary(actor, chosen, now, alerts=0)
    red = selectors.red_items(actor, chosen, now, RED_MAX)
    return Report(summary=summary, red=red, red_total=summary.counts.red)


def _moment(value: datetime | None) -> str:
    return f"{timezone.localtime(value):%Y-%m-%d %H:%M}" if value else ""


def _day(value: datetime | None, *, last: bool = False) -> str:
    if value is None:
        return ""
    local = timezone.localtime(value)
    if last:  # the period ends at the start of the day after its last day
        local = local - timedelta(microseconds=1)
    return f"{local:%Y-%m-%d}"


def _tables(report: Report) -> list[tuple[str, list[str], list[list[Any]]]]:
    """The report's sections: a heading, column names, rows."""
    summary = report.summary
    lights = [_("Red"), _("Yellow"), _("Green")]
    counts = summary.counts
    red_rows = [
        [
            item.label,
            item.title,
            item.unit,
            item.county.name,
            item.township.name,
            _moment(item.due_at),
            item.days_late,
            item.urge_count,
        ]
        for item in report.red
    ]
    return [
        (
            _("Counts by light"),
            [*lights, _("Total")],
            [[counts.red, counts.yellow, counts.green, counts.total]],
        ),
        (
            _("By kind of work"),
            [_("Kind"), *lights],
            [[row.label, row.red, row.yellow, row.green] for row in summary.by_kind],
        ),
        (
            _("By region"),
            [_("Region"), *lights],
            [[row.name, row.red, row.yellow, row.green] for row in summary.by_region],
        ),
        (
            _("By unit"),
            [_("Unit"), _("Open"), _("Red"), _("Yellow")],
            [[row.unit or "–", row.open, row.red, row.yellow] for row in summary.by_unit],
        ),
        (
            _("Red items"),
            [
                _("Kind"),
                _("Title"),
                _("Unit"),
                _("County"),
                _("Township"),
                _("Due"),
                _("Days late"),
                _("Times urged"),
            ],
            red_rows,
        ),
    ]


# XLSX ----------------------------------------------------------------------------------------


def _cell(value: Any) -> Any:
    """A value as a cell; text a spreadsheet would take for a formula is quoted."""
    if isinstance(value, str) and value[:1] in FORMULA_STARTS:
        return "'" + value
    return value


def as_xlsx(report: Report) -> bytes:
    """The report as a workbook of one sheet, section after section."""
    lines: list[Sequence[Any]] = [
        [_("Region"), report.summary.region_name],
        [_("Period"), report.period],
    ]
    for heading, columns, rows in _tables(report):
        lines += [[], [heading], columns, *rows]
    if report.red_total > len(report.red):
        lines.append([_("The %(count)d most overdue are listed.") % {"count": len(report.red)}])
    cleaned = [[_cell(value) for value in line] for line in lines]
    return xlsx_bytes([_cell(report.title)], cleaned, _("Supervision"))


# PDF -----------------------------------------------------------------------------------------


def _font() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return FONT


def as_pdf(report: Report) -> bytes:
    """The report as an A4 PDF: heading, period, then each section as a table."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
    from reportlab.platypus.flowables import Flowable

    font = _font()
    body = ParagraphStyle("body", fontName=font, fontSize=8.5, leading=11, wordWrap="CJK")
    heading = ParagraphStyle("heading", parent=body, fontSize=12, leading=16, spaceBefore=8)
    title = ParagraphStyle("title", parent=body, fontSize=16, leading=22)

    def text(value: Any, style: ParagraphStyle = body) -> Paragraph:
        escaped = str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        return Paragraph(escaped, style)

    story: list[Flowable] = [text(report.title, title), text(report.period), Spacer(1, 4 * mm)]
    grid = TableStyle(
        [
            ("GRID", (0, 0), (-1, -1), 0.3, colors.grey),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]
    )
    for name, columns, rows in _tables(report):
        story.append(text(name, heading))
        if not rows:
            story.append(text(_("None.")))
            continue
        data = [[text(value) for value in line] for line in [columns, *rows]]
        table = Table(data, repeatRows=1, hAlign="LEFT")
        table.setStyle(grid)
        story.append(table)
    if report.red_total > len(report.red):
        story.append(text(_("The %(count)d most overdue are listed.") % {"count": len(report.red)}))
    buffer = BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=12 * mm,
        rightMargin=12 * mm,
        topMargin=14 * mm,
        bottomMargin=14 * mm,
        title=report.title,
        author="Kuaiji",
        subject=report.period,
        pageCompression=0,
        invariant=1,
    )
    document.build(story)
    return buffer.getvalue()
