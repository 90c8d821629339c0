"""The PDF of a report: title, key figures, charts (trend, colours, categories, campuses), rankings and the
written definitions.

Chinese text is set in an installed CJK TrueType font, embedded so that every viewer shows it (Debian's
``fonts-wqy-microhei``, which the image and the test script install). Without one it falls back to reportlab's
built-in CID font STSong-Light, which needs no file but is not embedded: viewers without Asian fonts show blanks.
"""
from __future__ import annotations

from functools import cache
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
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from workflows.brand import product_name
from workflows.colours import ESCALATION, Colour
from workflows.dashboard import DEFINITIONS
from workflows.i18n import translate
from workflows.reports.content import ReportData
from workflows.reports.labels import SUMMARY_KEYS, figure_value, word

FONT = "HouqinCJK"
CID_FONT = "STSong-Light"
FONT_FILES = (Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
              Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
              Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"))
WIDTH = 170 * mm
SERIES_COLOURS = (colors.HexColor("#5470c6"), colors.HexColor("#91cc75"), colors.HexColor("#ee6666"))
TRAFFIC = {Colour.green: colors.HexColor("#3ba272"), Colour.yellow: colors.HexColor("#fac858"),
           Colour.red: colors.HexColor("#ee6666")}


@cache
def _font() -> str:
    """Register the report font once and return its name: the first installed CJK file, else the CID font."""
    path = next((p for p in FONT_FILES if p.is_file()), None)
    if path is not None:
        pdfmetrics.registerFont(TTFont(FONT, str(path), subfontIndex=0))
        return FONT
    pdfmetrics.registerFont(UnicodeCIDFont(CID_FONT))
    return CID_FONT


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


def write_pdf(data: ReportData, path: Path, *, generated: str) -> None:
    title, h2, body = _styles()
    loc, result = data.locale, data.result
    f = result["figures"]
    scope = data.unit or word("school_wide", loc)
    product = product_name(loc)
    story = [Paragraph(escape(f"{product} · {data.school} · {scope}"), h2),
             Paragraph(f"{data.title} {word(data.period, loc)}{word('report', loc)}", title),
             Paragraph(f"{word('period', loc)}: {data.first.isoformat()} – {data.last.isoformat()}　"
                       f"{word('generated', loc)}: {generated}", body),
             Paragraph(word("summary", loc), h2),
             _table([[word("figure", loc), word("value", loc)]]
                    + [[word(k, loc), figure_value(k, f[k])] for k in SUMMARY_KEYS], [110 * mm, 40 * mm]),
             Paragraph(word("trend", loc), h2),
             _bars([d["day"][5:] for d in result["trend"]],
                   [(word("received", loc), [d["received"] for d in result["trend"]]),
                    (word("completed", loc), [d["completed"] for d in result["trend"]]),
                    (word("bad_ratings", loc), [d["bad"] for d in result["trend"]])]),
             Paragraph(word("colours", loc), h2), _colours(data)]
    name = "name_en" if loc == "en" else "name_zh"
    for key, rows in (("categories", [(c[name], c) for c in result["categories"]]),
                      ("campuses", [(c["name"], c) for c in result["campuses"]])):
        story += [Paragraph(word(key, loc), h2),
                  _bars([n for n, _ in rows], [(word("received", loc), [c["received"] for _, c in rows]),
                                               (word("completed", loc), [c["completed"] for _, c in rows])])]
    for key in ("workers", "teams"):
        rows = result["rankings"][key]
        story += [Paragraph(word(key, loc), h2),
                  _table([[word("name", loc), word("completed", loc), word("good_ratings", loc),
                           word("bad_ratings", loc), word("good_rate_short", loc)]]
                         + [[r["name"], r["completed"], r["good"], r["bad"], figure_value("good_rate", r["good_rate"])]
                            for r in rows])]
    story += [Paragraph(word("definitions", loc), h2)]
    story += [Paragraph(escape(translate(d["text"], loc)), body) for d in DEFINITIONS]
    story.append(Spacer(1, 4 * mm))
    SimpleDocTemplate(str(path), pagesize=A4, title=f"{data.school} {data.title}", author=product, creator=product,
                      leftMargin=20 * mm, rightMargin=20 * mm, topMargin=18 * mm, bottomMargin=18 * mm).build(story)
