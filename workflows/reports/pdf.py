"""The PDF of a report: title, key figures, charts (trend, colours, categories, campuses), rankings and the
written definitions.

Each section's heading is kept on one page with its chart or the start of its table (a heading never stands
alone at the foot of a page), and every value is printed as a reader reads it (see :mod:`workflows.reports.values`).

Chinese text is set in the CJK font of :mod:`workflows.pdf_font`.
"""
from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.piecharts import Pie
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, SimpleDocTemplate, Table, TableStyle

from workflows.brand import product_name
from workflows.colours import ESCALATION, Colour
from workflows.dashboard import DEFINITIONS
from workflows.i18n import translate
from workflows.pdf_font import cjk_font as _font
from workflows.reports.content import ReportData, summary, tables
from workflows.reports.content import Table as ReportTable
from workflows.reports.labels import word
from workflows.reports.values import Kind, printed

WIDTH = 170 * mm
SERIES_COLOURS = (colors.HexColor("#5470c6"), colors.HexColor("#91cc75"), colors.HexColor("#ee6666"))
TRAFFIC = {Colour.green: colors.HexColor("#3ba272"), Colour.yellow: colors.HexColor("#fac858"),
           Colour.red: colors.HexColor("#ee6666")}


def _styles() -> tuple[ParagraphStyle, ParagraphStyle, ParagraphStyle]:
    font = _font()
    return (ParagraphStyle("title", fontName=font, fontSize=18, leading=24, spaceAfter=6),
            ParagraphStyle("h2", fontName=font, fontSize=13, leading=18, spaceBefore=10, spaceAfter=4),
            ParagraphStyle("body", fontName=font, fontSize=9, leading=13))


def _table(rows: list[list], widths: list[float] | None = None) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), _font()), ("FONTSIZE", (0, 0), (-1, -1), 9),
                               ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef1f6")),
                               ("GRID", (0, 0), (-1, -1), 0.3, colors.grey),
                               ("ALIGN", (1, 1), (-1, -1), "RIGHT")]))
    return table


def _bars(names: list[str], series: list[tuple[str, list[int]]], *, height: float = 60 * mm) -> Drawing:
    drawing = Drawing(WIDTH, height)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 12 * mm, 14 * mm, WIDTH - 20 * mm, height - 24 * mm  # type: ignore[assignment]  # reportlab-stubs say int; lengths in mm are floats
    chart.data = [values or [0] for _, values in series]
    chart.categoryAxis.categoryNames = names or [""]
    chart.categoryAxis.labels.fontName = _font()
    chart.categoryAxis.labels.fontSize = 6
    chart.categoryAxis.labels.angle = 45 if len(names) > 8 else 0
    chart.categoryAxis.labels.boxAnchor = "ne" if len(names) > 8 else "n"
    chart.valueAxis.labels.fontName = _font()
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    for i in range(len(series)):
        chart.bars[i].fillColor = SERIES_COLOURS[i % len(SERIES_COLOURS)]
    drawing.add(chart)
    legend = Legend()
    legend.x, legend.y, legend.fontName, legend.fontSize = 12 * mm, height - 4 * mm, _font(), 8  # type: ignore[assignment]  # reportlab-stubs say int; lengths in mm are floats
    legend.alignment, legend.columnMaximum = "right", 1
    legend.colorNamePairs = [(SERIES_COLOURS[i % 3], name) for i, (name, _) in enumerate(series)]
    drawing.add(legend)
    return drawing


def _colours(data: ReportData) -> Drawing:
    f, loc = data.result["figures"], data.locale
    drawing = Drawing(WIDTH, 55 * mm)
    slices = [(word(f"{kind}_{c}", loc), f[f"{kind}_{c}"], c) for kind in ("solved", "open")
              for c in ESCALATION]
    shown = [s for s in slices if s[1]]
    if not shown:
        drawing.add(String(10 * mm, 25 * mm, "—", fontName=_font()))
        return drawing
    pie = Pie()
    pie.x, pie.y, pie.width, pie.height = 10 * mm, 5 * mm, 45 * mm, 45 * mm  # type: ignore[assignment]  # reportlab-stubs say int; lengths in mm are floats
    pie.data = [s[1] for s in shown]
    pie.labels = [str(s[1]) for s in shown]
    pie.slices.fontName = _font()
    for i, (_, _, colour) in enumerate(shown):
        pie.slices[i].fillColor = TRAFFIC[colour]
    drawing.add(pie)
    legend = Legend()
    legend.x, legend.y, legend.fontName, legend.fontSize = 75 * mm, 45 * mm, _font(), 9  # type: ignore[assignment]  # reportlab-stubs say int; lengths in mm are floats
    legend.alignment, legend.deltax = "right", 45 * mm  # type: ignore[assignment]  # reportlab-stubs say int; lengths in mm are floats
    legend.colorNamePairs = [(TRAFFIC[c], f"{name}: {n}") for name, n, c in slices]
    drawing.add(legend)
    return drawing


def _section(heading: str, style: ParagraphStyle, content: Flowable) -> KeepTogether:
    """A heading with what it heads, on one page (a table too long for a page starts on the heading's page)."""
    return KeepTogether([Paragraph(escape(heading), style), content])


def _ranking(table: ReportTable, data: ReportData, body: ParagraphStyle) -> Flowable:
    if not table.rows:
        return Paragraph(escape(word("no_data", data.locale)), body)
    return _table([[word(key, data.locale) for key, _kind in table.columns]]
                  + [[printed(kind, value, data.locale, data.zone) for (_key, kind), value in zip(table.columns, row, strict=True)]
                     for row in table.rows])


def _counts_chart(rows: list[tuple], data: ReportData, body: ParagraphStyle) -> Flowable:
    """Orders received and completed by category or campus (rows of name, received, completed, bad)."""
    if not rows:
        return Paragraph(escape(word("no_data", data.locale)), body)
    return _bars([r[0] for r in rows], [(word("received", data.locale), [r[1] for r in rows]),
                                        (word("completed", data.locale), [r[2] for r in rows])])


def write_pdf(data: ReportData, path: Path, *, generated: str) -> None:
    title, h2, body = _styles()
    loc, result = data.locale, data.result
    by_key = {table.key: table for table in tables(data)}
    scope = data.unit or word("school_wide", loc)
    trend = result["trend"]
    product = product_name(loc)
    story: list[Flowable] = [
        Paragraph(escape(f"{product} · {data.school} · {scope}"), h2),
        Paragraph(escape(word("title", loc) % {"kind": word(data.period, loc), "period": data.title}), title),
        Paragraph(escape(f"{word('period', loc)}: {data.first.isoformat()} – {data.last.isoformat()}　"
                         f"{word('generated', loc)}: {generated}"), body),
        _section(word("summary", loc), h2, _table(
            [[word("figure", loc), word("value", loc)]]
            + [[word(key, loc), printed(kind, value, loc, data.zone)] for key, kind, value in summary(data)],
            [110 * mm, 40 * mm])),
        _section(word("trend", loc), h2, _bars(
            [printed(Kind.DAY, d["day"], loc, data.zone)[5:] for d in trend],
            [(word("received", loc), [d["received"] for d in trend]),
             (word("completed", loc), [d["completed"] for d in trend]),
             (word("bad_ratings", loc), [d["bad"] for d in trend])])),
        _section(word("colours", loc), h2, _colours(data)),
        *(_section(word(key, loc), h2, _counts_chart(by_key[key].rows, data, body)) for key in ("categories", "campuses")),
        *(_section(word(key, loc), h2, _ranking(by_key[key], data, body))
          for key in ("workers", "teams", "services", "assessment") if key in by_key),
    ]
    definitions = [Paragraph(escape(translate(d["text"], loc)), body) for d in DEFINITIONS]
    story += [_section(word("definitions", loc), h2, definitions[0]), *definitions[1:]]  # nothing after: no blank page
    SimpleDocTemplate(str(path), pagesize=A4, title=f"{data.school} {data.title}", author=product, creator=product,
                      leftMargin=20 * mm, rightMargin=20 * mm, topMargin=18 * mm, bottomMargin=18 * mm).build(story)
