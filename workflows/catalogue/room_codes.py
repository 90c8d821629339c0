"""Sheets of QR codes to post in rooms, building by building: each code opens the phone report page with the
campus, building and room filled in, so a student scans it in WeChat and only describes the fault.

A4 pages of twelve labels (three by four), each with its code, the place in words and "scan to report"; a
building starts on a new page under its name. A building with no rooms recorded gets one code for the building.
"""
from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from workflows.catalogue.models import Building, Room
from workflows.i18n import N_, translate
from workflows.pdf_font import cjk_font
from workflows.qr import qr_png

COLUMNS, ROWS = 3, 4
MARGIN = 12 * mm
CODE = 42 * mm
SCAN = N_("Scan to report a repair")
PAGE_TITLE = N_("%(building)s · room codes")


@dataclass(frozen=True)
class Label:
    """One code: where it opens the report page, and the place it names."""

    link: str
    place: str


def labels(building: Building, rooms: Sequence[Room], link: Callable[[Building, Room | None], str]) -> list[Label]:
    """A building's labels: one per room (its floor and number, and its name when it has one), or one for the
    building itself when it has no rooms recorded."""
    if not rooms:
        return [Label(link(building, None), building.name)]
    return [Label(link(building, room), " ".join(filter(None, [building.name, room.number, room.name]))) for room in rooms]


def room_codes_pdf(sheets: Sequence[tuple[Building, list[Label]]], *, locale: str, scan: str = SCAN,
                   title: str = PAGE_TITLE) -> bytes:
    """The PDF: for each building, its labels on as many pages as they need; ``scan`` under each code and the
    pages' ``title`` are catalog msgids (duty posts print their patrol codes with their own words)."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1)
    font = cjk_font()
    canvas.setTitle(translate(N_("Room QR codes"), locale))
    width, height = A4
    cell_w, cell_h = (width - 2 * MARGIN) / COLUMNS, (height - 2 * MARGIN - 12 * mm) / ROWS
    scan = translate(scan, locale)
    for building, shown in sheets:
        for first in range(0, len(shown), COLUMNS * ROWS):
            canvas.setFont(font, 13)
            canvas.drawString(MARGIN, height - MARGIN - 6 * mm, translate(title, locale) % {"building": building.name})
            for index, label in enumerate(shown[first:first + COLUMNS * ROWS]):
                column, row = index % COLUMNS, index // COLUMNS
                left = MARGIN + column * cell_w
                top = height - MARGIN - 12 * mm - row * cell_h
                canvas.setDash(2, 2)
                canvas.rect(left + 2 * mm, top - cell_h + 2 * mm, cell_w - 4 * mm, cell_h - 4 * mm)
                canvas.setDash()
                canvas.drawImage(ImageReader(io.BytesIO(qr_png(label.link))), left + (cell_w - CODE) / 2,
                                 top - 6 * mm - CODE, CODE, CODE)
                canvas.setFont(font, 11)
                canvas.drawCentredString(left + cell_w / 2, top - 12 * mm - CODE, label.place[:40])
                canvas.setFont(font, 9)
                canvas.drawCentredString(left + cell_w / 2, top - 17 * mm - CODE, scan)
            canvas.showPage()
    canvas.save()
    return buffer.getvalue()
