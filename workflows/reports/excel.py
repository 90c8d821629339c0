"""The Excel file of a report: the key figures and every table behind them, one sheet each.

Cells hold real values a reader can sort and sum: counts and hours as numbers, rates as percentages (number
format ``0.0%``), times as dates on the school's clock, stored words (status, colour…) in the report's language.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from workflows.reports.content import Column, ReportData, summary, tables
from workflows.reports.labels import word
from workflows.reports.values import NUMBER_FORMATS, Kind, cell

MIN_WIDTH, MAX_WIDTH = 10, 48


def _width(text: Any) -> int:
    """Columns fit their widest text; a Chinese character takes two widths of a Latin one."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in str(text))


def _shown(value: Any) -> str:
    """About what Excel shows for ``value`` (a time in the report's number format)."""
    if isinstance(value, datetime):
        return "2026-11-30 23:59"
    return "" if value is None else str(value)


def new_sheet(book: Workbook, title: str, header: Sequence[str]) -> Worksheet:
    sheet = book.create_sheet(title[:31])
    sheet.append(list(header))
    for heading in sheet[1]:
        heading.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    return sheet


def append_row(sheet: Worksheet, kinds: Sequence[Kind], values: Sequence[Any], locale: str, zone: ZoneInfo) -> None:
    sheet.append([cell(kind, value, locale, zone) for kind, value in zip(kinds, values, strict=True)])
    for target, kind in zip(sheet[sheet.max_row], kinds, strict=True):
        if kind in NUMBER_FORMATS:
            target.number_format = NUMBER_FORMATS[kind]


def fit_columns(sheet: Worksheet) -> None:
    for number, column in enumerate(sheet.iter_cols(), start=1):
        widest = max(_width(_shown(item.value)) for item in column)
        sheet.column_dimensions[get_column_letter(number)].width = min(MAX_WIDTH, max(MIN_WIDTH, widest + 2))


def _table(book: Workbook, title: str, columns: Sequence[Column], rows: Iterable[Sequence[Any]], data: ReportData) -> None:
    sheet = new_sheet(book, title, [word(key, data.locale) for key, _kind in columns])
    kinds = [kind for _key, kind in columns]
    for row in rows:
        append_row(sheet, kinds, row, data.locale, data.zone)
    fit_columns(sheet)


def write_excel(data: ReportData, path: Path) -> None:
    loc = data.locale
    book = Workbook()
    if book.active is not None:  # the sheet a new workbook starts with
        book.remove(book.active)
    sheet = new_sheet(book, word("summary", loc), [word("figure", loc), word("value", loc)])
    for key, kind, value in summary(data):
        append_row(sheet, [Kind.TEXT, kind], [word(key, loc), value], loc, data.zone)
    fit_columns(sheet)
    for table in tables(data):
        _table(book, word(table.key, loc), table.columns, table.rows, data)
    book.save(path)
